// The command line's story: parse flags, pick the provider (key from the environment), find the
// images, check every output folder can be written before any job starts, reframe each (files and
// jobs both bounded by --concurrency), report, and choose the exit code. Ctrl+C cancels at once and
// waits at most CANCEL_GRACE_MS for jobs to let go.
import { dirname, resolve } from 'node:path'
import { MAX_IMAGE_EDGE } from '../core/image-header'
import { isFinal, type JobState } from '../core/job-state'
import { newBatchId, startBatch, type BatchJob } from '../pipeline/run-batch'
import { parseCliArgs, type CliOptions } from './cli-options'
import { createCliProvider } from './cli-provider'
import { checkOutDir, whyNotWritable } from './check-output-folder'
import { collectInputs, describeProblem } from './collect-inputs'
import { fitExportedAsync } from './fit-exported'
import { INTERRUPTED_EXIT_CODE } from './interrupt-handler'
import { ownOutputMatcher } from './own-output-names'
import type { Outcome } from './outcome'
import { hostedFinisher } from '../imaging/finish-hosted-result'
import { nodeBackend } from '../imaging/backend-node'
import { printable } from './printable'
import { createProgressReporter } from './progress-reporter'
import { readSourceAsync } from './read-source'
import { relativeName } from './relative-name'
import { inAskedOrder, summaryJson, summaryTable } from './summary'
import { USAGE } from './usage'
import { removeUnfinishedWrites, writeOutput } from './write-output'

export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: INTERRUPTED_EXIT_CODE } as const

/**
 * How long Ctrl+C waits for cancelled jobs to settle (a file being written, a host call letting go)
 * before the summary is printed anyway: with start-up and printing, the CLI is gone within 2 s.
 */
export const CANCEL_GRACE_MS = 1500

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
  const { stdout, stderr } = context
  const command = parseCliArgs(context.argv)
  if (command.kind === 'help') {
    stdout.write(USAGE)
    return EXIT.ok
  }
  if (command.kind === 'usage-error') {
    stderr.write(`luma-reframe: ${printable(command.message)}\nRun luma-reframe --help for usage.\n`)
    return EXIT.usage
  }
  return runReframe(context, command.options)
}

/** A file left out before the batch because its results could not be saved. */
type Unsaveable = { input: string; message: string }

/** Without --out, results go next to each input: every distinct folder is checked once, up front. */
async function unsaveableInputs(files: readonly string[], cwd: string): Promise<Unsaveable[]> {
  const problems = new Map<string, string | null>()
  for (const folder of new Set(files.map((file) => dirname(file)))) problems.set(folder, await whyNotWritable(folder))
  return files.flatMap((input) => {
    const problem = problems.get(dirname(input))
    if (problem === null || problem === undefined) return []
    const folder = dirname(input) === cwd ? 'The current folder' : relativeName(dirname(input), cwd)
    return [{ input, message: `${folder} is not writable (${problem}), so results for ${relativeName(input, cwd)} cannot be saved next to it; use --out.` }]
  })
}

