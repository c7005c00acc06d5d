// Servers, fakes and harnesses a test opens, closed after each test: `const open = closedAfterEach()`,
// then `open.push(fake, main)` where they are started.
import { afterEach } from 'vitest'

export type Closable = { close(): unknown }

export function closedAfterEach(): Closable[] {
  const open: Closable[] = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((thing) => thing.close()))
  })
  return open
}
