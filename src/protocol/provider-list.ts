// Every reframe engine as one record: its name, its key (where it comes from, how it is sent, how it is
// checked for free), its price and every host it reaches. Settings, the cost line, the UI's provider
// list and key hints, the CLI's --provider and key variables, the relay's allowlist and auth, the
// preview's fakes and manifest.json's allowedDomains are all derived from this list. Adding a provider:
// its record here, its client module in src/providers/ (named in providers/registry.ts, which the type
// checker holds to this list) and its fake in preview/fakes/providers/.
import type { PriceModel } from '../core/cost'

/** `api` hosts get the provider key; `storage` hosts (presigned uploads, results) only the URL's own signature. */
export type HostRole = 'api' | 'storage'

/** As in reframe-apis.md: official docs, third-party code only, or not verified anywhere. */
export type Evidence = 'docs' | '3rd' | '?'

export type ProviderHost = {
  role: HostRole
  /** Exact host name, or `*.suffix` for any sub-domain of suffix (never the suffix itself). */
  host: string
  /** Only paths under this prefix (ends with `/`): for a host shared with strangers. */
  pathPrefix?: string
  evidence: Evidence
  note: string
}

export type ProviderKey = {
  /** What the host calls it, for labels: "API key", "API token". */
  noun: string
  /** The environment variable the CLI and the team relay read it from. */
  env: string
  /** Where a person gets one. */
  source: string
  /** The headers that carry it to an API host. */
  headers: (key: string) => Record<string, string>
  /**
   * A request that costs nothing and that the host refuses (401/403) for a wrong key; statuses in
   * `alsoValid` still prove the key was accepted. Null when the host has no such request.
   */
  check: { path: string; alsoValid?: readonly number[]; evidence: Evidence; note: string } | null
}

export type ProviderDescriptor = {
  id: string
  /** The name people see. */
  label: string
  /** Null for an engine that needs no key (the offline engine). */
  key: ProviderKey | null
  price: PriceModel
  /** Every host the plugin or the relay may reach for this provider; none for the offline engine. */
  hosts: readonly ProviderHost[]
}

const LOCAL = {
  id: 'local',
  label: 'Offline engine',
  key: null,
  price: { kind: 'free' },
  hosts: []
} as const satisfies ProviderDescriptor

// reframe-apis.md documents the API hosts but names no storage host for each::labs: the list holds
// every candidate seen (a wrong guess costs a refused download; a missing host costs the same).
const EACHLABS = {
  id: 'eachlabs',
  label: 'each::labs',
  key: {
    noun: 'API key',
    env: 'EACHLABS_API_KEY',
    source: 'eachlabs.ai → API keys',
    // the API reference documents Bearer (since 2026-07), the model page X-API-Key: both, everywhere
    headers: (key: string) => ({ Authorization: `Bearer ${key}`, 'X-API-Key': key }),
    check: {
      path: '/v1/prediction/luma-reframe-key-check-0000',
      alsoValid: [404],
      evidence: '?',
      note: 'a prediction that cannot exist: 401 for a wrong key, 404 for a right one (our guess at the order of checks)'
    }
  },
  price: { kind: 'per-job', usd: 0.005 },
  hosts: [
    { role: 'api', host: 'api.eachlabs.ai', evidence: 'docs', note: 'predictions and upload presign' },
    { role: 'storage', host: 'eachlabs-storage.s3.amazonaws.com', evidence: '?', note: 'presigned PUT; named by the first relay, not by the reference' },
    { role: 'storage', host: 'cdn-us.eachlabs.ai', evidence: '?', note: 'public_url of uploads; named by the first relay, not by the reference' },
    { role: 'storage', host: 'storage.eachlabs.ai', evidence: '3rd', note: 'prediction outputs' },
    { role: 'storage', host: '*.eachlabs.ai', evidence: '?', note: 'a regional "cdn-us" suggests other regions; the provider\'s own domain' }
  ]
} as const satisfies ProviderDescriptor

const FAL = {
  id: 'fal',
  label: 'fal',
  key: {
    noun: 'API key',
    env: 'FAL_KEY',
    source: 'fal.ai → Keys',
    headers: (key: string) => ({ Authorization: `Key ${key}` }),
    // fal documents no request that checks a key without running (and paying for) a model
    check: null
  },
  price: { kind: 'per-megapixel', usd: 0.005 },
  hosts: [
    { role: 'api', host: 'queue.fal.run', evidence: 'docs', note: 'submit, status, response' },
    { role: 'api', host: 'rest.fal.ai', evidence: 'docs', note: 'storage upload initiate' },
    { role: 'storage', host: 'fal.media', evidence: '3rd', note: 'results' },
    { role: 'storage', host: '*.fal.media', evidence: '3rd', note: 'v3.fal.media, v3b.fal.media: CDN uploads and results' },
    { role: 'storage', host: 'storage.googleapis.com', pathPrefix: '/falserverless/', evidence: '3rd', note: 'older results; a shared host, so this bucket only' }
  ]
} as const satisfies ProviderDescriptor

const REPLICATE = {
  id: 'replicate',
  label: 'Replicate',
  key: {
    noun: 'API token',
    env: 'REPLICATE_API_TOKEN',
    source: 'replicate.com → API tokens',
    headers: (key: string) => ({ Authorization: `Bearer ${key}` }),
    check: { path: '/v1/account', evidence: 'docs', note: "the token's owner, free: 200 for a good token, 401 for a bad one" }
  },
  price: { kind: 'per-job', usd: 0.01 },
  hosts: [
    { role: 'api', host: 'api.replicate.com', evidence: 'docs', note: 'predictions, Files API, account' },
    { role: 'storage', host: 'replicate.delivery', evidence: 'docs', note: 'prediction outputs' },
    { role: 'storage', host: '*.replicate.delivery', evidence: '3rd', note: 'pbxt.replicate.delivery and friends' }
  ]
} as const satisfies ProviderDescriptor

/** The engines, in the order people see them; the first is the default. */
export const PROVIDERS = [LOCAL, EACHLABS, FAL, REPLICATE] as const

type Listed = (typeof PROVIDERS)[number]
export type ProviderId = Listed['id']
/** The engines reached over the network with a key. */
export type HostedProviderId = Extract<Listed, { key: ProviderKey }>['id']

/** The ids of a list, first first (zod enums want at least one). */
export function providerIdsOf<L extends readonly ProviderDescriptor[]>(list: L): [L[number]['id'], ...L[number]['id'][]] {
  const ids = list.map((entry) => entry.id)
  if (ids.length === 0) throw new Error('The provider list is empty.')
  return ids as [L[number]['id'], ...L[number]['id'][]]
}

/** The entries that need a key. */
export function hostedProvidersOf(list: readonly ProviderDescriptor[]): Array<ProviderDescriptor & { key: ProviderKey }> {
  return list.filter((entry): entry is ProviderDescriptor & { key: ProviderKey } => entry.key !== null)
}

export const HOSTED_PROVIDER_IDS = hostedProvidersOf(PROVIDERS).map((entry) => entry.id) as HostedProviderId[]

export function describeProvider(id: ProviderId): Listed
export function describeProvider(id: string, list: readonly ProviderDescriptor[]): ProviderDescriptor | undefined
export function describeProvider(id: string, list: readonly ProviderDescriptor[] = PROVIDERS): ProviderDescriptor | undefined {
  return list.find((entry) => entry.id === id)
}

/** The record of a hosted provider (its key is always there). */
export function describeHosted(id: HostedProviderId): Listed & { key: ProviderKey } {
  return describeProvider(id) as Listed & { key: ProviderKey }
}
