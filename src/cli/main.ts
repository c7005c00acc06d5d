// Entry of `luma-reframe` (bin/luma-reframe.mjs runs this through tsx).
import { runCli } from './run-cli'

const controller = new AbortController()
process.once('SIGINT', () => {
  process.stderr.write('\nInterrupted: cancelling jobs in flight...\n')
  controller.abort()
})

process.exitCode = await runCli({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal
})
