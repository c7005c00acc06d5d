// Adds the provider key the way its record in the provider list says, only for that provider's API
// hosts: presigned upload and result URLs carry their own signature and must never see the key.
import type { ListedHost } from '../protocol/provider-hosts'
import { describeProvider, PROVIDERS, type ProviderDescriptor } from '../protocol/provider-list'

export function providerAuthHeaders(host: ListedHost, key: string, list: readonly ProviderDescriptor[] = PROVIDERS): Record<string, string> {
  if (host.role !== 'api') return {}
  return describeProvider(host.provider, list)?.key?.headers(key) ?? {}
}
