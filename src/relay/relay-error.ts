// The relay's own refusals, as JSON a provider client can read whichever host it expects: each::labs
// clients look at `error`, fal and Replicate clients at `detail`. `X-Relay-Error` tells them apart from the host's.
import { RELAY_ERROR_HEADER, type RelayErrorCode } from '../protocol/relay-protocol'

export function relayErrorResponse(
  status: number,
  code: RelayErrorCode,
  message: string,
  headers: Record<string, string> = {}
): Response {
  const text = `Team relay: ${message}`
  return new Response(JSON.stringify({ error: text, detail: text, code }), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', [RELAY_ERROR_HEADER]: code, ...headers }
  })
}
