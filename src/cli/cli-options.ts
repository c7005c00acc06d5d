// The command line's flags: parsed with node:util, validated with zod, so every mistake gets one
// clear sentence and exit code 2 before any work starts.
import { parseArgs } from 'node:util'
import * as z from 'zod/mini'
import { RATIO_IDS } from '../core/ratios'
import { FILE_NAME_PATTERN, unknownNameTokens } from '../core/result-name'
import { DEFAULT_SIZES, PRESET_IDS } from '../core/sizes'
import { DEFAULT_SETTINGS, LocalFillSchema, LocalModeSchema, PlacementSchema, ProviderIdSchema, SizeIdSchema } from '../protocol/settings'
import '../protocol/zod-english'

export const CliOptionsSchema = z.object({
  inputs: z.array(z.string()).check(z.minLength(1, 'Give at least one image file or folder.')),
  /** Plain ratios and platform presets, in the order asked for. */
  sizes: z.array(SizeIdSchema).check(z.minLength(1)),
  /** How output files are named (tokens {name} {preset} {width} {height}; the extension is added). */
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  provider: ProviderIdSchema,
  mode: LocalModeSchema,
  fill: LocalFillSchema,
  placement: PlacementSchema,
  prompt: z.string().check(z.maxLength(2000)),
  out: z.optional(z.string()),
  concurrency: z.number().check(z.int(), z.minimum(1), z.maximum(10)),
  baseUrl: z.optional(z.string().check(z.url())),
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
        sizes: { type: 'string', short: 's' },
        // the name from before presets; the same list, the same ids
        ratios: { type: 'string', short: 'r' },
        name: { type: 'string' },
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
  if (values.sizes !== undefined && values.ratios !== undefined) {
    return { kind: 'usage-error', message: '--ratios is another name for --sizes: give one list, with --sizes.' }
  }
  const sizesFlag = values.ratios !== undefined ? '--ratios' : '--sizes'
  const concurrency = values.concurrency === undefined ? DEFAULT_SETTINGS.concurrency : Number(values.concurrency)
  const sizes = values.sizes ?? values.ratios
  const candidate = {
    inputs: positionals,
    sizes: sizes === undefined ? DEFAULT_SIZES : splitList(sizes),
    name: values.name ?? FILE_NAME_PATTERN,
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
  if (!result.success) return { kind: 'usage-error', message: describeIssue(result.error.issues[0], candidate, sizesFlag) }
  const unknown = unknownNameTokens(result.data.name)
  if (unknown.length > 0) {
    return { kind: 'usage-error', message: `--name: ${unknown.join(', ')} is not a token; use {name}, {preset}, {width} and {height}.` }
  }
  return { kind: 'run', options: { ...result.data, sizes: [...new Set(result.data.sizes)] } }
}

/** Ids as typed, comma-separated; preset ids are matched whatever their case (`Story`, `IG-Portrait`). */
function splitList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter(Boolean)
}

function describeIssue(issue: z.core.$ZodIssue, candidate: Record<string, unknown>, sizesFlag: string): string {
  const field = String(issue.path[0] ?? '')
  const flag = field === 'baseUrl' ? '--base-url' : field === 'inputs' ? 'inputs' : `--${field}`
  const given = issue.path.reduce<unknown>((value, key) => (value as Record<PropertyKey, unknown>)?.[key as PropertyKey], candidate)
  switch (field) {
    case 'inputs':
      return issue.message
    case 'sizes':
      return Array.isArray(given)
        ? `${sizesFlag} needs at least one size: ratios ${RATIO_IDS.join(', ')} or presets ${PRESET_IDS.join(', ')}.`
        : `${sizesFlag}: "${String(given)}" is not a size. Use ratios ${RATIO_IDS.join(', ')} or presets ${PRESET_IDS.join(', ')} (luma-reframe --help lists their pixels).`
    case 'name':
      return `--name needs a pattern of at most 200 characters, such as ${FILE_NAME_PATTERN}.`
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
