// The relay's own refusals, as JSON a provider client can read whichever host it expects: each::labs
// clients look at `error`, fal and Replicate clients at `detail`. `X-Relay-Error` tells them apart from the host's.

export type RelayErrorCode =
  | 'bad-token'
  | 'bad-target'
  | 'bad-redirect'
  | 'origin-refused'
  | 'too-large'
  | 'busy'
  | 'no-key'
  | 'upstream-unreachable'
  | 'not-found'

export function relayErrorResponse(
  status: number,
  code: RelayErrorCode,
  message: string,
  headers: Record<string, string> = {}
): Response {
  const text = `Team relay: ${message}`
  return new Response(JSON.stringify({ error: text, detail: text, code }), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-Relay-Error': code, ...headers }
  })
}
