// A key check that costs nothing: the request the provider's record names, which the host answers
// 401 to when the key is wrong. Never retried, bounded by a short deadline, and anything but a clear
// answer is `unknown`, so a check never stands between a designer and saving their key (a wrong key
// still shows on the first run).
import { ReframeError } from '../core/reframe-error'
import { describeHosted, type HostedProviderId } from '../protocol/provider-list'
import { HostHttp } from './http/host-http'
import { withDeadline } from './http/deadline'
import type { HostSpeaker } from './http/status-error'
import type { HostedProviderConfig, KeyCheck } from './provider'
import { keyHeaders } from './host-address'

export const KEY_CHECK_DEADLINE_MS = 8_000

/** Checks `config.apiKey` against the API at `apiBase` with the free request of `provider`'s record. */
export async function checkKeyAsync(
  provider: HostedProviderId,
  apiBase: string,
  config: HostedProviderConfig,
  host: HostSpeaker,
  signal?: AbortSignal
): Promise<KeyCheck> {
  const check = describeHosted(provider).key.check
  if (check === null) return { verdict: 'unknown', reason: 'no-check' }
  const http = new HostHttp({ host, transport: config.transport, secrets: [config.apiKey], tuning: config.tuning })
  try {
    await withDeadline(signal, KEY_CHECK_DEADLINE_MS, `The ${host.name} key check`, (s) =>
      http.send(`${apiBase}${check.path}`, { method: 'GET', headers: keyHeaders(provider, config.apiKey) }, s, { retry: 'once' })
    )
    return { verdict: 'valid' }
  } catch (error) {
    if (!(error instanceof ReframeError)) throw error
    if (error.kind === 'cancelled') throw error
    const status = error.relayCode === undefined ? error.status : undefined
    if (status === 401 || status === 403) return { verdict: 'invalid', status }
    if (status !== undefined && (check.alsoValid as readonly number[] | undefined)?.includes(status)) return { verdict: 'valid' }
    return status === undefined ? { verdict: 'unknown', reason: 'unreachable' } : { verdict: 'unknown', reason: 'unexpected', status }
  }
}
