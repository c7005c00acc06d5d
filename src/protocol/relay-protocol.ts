// What the plugin and the relay agree on, kept free of dependencies so the plugin UI can import it
// without pulling in the server: the forwarding path, the headers, and the relay's own error codes.

export const FORWARD_PATH = '/forward'
/** The provider URL the request is really for. */
export const TARGET_HEADER = 'X-Relay-Target'
/** The team token; kept out of Authorization so it can never be mistaken for a provider key. */
export const TOKEN_HEADER = 'X-Relay-Token'
/** Set on the relay's own refusals (never on a provider's answer), with one of RELAY_ERROR_CODES. */
export const RELAY_ERROR_HEADER = 'X-Relay-Error'

export const RELAY_ERROR_CODES = [
  'bad-token',
  'bad-target',
  'bad-redirect',
  'origin-refused',
  'too-large',
  'busy',
  'no-key',
  'upstream-unreachable',
  'not-found'
] as const

export type RelayErrorCode = (typeof RELAY_ERROR_CODES)[number]
