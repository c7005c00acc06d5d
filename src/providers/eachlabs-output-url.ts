// Where each::labs puts the result of this slug: its `output` shape is undocumented (guesses.ts).
import * as z from 'zod/mini'

const UrlSchema = z.string().check(z.regex(/^https?:\/\//))

/**
 * The result URL inside `output`, whose shape for this slug is undocumented (see guesses.ts):
 * a URL, an array whose first item is a URL or `{ url }`, or an object with `url`, `image`, `images[0].url`.
 */
export function eachlabsOutputUrl(output: unknown): string | undefined {
  const asUrl = (value: unknown) => (UrlSchema.safeParse(value).success ? (value as string) : undefined)
  const fromObject = (value: unknown): string | undefined => {
    if (typeof value !== 'object' || value === null) return undefined
    const o = value as Record<string, unknown>
    const images = Array.isArray(o.images) ? o.images : []
    const first = images[0] as unknown
    return asUrl(o.url) ?? asUrl(o.image) ?? asUrl(first) ?? (typeof first === 'object' && first !== null ? asUrl((first as Record<string, unknown>).url) : undefined)
  }
  if (typeof output === 'string') return asUrl(output)
  if (Array.isArray(output)) return asUrl(output[0]) ?? fromObject(output[0])
  return fromObject(output)
}
