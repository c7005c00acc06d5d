// An HTTP error answer as a ReframeError a person can act on: what kind of problem it is (kindForStatus),
// the host's own words from its body (scrubbed, one line), its Retry-After, and refusals by the team
// relay (X-Relay-Error) told apart from the provider's own answers.
import { ReframeError, type ReframeErrorKind } from '../../core/reframe-error'
import { RELAY_ERROR_HEADER } from '../../protocol/relay-protocol'
import { BALANCE_MESSAGE } from '../guesses'
import { relayRefusal } from './relay-refusal'
import { parseRetryAfter } from './retry-policy'

/** How one host is named to a person and where its error bodies keep their message. */
export type HostSpeaker = { name: string; messageOf: (body: unknown) => string | undefined }

export function kindForStatus(status: number, hostMessage?: string): ReframeErrorKind {
  if (status === 401 || status === 403) return 'auth'
  if (status === 402) return 'balance'
  if (status === 400 || status === 422) return hostMessage && BALANCE_MESSAGE.test(hostMessage) ? 'balance' : 'invalid-input'
  if (status === 429) return 'rate-limit'
  return 'host'
}

function statusSentence(kind: ReframeErrorKind, host: string, status: number): string {
  switch (kind) {
    case 'auth':
      return `${host} rejected the API key (${status})`
    case 'balance':
      return `${host} says the account balance is too low (${status})`
    case 'invalid-input':
      return `${host} rejected the request (${status})`
    case 'rate-limit':
      return `${host} is at its rate or concurrency limit (${status})`
    default:
      return `${host} failed (${status})`
  }
}

/** The host's words in an error body: its JSON message field, or plain text; never an HTML error page. */
function hostMessageFrom(host: HostSpeaker, text: string, contentType: string, scrub: (text: string) => string): string | undefined {
  let message: string | undefined
  try {
    message = host.messageOf(JSON.parse(text))
  } catch {
    // not JSON: plain text is the host's words; an HTML error page (proxy, CDN) is not worth showing
    if (!/html/i.test(contentType) && !/^\s*</.test(text)) message = text.trim()
  }
  if (!message) return undefined
  const oneLine = scrub(message).replace(/\s+/g, ' ').trim()
  return oneLine.length > 300 ? `${oneLine.slice(0, 297)}...` : oneLine
}

/** Reads an error answer (status not 2xx) into a ReframeError. */
export async function statusError(
  response: Response,
  host: HostSpeaker,
  scrub: (text: string) => string,
  retryAfterMaxMs: number
): Promise<ReframeError> {
  const status = response.status
  const text = await response.text().catch(() => '')
  // relay bodies carry both `error` and `detail`, so every host's messageOf reads them
  const hostMessage = hostMessageFrom(host, text, response.headers.get('content-type') ?? '', scrub)
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), retryAfterMaxMs)
  const relayCode = response.headers.get(RELAY_ERROR_HEADER)
  if (relayCode !== null) return relayRefusal({ code: relayCode, status, host: host.name, said: hostMessage, retryAfterMs })
  const kind = kindForStatus(status, hostMessage)
  const said = hostMessage ? `: ${hostMessage}` : ''
  return new ReframeError(kind, `${statusSentence(kind, host.name, status)}${said}.`.replace(/\.\.$/, '.'), {
    status,
    hostMessage,
    retryAfterMs
  })
}
