// Progress on stderr: on a terminal, one live line per file showing each size's state and pixels;
// otherwise (pipes, CI logs) one plain line per event. Names and messages are printed escaped (a file
// name must never move the cursor or retitle the window: see printable.ts).
import type { JobState } from '../core/job-state'
import type { SizeId } from '../core/sizes'
import { printable } from './printable'
import { relativeName } from './relative-name'

/** What a job's state is called on the command line (the window says "Placing" where a file is written). */
const STAGE_WORDS: Record<JobState, string> = {
  waiting: 'waiting',
  uploading: 'uploading',
  queued: 'queued',
  generating: 'generating',
  downloading: 'downloading',
  finishing: 'finishing',
  delivering: 'writing',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled'
}

export interface ProgressReporter {
  fileStarted(input: string): void
  fileFailed(input: string, message: string): void
  job(input: string, ratio: SizeId, stage: JobState, detail?: string): void
  /** `note`: anything true of the result a person should know ("upscaled 1.6x"). */
  jobWritten(input: string, ratio: SizeId, output: string, width: number, height: number, note?: string): void
  jobFailed(input: string, ratio: SizeId, message: string): void
  finish(): void
}

type Stream = { write(text: string): unknown; isTTY?: boolean; columns?: number }

export function createProgressReporter(stream: Stream, cwd: string, ratios: readonly SizeId[]): ProgressReporter {
  return stream.isTTY ? new LiveReporter(stream, cwd, ratios) : new LineReporter(stream, cwd)
}

class LineReporter implements ProgressReporter {
  constructor(
    private readonly stream: Stream,
    private readonly cwd: string
  ) {}
  private line(text: string) {
    this.stream.write(printable(text) + '\n')
  }
  fileStarted(input: string) {
    this.line(`${relativeName(input, this.cwd)}: started`)
  }
  fileFailed(input: string, message: string) {
    this.line(`${relativeName(input, this.cwd)}: FAILED ${message}`)
  }
  job(input: string, ratio: SizeId, stage: JobState, detail?: string) {
    this.line(`${relativeName(input, this.cwd)} ${ratio}: ${STAGE_WORDS[stage]}${detail ? ` (${detail})` : ''}`)
  }
  jobWritten(input: string, ratio: SizeId, output: string, width: number, height: number, note?: string) {
    this.line(`${relativeName(input, this.cwd)} ${ratio}: done ${width}x${height} -> ${relativeName(output, this.cwd)}${note ? ` (${note})` : ''}`)
  }
  jobFailed(input: string, ratio: SizeId, message: string) {
    this.line(`${relativeName(input, this.cwd)} ${ratio}: FAILED ${message}`)
  }
  finish() {}
}

const MARKS: Record<JobState, string> = {
  waiting: '·',
  uploading: '↑',
  queued: '…',
  generating: '⟳',
  downloading: '↓',
  finishing: '⟳',
  delivering: '↓',
  done: '✓',
  failed: '✗',
  cancelled: '✗'
}

/** Redraws a block of lines in place (ANSI cursor-up + clear line), at most every 80 ms. */
class LiveReporter implements ProgressReporter {
  private readonly files: { input: string; status: string; ratios: Map<SizeId, string> }[] = []
  private drawn = 0
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly stream: Stream,
    private readonly cwd: string,
    private readonly ratios: readonly SizeId[]
  ) {}

  private entry(input: string) {
    let file = this.files.find((f) => f.input === input)
    if (!file) {
      file = { input, status: '', ratios: new Map(this.ratios.map((r) => [r, `${r} ·`])) }
      this.files.push(file)
    }
    return file
  }
  fileStarted(input: string) {
    this.entry(input).status = 'reading'
    this.schedule()
  }
  fileFailed(input: string, message: string) {
    this.entry(input).status = `✗ ${message}`
    this.schedule()
  }
  job(input: string, ratio: SizeId, stage: JobState) {
    const file = this.entry(input)
    file.status = ''
    file.ratios.set(ratio, `${ratio} ${MARKS[stage]}`)
    this.schedule()
  }
  jobWritten(input: string, ratio: SizeId, _output: string, width: number, height: number, note?: string) {
    this.entry(input).ratios.set(ratio, `${ratio} ✓ ${width}x${height}${note ? ` (${note})` : ''}`)
    this.schedule()
  }
  jobFailed(input: string, ratio: SizeId) {
    this.entry(input).ratios.set(ratio, `${ratio} ✗`)
    this.schedule()
  }
  finish() {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.draw()
  }
  private schedule() {
    this.timer ??= setTimeout(() => {
      this.timer = undefined
      this.draw()
    }, 80)
  }
  private draw() {
    const width = Math.max(20, (this.stream.columns || 100) - 1)
    const lines = this.files.map((f) => {
      const text = printable(`${relativeName(f.input, this.cwd)}  ${f.status || [...f.ratios.values()].join('  ')}`)
      return text.length > width ? text.slice(0, width - 1) + '…' : text
    })
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A` : ''
    this.stream.write(up + lines.map((l) => `\r\x1b[2K${l}\n`).join(''))
    this.drawn = lines.length
  }
}
