// Progress on stderr: on a terminal, one live line per file showing each ratio's state and size;
// otherwise (pipes, CI logs) one plain line per event.
import type { RatioId } from '../core/ratios'
import type { JobState } from '../providers/provider'
import { relativeName } from './relative-name'

export type JobStage = JobState | 'writing'

export interface ProgressReporter {
  fileStarted(input: string): void
  fileFailed(input: string, message: string): void
  job(input: string, ratio: RatioId, stage: JobStage, detail?: string): void
  jobWritten(input: string, ratio: RatioId, output: string, width: number, height: number): void
  jobFailed(input: string, ratio: RatioId, message: string): void
  finish(): void
}

type Stream = { write(text: string): unknown; isTTY?: boolean; columns?: number }

export function createProgressReporter(stream: Stream, cwd: string, ratios: RatioId[]): ProgressReporter {
  return stream.isTTY ? new LiveReporter(stream, cwd, ratios) : new LineReporter(stream, cwd)
}

class LineReporter implements ProgressReporter {
  constructor(
    private readonly stream: Stream,
    private readonly cwd: string
  ) {}
  private line(text: string) {
    this.stream.write(text + '\n')
  }
  fileStarted(input: string) {
    this.line(`${relativeName(input, this.cwd)}: started`)
  }
  fileFailed(input: string, message: string) {
    this.line(`${relativeName(input, this.cwd)}: FAILED ${message}`)
  }
  job(input: string, ratio: RatioId, stage: JobStage, detail?: string) {
    this.line(`${relativeName(input, this.cwd)} ${ratio}: ${stage}${detail ? ` (${detail})` : ''}`)
  }
  jobWritten(input: string, ratio: RatioId, output: string, width: number, height: number) {
    this.line(`${relativeName(input, this.cwd)} ${ratio}: done ${width}x${height} -> ${relativeName(output, this.cwd)}`)
  }
  jobFailed(input: string, ratio: RatioId, message: string) {
    this.line(`${relativeName(input, this.cwd)} ${ratio}: FAILED ${message}`)
  }
  finish() {}
}

const MARKS: Record<JobStage, string> = {
  uploading: '↑',
  queued: '…',
  running: '⟳',
  downloading: '↓',
  writing: '↓',
  done: '✓',
  failed: '✗'
}

/** Redraws a block of lines in place (ANSI cursor-up + clear line), at most every 80 ms. */
class LiveReporter implements ProgressReporter {
  private readonly files: { input: string; status: string; ratios: Map<RatioId, string> }[] = []
  private drawn = 0
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly stream: Stream,
    private readonly cwd: string,
    private readonly ratios: RatioId[]
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
  job(input: string, ratio: RatioId, stage: JobStage) {
    const file = this.entry(input)
    file.status = ''
    file.ratios.set(ratio, `${ratio} ${MARKS[stage]}`)
    this.schedule()
  }
  jobWritten(input: string, ratio: RatioId, _output: string, width: number, height: number) {
    this.entry(input).ratios.set(ratio, `${ratio} ✓ ${width}x${height}`)
    this.schedule()
  }
  jobFailed(input: string, ratio: RatioId) {
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
      const text = `${relativeName(f.input, this.cwd)}  ${f.status || [...f.ratios.values()].join('  ')}`
      return text.length > width ? text.slice(0, width - 1) + '…' : text
    })
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A` : ''
    this.stream.write(up + lines.map((l) => `\r\x1b[2K${l}\n`).join(''))
    this.drawn = lines.length
  }
}
