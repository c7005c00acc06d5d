// The text of `luma-reframe --help`; the providers and their key variables come from the provider list,
// the sizes from core/sizes.ts.
import { RATIO_IDS } from '../core/ratios'
import { FILE_NAME_PATTERN } from '../core/result-name'
import { PLATFORM_PRESETS, type PlatformPreset } from '../core/sizes'
import { hostedProvidersOf, PROVIDERS, type ProviderDescriptor } from '../protocol/provider-list'

/** `story        1080x1920  Stories / Reels / TikTok`, and its safe zone on a line of its own. */
function presetLines(preset: PlatformPreset): string {
  const indent = ' '.repeat(29)
  const line = `${indent}${preset.id.padEnd(12)} ${`${preset.width}x${preset.height}`.padEnd(10)} ${preset.name}`
  if (preset.safe === undefined) return line
  const { top, right, bottom, left } = preset.safe
  return `${line}\n${indent}${' '.repeat(24)}safe zone ${top}/${bottom} px top/bottom, ${left}/${right} left/right`
}

export function usageText(list: readonly ProviderDescriptor[] = PROVIDERS): string {
  const [first, ...others] = list
  const providers = [`${first.id} (default${first.key === null ? ', offline, no key' : ''})`, ...others.map((entry) => entry.id)].join(' | ')
  const keys = hostedProvidersOf(list)
    .map((entry) => `  ${entry.key.env.padEnd(22)} ${entry.label} (${entry.key.source})`)
    .join('\n')
  return `Usage: luma-reframe <files or folders...> [options]

Reframes every image to every size and writes ${FILE_NAME_PATTERN}.<ext>
(coffee_ig-portrait_1080x1350.jpg, coffee_16x9_711x400.png). Folders are read one level deep (png,
jpg, jpeg, webp, gif). Only regular files are read (pipes and devices are skipped), at most 100 MB
and 50 megapixels each.

Options:
  -s, --sizes LIST         comma-separated sizes, ratios and presets mixed (default 1:1,9:16,16:9),
                           e.g. --sizes ig-portrait,story,16:9
                           ratios: ${RATIO_IDS.join(', ')}
                           presets (a file of exactly these pixels in every mode):
${PLATFORM_PRESETS.map(presetLines).join('\n')}
  -r, --ratios LIST        the same as --sizes (its name from before presets)
      --name PATTERN       output file names, without the extension (default ${FILE_NAME_PATTERN});
                           tokens {name} (the input's name), {preset} (the size: ig-portrait, 16x9),
                           {width} and {height} (the file's pixels)
  -p, --provider ID        ${providers}
  -m, --mode MODE          offline engine: fill (default: whole image kept, new area filled) | crop
      --fill KIND          offline fill: blur (default, blurred cover) | edge (edges mirrored and softened)
      --placement WHERE    where the original sits along the extended axis: center (default) | start | end
      --prompt TEXT        what to generate in the new area (hosted providers)
  -o, --out DIR            output folder (default: next to each input)
  -c, --concurrency N      jobs in flight at once, 1-10 (default 6)
      --base-url URL       the hosted provider's API base (a relay, or a test server)
      --overwrite          replace existing outputs (inputs are never replaced)
      --json               print one JSON report on stdout instead of the table
  -h, --help               show this help

Keys (hosted providers only) come from the environment:
${keys}

A preset's file has exactly the preset's pixels in every mode: a smart crop smaller than the preset
is scaled up to it, and its row says so ("upscaled 1.6x").

Existing files are never overwritten unless --overwrite: a numbered name is used instead
(photo_1x1_512x512-2.png). Inputs are never overwritten, and --overwrite replaces a symlink at an
output's name with the new file instead of writing through it. The output folder (--out, or each
input's own folder) must be writable; this is checked before any job starts.

A folder leaves out this tool's own outputs, so a re-run does not reframe its results: names of the
default pattern (a known size between underscores, then <width>x<height>), the older
<name>.<ratio>.<width>x<height> names, and names of this run's --name pattern when it holds {preset}.
Name such a file explicitly to reframe it anyway.

Ctrl+C cancels every job and prints the summary (exit 130); Ctrl+C again quits at once.

Exit codes: 0 all written, 1 something failed (the rest still finished), 2 bad usage, a missing key
or an unusable --out, 130 interrupted.
`
}

export const USAGE = usageText()
