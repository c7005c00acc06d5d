// A response body checked against its zod schema; anything else is a 'malformed' error in a sentence.
// A body that is not JSON at all (cut short, a proxy's HTML page) may read fine next time; JSON of
// the wrong shape is the host speaking another protocol, which asking again will not change.
import type * as z from 'zod/mini'
import { ReframeError } from '../../core/reframe-error'
import '../../protocol/zod-english'
import { RequestFailure } from './request-failure'

export function parseBody<S extends z.ZodMiniType>(schema: S, text: string, host: string, scrub: (text: string) => string): z.infer<S> {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (cause) {
    throw new RequestFailure(new ReframeError('malformed', `${host} answered with something that is not JSON.`, { cause }), 'accepted', true)
  }
  const parsed = schema.safeParse(body)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue && issue.path.length > 0 ? ` at "${issue.path.join('.')}"` : ''
    throw new ReframeError('malformed', scrub(`${host} answered in an unexpected shape${where}: ${issue?.message ?? 'invalid'}.`))
  }
  return parsed.data
}
