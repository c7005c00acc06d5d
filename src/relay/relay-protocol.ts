// What the plugin and the relay agree on, kept free of dependencies so the plugin UI can import it
// without pulling in the server: the forwarding path and the two headers.

export const FORWARD_PATH = '/forward'
/** The provider URL the request is really for. */
export const TARGET_HEADER = 'X-Relay-Target'
/** The team token; kept out of Authorization so it can never be mistaken for a provider key. */
export const TOKEN_HEADER = 'X-Relay-Token'
