// The text of `luma-reframe --help`; the providers and their key variables come from the provider list.
import { RATIO_IDS } from '../core/ratios'
import { hostedProvidersOf, PROVIDERS, type ProviderDescriptor } from '../protocol/provider-list'

export function usageText(list: readonly ProviderDescriptor[] = PROVIDERS): string {
  const [first, ...others] = list
  const providers = [`${first.id} (default${first.key === null ? ', offline, no key' : ''})`, ...others.map((entry) => entry.id)].join(' | ')
  const keys = hostedProvidersOf(list)
    .map((entry) => `  ${entry.key.env.padEnd(22)} ${entry.label} (${entry.key.source})`)
    .join('\n')
  return `Usage: luma-reframe <files or folders...> [options]

Reframes every image to every ratio and writes <name>.<ratio>.<width>x<height>.<ext>
(e.g. photo.9x16.1152x2048.jpg). Folders are read one level deep (png, jpg, jpeg, webp, gif).
Only regular files are read (pipes and devices are skipped), at most 100 MB and 50 megapixels each.

Options:
  -r, --ratios LIST        comma-separated ratios (default 1:1,9:16,16:9)
                           any of ${RATIO_IDS.join(', ')}
  -p, --provider ID        ${providers}
  -m, --mode MODE          offline engine: fill (default: whole image kept, new area filled) | crop
      --fill KIND          offline fill: blur (default, blurred cover) | edge (edge-colour gradient)
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

Existing files are never overwritten unless --overwrite: a numbered name is used instead
(photo.1x1.512x512-2.png). Inputs are never overwritten, and --overwrite replaces a symlink at an
output's name with the new file instead of writing through it. The output folder (--out, or each
input's own folder) must be writable; this is checked before any job starts.

Ctrl+C cancels every job and prints the summary (exit 130); Ctrl+C again quits at once.

Exit codes: 0 all written, 1 something failed (the rest still finished), 2 bad usage, a missing key
or an unusable --out, 130 interrupted.
`
}

export const USAGE = usageText()
