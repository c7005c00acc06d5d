// Cloudflare Workers (or any host with a `fetch(request, env)` export) entry: the same app, configured
// from the environment bindings. Needs the `nodejs_compat` flag (node:crypto for the token check).
import { createRelayApp } from './relay-app'
import { readRelayConfig } from './relay-config'

let app: ReturnType<typeof createRelayApp> | undefined

export default {
  fetch(request: Request, env: Record<string, string | undefined>): Response | Promise<Response> {
    if (!app) {
      const read = readRelayConfig(env)
      if (!read.ok) return new Response(read.message, { status: 500 })
      // Cloudflare sets CF-Connecting-IP to the client's address on every request; a client cannot forge it
      app = createRelayApp(read.config, { clientAddress: (req) => req.headers.get('cf-connecting-ip') ?? undefined })
    }
    return app.fetch(request)
  }
}
