// The team relay transport: every provider request goes to the relay with its real URL in
// X-Relay-Target and the team token in X-Relay-Token; the relay adds the provider key, so none is sent.
import { ReframeError } from '../core/reframe-error'
import type { Transport } from './provider'
import { FORWARD_PATH, TARGET_HEADER, TOKEN_HEADER } from '../protocol/relay-protocol'

export type RelayUrlCheck = { ok: true; forwardUrl: string } | { ok: false; message: string }

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** Checks the relay URL a person typed in Settings: https, or http only on this machine (development). */
export function checkRelayUrl(input: string): RelayUrlCheck {
  const trimmed = input.trim()
  if (trimmed === '') return { ok: false, message: 'Enter the team relay URL (for example https://relay.example.com).' }
  let url: URL
  try {
    url = new URL(trimmed)
  } catch {
    return { ok: false, message: `"${trimmed}" is not a URL. It should look like https://relay.example.com.` }
  }
  const local = url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname)
  if (url.protocol !== 'https:' && !local) return { ok: false, message: 'The relay URL must start with https://.' }
  if (url.username || url.password || url.search || url.hash) {
    return { ok: false, message: 'The relay URL must not contain a user name, password, query or fragment.' }
  }
  // a relay may be mounted under a path prefix (e.g. https://tools.example.com/reframe-relay)
  return { ok: true, forwardUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}${FORWARD_PATH}` }
}

// The relay sets these itself; a key typed in Settings earlier must not travel along.
const PROVIDER_AUTH_HEADERS = ['authorization', 'x-api-key']

export type RelayTransportOptions = {
  relayUrl: string
  teamToken: string
  /** How to reach the relay itself; defaults to the global fetch. */
  fetch?: Transport
}

export function createRelayTransport(options: RelayTransportOptions): Transport {
  const relay = checkRelayUrl(options.relayUrl)
  const send = options.fetch ?? ((url: string, init: RequestInit) => globalThis.fetch(url, init))
  return async (url, init) => {
    if (!relay.ok) throw new ReframeError('invalid-input', `Team relay: ${relay.message}`, { action: 'Fix the relay URL in Settings.' })
    if (options.teamToken.trim() === '') throw new ReframeError('auth', 'Team relay: no team token is set.', { action: 'Enter the team token in Settings.' })
    const headers = new Headers(init.headers)
    for (const name of PROVIDER_AUTH_HEADERS) headers.delete(name)
    headers.set(TARGET_HEADER, url)
    headers.set(TOKEN_HEADER, options.teamToken.trim())
    return send(relay.forwardUrl, { ...init, headers })
  }
}