async function runReframe(context: CliContext, options: CliOptions): Promise<number> {
  const { stdout, stderr, cwd } = context
  const choice = createCliProvider(options, context.env)
  if (!choice.ok) {
    stderr.write(`luma-reframe: ${printable(choice.message)}\n`)
    return EXIT.usage
  }
  const collected = await collectInputs(options.inputs, cwd, ownOutputMatcher(options.name))
  const { problems } = collected
  if (collected.files.length === 0) {
    for (const p of problems) stderr.write(`luma-reframe: ${printable(describeProblem(p))}\n`)
    stderr.write('luma-reframe: nothing to reframe.\n')
    return EXIT.usage
  }
  // where results go is checked before anything is read, uploaded or paid for
  const outDir = options.out === undefined ? undefined : resolve(cwd, options.out)
  if (outDir !== undefined) {
    const problem = await checkOutDir(outDir, cwd)
    if (problem !== null) {
      stderr.write(`luma-reframe: ${printable(problem)}\n`)
      return EXIT.usage
    }
  }
  const unsaveable = outDir === undefined ? await unsaveableInputs(collected.files, cwd) : []
  const left = new Set(unsaveable.map((u) => u.input))
  const files = collected.files.filter((file) => !left.has(file))

  const reporter = createProgressReporter(stderr, cwd, options.sizes)
  const outcomes: Outcome[] = [
    ...problems.map((p): Outcome => ({ input: resolve(cwd, p.path), ok: false, error: { kind: 'io', message: p.message } })),
    ...unsaveable.map((u): Outcome => ({ input: u.input, ok: false, error: { kind: 'io', message: u.message } }))
  ]
  for (const p of problems) reporter.fileFailed(resolve(cwd, p.path), p.message)
  for (const u of unsaveable) reporter.fileFailed(u.input, u.message)

  const signal = context.signal ?? new AbortController().signal
  const inputs = new Set(collected.files)
  const jobs: BatchJob[] = files.flatMap((input) => options.sizes.map((size) => ({ key: `${input}|${size}`, sourceId: input, sourceName: input, size })))
  const provider = choice.provider
  const hosted = provider.id !== 'local'
  const lastState = new Map<string, JobState>()
  const failedFiles = new Set<string>()
  /** Files written, by job, until the job's `done` brings its note. */
  const written = new Map<string, { output: string; width: number; height: number }>()
  for (const input of files) reporter.fileStarted(input)
  const batch = startBatch(
    { batchId: newBatchId(), jobs, prompt: options.prompt, placement: options.placement, frameMode: 'around', exportMaxEdge: MAX_IMAGE_EDGE },
    {
      provider,
      engine: hosted ? 'hosted' : options.mode,
      concurrency: options.concurrency,
      uploadConcurrency: options.concurrency,
      exportSource: (input, jobSignal) => readSourceAsync(input, relativeName(input, cwd), { hosted, backend: nodeBackend, signal: jobSignal }),
      finish: hostedFinisher(nodeBackend),
      async deliver(job, result, plan) {
        // a preset's file has exactly its pixels, whatever the engine drew (a smart crop is the window's own)
        const image = await fitExportedAsync(result.image, plan.exported, nodeBackend)
        const target = { input: job.sourceId, outDir, overwrite: options.overwrite, namePattern: options.name, inputs, inputIdentities: collected.identities }
        const output = await writeOutput(target, job.size, image)
        written.set(job.key, { output, width: image.width, height: image.height })
        return { name: output }
      },
      onStatus(job, status) {
        const before = lastState.get(job.key) ?? 'waiting'
        lastState.set(job.key, status.state)
        const file = status.state === 'done' ? written.get(job.key) : undefined
        if (file !== undefined) {
          const note = status.note === undefined ? {} : { note: status.note }
          reporter.jobWritten(job.sourceId, job.size, file.output, file.width, file.height, status.note)
          outcomes.push({ input: job.sourceId, ratio: job.size, ok: true, ...file, ...note })
          return
        }
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

  // Ctrl+C: every job's signal aborts now (pixel work is sharp's, off this thread, and the engine checks
  // the signal between steps), so nothing is left to wait for but jobs that let go on their own (a file
  // being written, a host call ending), and not long
  let grace: ReturnType<typeof setTimeout> | undefined
  let graceOver!: () => void
  const interrupted = new Promise<void>((resolveInterrupted) => (graceOver = resolveInterrupted))
  const stop = () => {
    batch.cancel()
    grace = setTimeout(graceOver, CANCEL_GRACE_MS)
  }
  if (signal.aborted) stop()
  else signal.addEventListener('abort', stop, { once: true })
  await Promise.race([batch.done, interrupted])
  signal.removeEventListener('abort', stop)
  if (grace !== undefined) clearTimeout(grace)

  if (signal.aborted) {
    // results still being written when the wait ran out: not saved, and no half-written file left behind
    for (const job of jobs) {
      const status = batch.status(job.key)
      if (status !== undefined && !isFinal(status.state)) {
        outcomes.push({ input: job.sourceId, ratio: job.size, ok: false, error: { kind: 'cancelled', message: 'Interrupted while being written; not saved.' } })
      }
    }
    removeUnfinishedWrites()
  }
  reporter.finish()

  const ordered = inAskedOrder(outcomes, files, options.sizes)
  stdout.write(options.json ? summaryJson(ordered, options) : summaryTable(ordered, cwd))
  if (signal.aborted) return EXIT.interrupted
  return outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.failed
}
