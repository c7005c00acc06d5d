// Remembers each source's upload so Retry failed does not upload it again. An entry is reused only
// for the same provider and export size, and only while the host still serves it.
import type { UploadedSource } from '../../src/providers/provider'

export type CachedUpload = { uploaded: UploadedSource; sourceAspect: number; at: number }

/**
 * 30 minutes: each::labs keeps uploads 180 days and data URIs never expire, but a relay or host may
 * clean up sooner; past this a retry uploads again, which costs seconds, not money.
 */
export const UPLOAD_TTL_MS = 30 * 60 * 1000

export class UploadCache {
  private readonly entries = new Map<string, CachedUpload>()

  constructor(
    private readonly ttlMs = UPLOAD_TTL_MS,
    private readonly now: () => number = Date.now
  ) {}

  private key(providerId: string, nodeId: string, exportMaxEdge: number): string {
    return `${providerId}|${nodeId}|${exportMaxEdge}`
  }

  get(providerId: string, nodeId: string, exportMaxEdge: number): CachedUpload | undefined {
    const key = this.key(providerId, nodeId, exportMaxEdge)
    const entry = this.entries.get(key)
    if (entry === undefined) return undefined
    if (this.now() - entry.at > this.ttlMs) {
      this.entries.delete(key)
      return undefined
    }
    return entry
  }

  set(providerId: string, nodeId: string, exportMaxEdge: number, uploaded: UploadedSource, sourceAspect: number) {
    this.entries.set(this.key(providerId, nodeId, exportMaxEdge), { uploaded, sourceAspect, at: this.now() })
  }

  delete(providerId: string, nodeId: string, exportMaxEdge: number) {
    this.entries.delete(this.key(providerId, nodeId, exportMaxEdge))
  }

  clear() {
    this.entries.clear()
  }
}
