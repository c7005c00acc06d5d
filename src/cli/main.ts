// Entry of `luma-reframe` (bin/luma-reframe.mjs runs this through tsx).
import { createInterruptHandler } from './interrupt-handler'
import { printable } from './printable'
import { EXIT, runCli } from './run-cli'

const controller = new AbortController()
process.on(
  'SIGINT',
  createInterruptHandler({
    cancel: () => controller.abort(),
    exit: (code) => process.exit(code),
    write: (text) => process.stderr.write(text)
  })
)

let code: number
try {
  code = await runCli({
    argv: process.argv.slice(2),
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal
  })
} catch (error) {
  // every expected failure is reported by runCli; this is a bug, said in one line rather than a stack
  process.stderr.write(`luma-reframe: unexpected error: ${printable(error instanceof Error ? error.message : String(error))}\n`)
  code = EXIT.failed
}
// interrupted: leave now rather than wait for a host connection or a thread to wind down
if (code === EXIT.interrupted) process.exit(code)
process.exitCode = code
