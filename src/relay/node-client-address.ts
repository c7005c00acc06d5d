// On Node the client is the socket's peer. Behind a reverse proxy that is the proxy for everyone:
// set RELAY_CLIENT_IP_HEADER to the header the proxy fills in instead.
import type { IncomingMessage } from 'node:http'

/** For createRelayApp's `clientAddress` under @hono/node-server, whose runtime env carries the request. */
export function nodeClientAddress(_request: Request, runtimeEnv: unknown): string | undefined {
  const incoming = (runtimeEnv as { incoming?: IncomingMessage } | undefined)?.incoming
  return incoming?.socket.remoteAddress
}
