// Throttles team-token guessing: each client address may fail the token check a few times a minute;
// past that it is answered 429 before its token is even looked at, so a right guess is as slow as a
// wrong one. Requests with a valid token never use up the allowance. In memory, per relay instance.
import { parseIpAddress, unmappedIpv4 } from './ip-address'

export type FailedTokenAdmission = { ok: true } | { ok: false; retryAfterSeconds: number }

export type FailedTokenLimit = {
  /** Whether this client may have its token checked now. */
  check(client: string | undefined): FailedTokenAdmission
  /** The client's token was wrong or missing. */
  failed(client: string | undefined): void
}

/** Clients nobody could name share one allowance, and so do the addresses of one IPv6 /64 (one host can hold them all). */
export function clientKey(client: string | undefined): string {
  const parsed = client === undefined ? undefined : parseIpAddress(client)
  if (!parsed) return 'unknown'
  const address = unmappedIpv4(parsed)
  if (address.family === 4) return address.bytes.join('.')
  const network = Array.from(address.bytes.slice(0, 8), (byte) => byte.toString(16).padStart(2, '0')).join('')
  return `${network}/64`
}

type Bucket = { tokens: number; refilledAt: number }

export function createFailedTokenLimit(options: { perMinute: number; now?: () => number; maxClients?: number }): FailedTokenLimit {
  const now = options.now ?? Date.now
  const maxClients = options.maxClients ?? 10_000
  const perMs = options.perMinute / 60_000
  const buckets = new Map<string, Bucket>()

  function refilled(key: string): Bucket {
    const t = now()
    const bucket = buckets.get(key) ?? { tokens: options.perMinute, refilledAt: t }
    bucket.tokens = Math.min(options.perMinute, bucket.tokens + (t - bucket.refilledAt) * perMs)
    bucket.refilledAt = t
    return bucket
  }

  // many addresses (a scan) must not grow memory without bound: forget the ones that are whole again,
  // then the oldest; forgetting only ever gives an address its full allowance back
  function makeRoom() {
    if (buckets.size < maxClients) return
    for (const key of buckets.keys()) if (refilled(key).tokens >= options.perMinute) buckets.delete(key)
    for (const key of buckets.keys()) {
      if (buckets.size < maxClients) break
      buckets.delete(key)
    }
  }

  return {
    check(client) {
      const key = clientKey(client)
      if (!buckets.has(key)) return { ok: true }
      const bucket = refilled(key)
      if (bucket.tokens >= 1) return { ok: true }
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) }
    },
    failed(client) {
      const key = clientKey(client)
      if (!buckets.has(key)) makeRoom()
      const bucket = refilled(key)
      bucket.tokens = Math.max(0, bucket.tokens - 1)
      // re-inserted, so the Map's order stays oldest-failure first
      buckets.delete(key)
      buckets.set(key, bucket)
    }
  }
}
