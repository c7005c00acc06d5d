// The team relay's own refusals (answers carrying X-Relay-Error) as errors a designer can act on:
// they are about the relay, its setup or the team token, never the provider's API key. Whether one is
// worth retrying is the retry policy's call (retry-policy.ts).
import { RELAY_ERROR_CODES, type RelayErrorCode } from '../../protocol/relay-protocol'
import { ReframeError, type ReframeErrorKind } from '../../core/reframe-error'

type Refusal = {
  kind: ReframeErrorKind
  /** What happened, given the provider's name; the relay's own words follow when `detail` is set. */
  says: (host: string) => string
  action: string
  /** Add the relay's words (which host, which limit). */
  detail?: boolean
}

const ASK_THE_RELAY = 'Retry later; if it keeps happening, tell whoever runs the team relay.'

const REFUSALS: Record<RelayErrorCode, Refusal> = {
  'bad-token': { kind: 'auth', says: () => 'Team relay: wrong or missing team token', action: 'Check the team token in Settings.' },
  'origin-refused': {
    kind: 'auth',
    says: () => 'Team relay: calls from this origin are not allowed',
    action: 'Ask whoever runs the team relay to allow it (RELAY_ALLOWED_ORIGINS).'
  },
  'no-key': {
    kind: 'auth',
    says: (host) => `Team relay: no ${host} key is set up on the relay`,
    action: 'Pick another provider in Settings, or ask whoever runs the team relay to add the key.'
  },
  'bad-target': { kind: 'host', says: (host) => `Team relay: it will not forward this ${host} request`, action: 'The relay needs an update for this provider; tell whoever runs it.', detail: true },
  'bad-redirect': { kind: 'host', says: (host) => `Team relay: ${host} redirected somewhere the relay does not follow`, action: ASK_THE_RELAY, detail: true },
  'too-large': {
    kind: 'invalid-input',
    says: () => 'Team relay: the request is larger than the relay accepts',
    action: 'Use a smaller image, or ask whoever runs the team relay to raise RELAY_MAX_BODY_BYTES.',
    detail: true
  },
  busy: { kind: 'rate-limit', says: () => 'Team relay: too many requests for this team token right now', action: 'Retry in a moment, or lower the concurrency.' },
  'upstream-unreachable': { kind: 'network', says: (host) => `Team relay: it could not reach ${host}`, action: ASK_THE_RELAY, detail: true },
  'not-found': { kind: 'invalid-input', says: () => 'Team relay: the relay URL does not lead to a Luma Reframe relay', action: 'Check the relay URL in Settings.' }
}

function isKnownCode(code: string): code is RelayErrorCode {
  return (RELAY_ERROR_CODES as readonly string[]).includes(code)
}

export type RelayRefusalFacts = {
  /** The X-Relay-Error value. */
  code: string
  status: number
  /** The provider the request was for, as named to a person. */
  host: string
  /** The relay's message from its body (already scrubbed), if any. */
  said?: string
  retryAfterMs?: number
}

/** The ReframeError for a refusal by the relay itself. */
export function relayRefusal({ code, status, host, said, retryAfterMs }: RelayRefusalFacts): ReframeError {
  // the relay starts its messages with its own name; ours already says it
  const words = said?.replace(/^Team relay:\s*/i, '').replace(/\.$/, '')
  const extra = { status, hostMessage: said, retryAfterMs, relayCode: code }
  if (!isKnownCode(code)) {
    // a newer relay: its own words, and a status-based kind
    const kind: ReframeErrorKind = status === 401 || status === 403 ? 'auth' : status === 429 ? 'rate-limit' : 'host'
    const message = `Team relay refused the request (${status})${words ? `: ${words}` : ''}.`
    return new ReframeError(kind, message, { ...extra, action: ASK_THE_RELAY })
  }
  const refusal = REFUSALS[code]
  const message = `${refusal.says(host)}${refusal.detail && words ? ` (${words})` : ''}.`
  return new ReframeError(refusal.kind, message, { ...extra, action: refusal.action })
}
