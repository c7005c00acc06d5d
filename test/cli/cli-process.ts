// Test harness: the real `luma-reframe` bin in a child process, as a person runs it (stdout and
// stderr are pipes, so not a terminal), and throwaway workspaces with fixture images.
import { execFile, spawn } from 'node:child_process'
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..')
export const BIN = join(ROOT, 'bin/luma-reframe.mjs')
export const FIXTURES = join(ROOT, '../shared/fixtures/images')

/**
 * Root ignores file modes, so a "read-only folder" is only read-only to the CLI when it runs as
 * another user: as root the child drops to `nobody`; as anyone else it runs as itself.
 */
export const OTHER_USER: { uid?: number; gid?: number } = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}

export type Run = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

export type CliOptions = {
  cwd: string
  env?: Record<string, string>
  /** Run as a user for whom file modes count (see OTHER_USER). */
  asOtherUser?: boolean
  /** Kills a hung child so the test fails instead of waiting forever; not a time limit on the CLI. */
  hangGuardMs?: number
}

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, EACHLABS_API_KEY: '', FAL_KEY: '', REPLICATE_API_TOKEN: '', ...extra }
}

export function cli(args: string[], options: CliOptions): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: options.cwd,
        env: childEnv(options.env),
        timeout: options.hangGuardMs ?? 90_000,
        maxBuffer: 16 * 1024 * 1024,
        ...(options.asOtherUser ? OTHER_USER : {})
      },
      (error, stdout, stderr) => {
        const failed = error as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null
        const code = failed === null ? 0 : typeof failed.code === 'number' ? failed.code : null
        resolve({ code, signal: failed?.signal ?? null, stdout, stderr })
      }
    )
  })
}

export type LiveCli = {
  /** Resolves once stderr has matched (progress lines are the CLI's events). */
  stderrMatches(pattern: RegExp): Promise<void>
  signal(name: NodeJS.Signals): void
  exited: Promise<Run & { exitedAt: number }>
}

/** The bin running in the background, for signals. */
export function startCli(args: string[], options: CliOptions): LiveCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.asOtherUser ? OTHER_USER : {})
  })
  let stdout = ''
  let stderr = ''
  const watchers: { pattern: RegExp; resolve: () => void }[] = []
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
    for (const watcher of [...watchers]) {
      if (watcher.pattern.test(stderr)) {
        watchers.splice(watchers.indexOf(watcher), 1)
        watcher.resolve()
      }
    }
  })
  const guard = setTimeout(() => child.kill('SIGKILL'), options.hangGuardMs ?? 90_000)
  const exited = new Promise<Run & { exitedAt: number }>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(guard)
      resolve({ code, signal, stdout, stderr, exitedAt: performance.now() })
    })
  })
  return {
    stderrMatches(pattern) {
      if (pattern.test(stderr)) return Promise.resolve()
      return new Promise<void>((resolve, reject) => {
        watchers.push({ pattern, resolve })
        void exited.then((run) => reject(new Error(`the CLI exited (${run.code ?? run.signal}) before stderr matched ${pattern}:\n${run.stderr}\n${run.stdout}`)))
      })
    },
    signal(name) {
      child.kill(name)
    },
    exited
  }
}

/** A fresh folder with `in/` holding copies of the named fixtures; readable by OTHER_USER too. */
export function workspace(files: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'luma-cli-'))
  mkdirSync(join(dir, 'in'))
  for (const f of files) copyFileSync(join(FIXTURES, f), join(dir, 'in', f))
  chmodSync(dir, 0o777)
  chmodSync(join(dir, 'in'), 0o777)
  return dir
}
