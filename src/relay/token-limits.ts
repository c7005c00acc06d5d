// Per-token fairness: a cap on requests in flight and a token bucket for requests per minute.
// In-memory, so each relay instance limits on its own (enough for one team on one process).

export type Admission = { ok: true; release: () => void } | { ok: false; reason: string; retryAfterSeconds: number }

type Bucket = { inFlight: number; tokens: number; refilledAt: number }

export type TokenLimits = {
  admit(tokenId: string): Admission
  /** Requests in flight over every token: an aggregate, safe to show on /health. */
  inFlight(): number
}

export function createTokenLimits(options: { maxConcurrent: number; ratePerMinute: number; now?: () => number }): TokenLimits {
  const now = options.now ?? Date.now
  const perMs = options.ratePerMinute / 60_000
  const buckets = new Map<string, Bucket>()

  function bucketFor(tokenId: string): Bucket {
    let bucket = buckets.get(tokenId)
    if (!bucket) {
      bucket = { inFlight: 0, tokens: options.ratePerMinute, refilledAt: now() }
      buckets.set(tokenId, bucket)
    }
    const t = now()
    bucket.tokens = Math.min(options.ratePerMinute, bucket.tokens + (t - bucket.refilledAt) * perMs)
    bucket.refilledAt = t
    return bucket
  }

  return {
    admit(tokenId) {
      const bucket = bucketFor(tokenId)
      if (bucket.inFlight >= options.maxConcurrent) {
        return { ok: false, reason: `more than ${options.maxConcurrent} requests in flight for this team token`, retryAfterSeconds: 1 }
      }
      if (bucket.tokens < 1) {
        return {
          ok: false,
          reason: `more than ${options.ratePerMinute} requests per minute for this team token`,
          retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000))
        }
      }
      bucket.tokens -= 1
      bucket.inFlight += 1
      let released = false
      return {
        ok: true,
        release: () => {
          if (released) return
          released = true
          bucket.inFlight -= 1
        }
      }
    },
    inFlight() {
      let total = 0
      for (const bucket of buckets.values()) total += bucket.inFlight
      return total
    }
  }
}
