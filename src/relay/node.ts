// Runs the relay on Node: `npm run relay` (or `npx tsx src/relay/node.ts`), configured by env vars.
import { serve } from '@hono/node-server'
import { HOSTED_PROVIDER_IDS } from '../protocol/provider-list'
import { nodeClientAddress } from './node-client-address'
import { resolveHostWithDns } from './node-resolve-host'
import { createNodeUpstreamFetch } from './node-upstream-fetch'
import { createRelayApp } from './relay-app'
import { readRelayConfig } from './relay-config'

const read = readRelayConfig(process.env)
if (!read.ok) {
  console.error(read.message)
  process.exit(1)
}
const { config } = read
// every target host is resolved and checked, and the connection goes to the addresses checked
const app = createRelayApp(config, { clientAddress: nodeClientAddress, fetch: createNodeUpstreamFetch(), resolveHost: resolveHostWithDns })
// noDelay: small answers (job polls) leave at once instead of waiting on Nagle's algorithm
const server = serve({ fetch: app.fetch, port: config.port, serverOptions: { noDelay: true } }, (info) => {
  const keys = HOSTED_PROVIDER_IDS.map((id) => `${id} ${config.keys[id] ? 'yes' : 'no'}`).join(', ')
  console.log(`Luma Reframe relay on http://localhost:${info.port} (keys: ${keys}; ${config.teamTokens.length} team token(s))`)
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)))
}
