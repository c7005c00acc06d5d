// Bench-only: runs the relay in its own process (as in production, where it has its own machine), with
// the test-only rewrite sending every checked provider URL to the fake given as argv[2]. Prints its port.
import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import { createRelayApp } from '../src/relay/relay-app'
import { readRelayConfig } from '../src/relay/relay-config'

const fakeUrl = process.argv[2]
const read = readRelayConfig(process.env)
if (!read.ok || !fakeUrl) {
  console.error(read.ok ? 'usage: relay-process.ts <fake url>' : read.message)
  process.exit(1)
}
const app = createRelayApp(read.config, {
  log: () => undefined,
  testOnlyUpstreamRewrite: (url) => new URL(`${url.pathname}${url.search}`, fakeUrl)
})
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', serverOptions: { noDelay: true } }, () => {
  console.log(`port ${(server.address() as AddressInfo).port}`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
