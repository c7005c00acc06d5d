// The command line's flags: parsed with node:util, validated with zod, so every mistake gets one
// clear sentence and exit code 2 before any work starts.
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { DEFAULT_RATIOS } from '../core/ratios'
import { DEFAULT_SETTINGS, LocalFillSchema, LocalModeSchema, PlacementSchema, ProviderIdSchema, RatioIdSchema } from '../protocol/settings'

export const CliOptionsSchema = z.object({
  inputs: z.array(z.string()).min(1, 'Give at least one image file or folder.'),
  ratios: z.array(RatioIdSchema).min(1),
  provider: ProviderIdSchema,
  mode: LocalModeSchema,
  fill: LocalFillSchema,
  placement: PlacementSchema,
  prompt: z.string().max(2000),
  out: z.string().optional(),
  concurrency: z.number().int().min(1).max(10),
  baseUrl: z.string().url().optional(),
  json: z.boolean(),
  overwrite: z.boolean()
})

export type CliOptions = z.infer<typeof CliOptionsSchema>

export type ParsedCommand = { kind: 'help' } | { kind: 'run'; options: CliOptions } | { kind: 'usage-error'; message: string }

export function parseCliArgs(argv: string[]): ParsedCommand {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        ratios: { type: 'string', short: 'r' },
        provider: { type: 'string', short: 'p' },
        mode: { type: 'string', short: 'm' },
        fill: { type: 'string' },
        placement: { type: 'string' },
        prompt: { type: 'string' },
        out: { type: 'string', short: 'o' },
        concurrency: { type: 'string', short: 'c' },
        'base-url': { type: 'string' },
        json: { type: 'boolean' },
        overwrite: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      }
    })
  } catch (error) {
    return { kind: 'usage-error', message: error instanceof Error ? error.message : String(error) }
  }
  const { values, positionals } = parsed
  if (values.help) return { kind: 'help' }
  const concurrency = values.concurrency === undefined ? DEFAULT_SETTINGS.concurrency : Number(values.concurrency)
  const candidate = {
    inputs: positionals,
    ratios: values.ratios === undefined ? DEFAULT_RATIOS : splitList(values.ratios),
    provider: values.provider ?? 'local',
    mode: values.mode ?? 'fill',
    fill: values.fill ?? 'blur',
    placement: values.placement ?? 'center',
    prompt: values.prompt ?? '',
    out: values.out,
    concurrency,
    baseUrl: values['base-url'],
    json: values.json ?? false,
    overwrite: values.overwrite ?? false
  }
  const result = CliOptionsSchema.safeParse(candidate)
  if (!result.success) return { kind: 'usage-error', message: describeIssue(result.error.issues[0], candidate) }
  return { kind: 'run', options: { ...result.data, ratios: [...new Set(result.data.ratios)] } }
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
}

function describeIssue(issue: z.core.$ZodIssue, candidate: Record<string, unknown>): string {
  const field = String(issue.path[0] ?? '')
  const flag = field === 'baseUrl' ? '--base-url' : field === 'inputs' ? 'inputs' : `--${field}`
  const given = issue.path.reduce<unknown>((value, key) => (value as Record<PropertyKey, unknown>)?.[key as PropertyKey], candidate)
  switch (field) {
    case 'inputs':
      return issue.message
    case 'ratios':
      return `--ratios: "${String(given)}" is not a supported ratio. Use any of ${RatioIdSchema.options.join(', ')}.`
    case 'provider':
      return `--provider must be one of ${ProviderIdSchema.options.join(', ')} (got "${String(given)}").`
    case 'mode':
      return `--mode must be crop or fill (got "${String(given)}").`
    case 'fill':
      return `--fill must be blur or edge (got "${String(given)}").`
    case 'placement':
      return `--placement must be center, start or end (got "${String(given)}").`
    case 'concurrency':
      return `--concurrency must be a whole number from 1 to 10 (got "${String(given)}").`
    default:
      return `${flag}: ${issue.message}`
  }
}
