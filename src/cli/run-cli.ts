// The command line's story: parse flags, pick the provider (key from the environment), find the
// images, reframe each (files and jobs both bounded by --concurrency), report, and choose the exit code.
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { nodeCodec } from '../imaging/codec-node'
import { createLimiter } from '../providers/run-with-concurrency'
import { parseCliArgs } from './cli-options'
import { createCliProvider } from './cli-provider'
import { collectInputs } from './collect-inputs'
import type { Outcome } from './outcome'
import { createProgressReporter } from './progress-reporter'
import { reframeFile } from './reframe-file'
import { summaryJson, summaryTable } from './summary'
import { USAGE } from './usage'

export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const

type Stream = { write(text: string): unknown; isTTY?: boolean; columns?: number }

export type CliContext = {
  argv: string[]
  env: Record<string, string | undefined>
  cwd: string
  stdout: Stream
  stderr: Stream
  signal?: AbortSignal
}

export async function runCli(context: CliContext): Promise<number> {
  const { stdout, stderr, cwd } = context
  const command = parseCliArgs(context.argv)
  if (command.kind === 'help') {
    stdout.write(USAGE)
    return EXIT.ok
  }
  if (command.kind === 'usage-error') {
    stderr.write(`luma-reframe: ${command.message}\nRun luma-reframe --help for usage.\n`)
    return EXIT.usage
  }
  const options = command.options
  const choice = createCliProvider(options, context.env)
  if (!choice.ok) {
    stderr.write(`luma-reframe: ${choice.message}\n`)
    return EXIT.usage
  }
  const { files, problems } = await collectInputs(options.inputs, cwd)
  if (files.length === 0) {
    for (const p of problems) stderr.write(`luma-reframe: ${p.path}: ${p.message}\n`)
    stderr.write('luma-reframe: nothing to reframe.\n')
    return EXIT.usage
  }
  const outDir = options.out === undefined ? undefined : resolve(cwd, options.out)
  if (outDir) await mkdir(outDir, { recursive: true })

  const reporter = createProgressReporter(stderr, cwd, options.ratios)
  const outcomes: Outcome[] = problems.map((p) => ({ input: resolve(cwd, p.path), ok: false, error: { kind: 'io', message: p.message } }))
  for (const p of problems) reporter.fileFailed(resolve(cwd, p.path), p.message)

  const signal = context.signal ?? new AbortController().signal
  const jobs = createLimiter(options.concurrency)
  const filesInFlight = createLimiter(options.concurrency)
  const inputs = new Set(files)
  const perFile = await Promise.all(
    files.map((input) =>
      filesInFlight.run(() =>
        reframeFile({ input, provider: choice.provider, codec: nodeCodec, options: { ...options, out: outDir }, jobs, reporter, inputs, signal })
      )
    )
  )
  outcomes.push(...perFile.flat())
  reporter.finish()

  stdout.write(options.json ? summaryJson(outcomes, options) : summaryTable(outcomes, cwd))
  if (signal.aborted) return EXIT.interrupted
  return outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.failed
}
