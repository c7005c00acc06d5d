// The command line's story: parse flags, pick the provider (key from the environment), find the
// images, reframe each (files and jobs both bounded by --concurrency), report, and choose the exit code.
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { JobState } from '../core/job-state'
import { finishHostedResult } from '../imaging/finish-hosted-result'
import { nodeCodec } from '../imaging/codec-node'
import { newBatchId, startBatch, type BatchJob } from '../pipeline/run-batch'
import { parseCliArgs } from './cli-options'
import { createCliProvider } from './cli-provider'
import { collectInputs, describeProblem } from './collect-inputs'
import type { Outcome } from './outcome'
import { printable } from './printable'
import { createProgressReporter } from './progress-reporter'
import { readSourceAsync } from './read-source'
import { relativeName } from './relative-name'
import { summaryJson, summaryTable } from './summary'
import { USAGE } from './usage'
import { writeOutput } from './write-output'

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
    stderr.write(`luma-reframe: ${printable(command.message)}\nRun luma-reframe --help for usage.\n`)
    return EXIT.usage
  }
  const options = command.options
  const choice = createCliProvider(options, context.env)
  if (!choice.ok) {
    stderr.write(`luma-reframe: ${printable(choice.message)}\n`)
    return EXIT.usage
  }
  const { files, problems } = await collectInputs(options.inputs, cwd)
  if (files.length === 0) {
    for (const p of problems) stderr.write(`luma-reframe: ${printable(describeProblem(p))}\n`)
    stderr.write('luma-reframe: nothing to reframe.\n')
    return EXIT.usage
  }
  const outDir = options.out === undefined ? undefined : resolve(cwd, options.out)
  if (outDir) await mkdir(outDir, { recursive: true })

  const reporter = createProgressReporter(stderr, cwd, options.ratios)
  const outcomes: Outcome[] = problems.map((p) => ({ input: resolve(cwd, p.path), ok: false, error: { kind: 'io', message: p.message } }))
  for (const p of problems) reporter.fileFailed(resolve(cwd, p.path), p.message)

  const signal = context.signal ?? new AbortController().signal
  const inputs = new Set(files)
  const jobs: BatchJob[] = files.flatMap((input) => options.ratios.map((size) => ({ key: `${input}|${size}`, sourceId: input, sourceName: input, size })))
  const provider = choice.provider
  const hosted = provider.id !== 'local'
  const lastState = new Map<string, JobState>()
  const failedFiles = new Set<string>()
  for (const input of files) reporter.fileStarted(input)
  const batch = startBatch(
    { batchId: newBatchId(), jobs, prompt: options.prompt, placement: options.placement, frameMode: 'around', exportMaxEdge: 4096 },
    {
      provider,
      engine: hosted ? 'hosted' : options.mode,
      concurrency: options.concurrency,
      uploadConcurrency: options.concurrency,
      exportSource: (input, jobSignal) => readSourceAsync(input, relativeName(input, cwd), nodeCodec, hosted, jobSignal),
      finish: async (result, _source, plan) => ({ image: await finishHostedResult(result, plan, nodeCodec) }),
      async deliver(job, result) {
        const output = await writeOutput({ input: job.sourceId, outDir, overwrite: options.overwrite, inputs }, job.size, result.image)
        reporter.jobWritten(job.sourceId, job.size, output, result.image.width, result.image.height)
        outcomes.push({ input: job.sourceId, ratio: job.size, ok: true, output, width: result.image.width, height: result.image.height })
        return { name: output }
      },
      onStatus(job, status) {
        const before = lastState.get(job.key) ?? 'waiting'
        lastState.set(job.key, status.state)
        if (status.state !== 'failed' && status.state !== 'cancelled') {
          if (status.state !== 'done') reporter.job(job.sourceId, job.size, status.state, status.detail)
          return
        }
        const failure = status.state === 'cancelled' ? { kind: 'cancelled', message: 'Cancelled.' } : { kind: status.errorKind ?? 'unexpected', message: status.error ?? 'Failed.' }
        // a file that could not be read or uploaded fails once, not once per size
        if (before === 'waiting' || before === 'uploading') {
          if (failedFiles.has(job.sourceId)) return
          failedFiles.add(job.sourceId)
          reporter.fileFailed(job.sourceId, failure.message)
          outcomes.push({ input: job.sourceId, ok: false, error: failure })
          return
        }
        reporter.jobFailed(job.sourceId, job.size, failure.message)
        outcomes.push({ input: job.sourceId, ratio: job.size, ok: false, error: failure })
      }
    }
  )
  const stop = () => batch.cancel()
  signal.addEventListener('abort', stop, { once: true })
  await batch.done
  signal.removeEventListener('abort', stop)
  reporter.finish()

  stdout.write(options.json ? summaryJson(outcomes, options) : summaryTable(outcomes, cwd))
  if (signal.aborted) return EXIT.interrupted
  return outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.failed
}
