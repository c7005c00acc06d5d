// One line for a person from anything a job can fail with: provider errors carry what to do, main's
// errors say what Figma refused. Secrets the caller names never appear in it.
import { isReframeError } from '../core/reframe-error'

export function describeFailure(error: unknown, redact: readonly string[] = []): string {
  let message: string
  if (isReframeError(error)) message = error.userMessage
  else if (error instanceof Error && error.message !== '') message = error.message
  else message = 'Something went wrong; retry.'
  for (const secret of redact) if (secret.length >= 4) message = message.split(secret).join('•••')
  return message
}

/** What kind of failure it was, for machines (the CLI's --json): a ReframeError's kind, `io` for a file error. */
export function failureKind(error: unknown): string {
  if (isReframeError(error)) return error.kind
  return typeof (error as { code?: unknown } | undefined)?.code === 'string' ? 'io' : 'unexpected'
}

/** Whether retrying can help: a damaged or unreadable file stays as it is (a key or a balance can be fixed first). */
export function isRetryable(error: unknown): boolean {
  return !(isReframeError(error) && error.kind === 'decode')
}
