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
      app = createRelayApp(read.config)
    }
    return app.fetch(request)
  }
}
