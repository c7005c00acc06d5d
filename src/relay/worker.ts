// Cloudflare Workers (or any host with a `fetch(request, env)` export) entry: the same app, configured
// from the environment bindings. Needs the `nodejs_compat` flag (node:crypto for the token check).
//
// What is and is not checked here, unlike on Node: Workers have no DNS API and their fetch has no
// hook for the address it connects to, so the relay cannot resolve a host and refuse private answers
// (no `resolveHost`). Checked all the same: https only, default port, no credentials in the URL, no IP
// literals (so no 127.0.0.1 or 169.254.169.254 by number), the host name on the provider allowlist
// (exactly, or under a provider's own wildcard such as *.eachlabs.ai), and the same on every redirect.
// Not checked: what such a name resolves to. That matters less here than on a VM: a Worker's fetch
// leaves from Cloudflare's network, not from a machine inside the operator's, so there is no
// loopback, VPC or cloud metadata service of the operator behind a private address to reach.
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
