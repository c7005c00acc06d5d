// Dev-only seam for the browser preview (preview/): it injects `window.__LUMA_PREVIEW__` into the
// plugin's HTML to point hosted providers at its fake hosts on loopback. Figma never sets it, so in
// the real plugin this returns no overrides; only loopback http URLs are honoured, never other hosts.
import * as z from 'zod/mini'
import { HOSTED_PROVIDER_IDS, type HostedProviderId } from '../src/protocol/provider-list'
import type { ProviderOverrides } from './provider-for-settings'

const LoopbackUrlSchema = z.string().check(z.refine((value) => /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/.test(value), 'only loopback URLs'))

const PreviewGlobalSchema = z.object({
  providerBaseUrls: z.optional(z.partialRecord(z.enum(HOSTED_PROVIDER_IDS as [HostedProviderId, ...HostedProviderId[]]), LoopbackUrlSchema))
})

export function previewOverrides(window: Window): ProviderOverrides {
  const raw = (window as unknown as { __LUMA_PREVIEW__?: unknown }).__LUMA_PREVIEW__
  if (raw === undefined) return {}
  const parsed = PreviewGlobalSchema.safeParse(raw)
  if (!parsed.success) {
    console.warn('[luma-reframe] ignored the preview overrides: they are not loopback provider URLs')
    return {}
  }
  return { baseUrls: parsed.data.providerBaseUrls ?? {} }
}
