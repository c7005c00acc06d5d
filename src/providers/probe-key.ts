// A key check that costs nothing: one GET the host answers 401 to when the key is wrong. Never retried,
// bounded by a short deadline, and anything but a clear answer is `unknown`, so a check never stands
// between a designer and saving their key (a wrong key still shows on the first run).
import { ReframeError } from '../core/reframe-error'
import { HostHttp, type HostSpeaker, withDeadline } from './http'
import type { HostedProviderConfig, KeyCheck } from './provider'

export const KEY_CHECK_DEADLINE_MS = 8_000

/** `alsoValid`: statuses that still prove the key was accepted (a 404 for an id that cannot exist). */
export async function probeKey(
  config: HostedProviderConfig,
  host: HostSpeaker,
  request: { url: string; headers: Record<string, string>; alsoValid?: number[] },
  signal?: AbortSignal
): Promise<KeyCheck> {
  const tuning = { ...config.tuning, retry: { ...config.tuning?.retry, attempts: 1 } }
  const http = new HostHttp({ host, transport: config.transport, secrets: [config.apiKey], tuning })
  try {
    await withDeadline(signal, KEY_CHECK_DEADLINE_MS, `The ${host.name} key check`, (s) =>
      http.send(request.url, { method: 'GET', headers: request.headers }, s)
    )
    return { verdict: 'valid' }
  } catch (error) {
    if (!(error instanceof ReframeError)) throw error
    if (error.kind === 'cancelled') throw error
    const status = error.relayCode === undefined ? error.status : undefined
    if (status === 401 || status === 403) return { verdict: 'invalid', status }
    if (status !== undefined && request.alsoValid?.includes(status)) return { verdict: 'valid' }
    return status === undefined ? { verdict: 'unknown', reason: 'unreachable' } : { verdict: 'unknown', reason: 'unexpected', status }
  }
}
