// Adds the provider key the way each host expects it, only for that provider's API hosts:
// presigned upload and result URLs carry their own signature and must never see the key.
import type { HostedProviderId } from '../core/settings'
import type { ProviderHost } from '../protocol/provider-hosts'

export function providerAuthHeaders(host: ProviderHost, key: string): Record<string, string> {
  if (host.role !== 'api') return {}
  const byProvider: Record<HostedProviderId, Record<string, string>> = {
    // each::labs documents Bearer since 2026-07 and X-API-Key before; both are harmless together
    eachlabs: { Authorization: `Bearer ${key}`, 'X-API-Key': key },
    fal: { Authorization: `Key ${key}` },
    replicate: { Authorization: `Bearer ${key}` }
  }
  return byProvider[host.provider]
}
