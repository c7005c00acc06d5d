// Remembers each source's upload so Retry failed does not upload it again. An entry is reused only
// for the same provider and export size, and only while the host still serves it. The export itself
// (what the layer shows, and the photo around it) is remembered too, so a retry reads nothing again.
import type { Size } from '../core/ratios'
import type { UploadedSource } from '../providers/provider'
import type { ExportedSource } from './source-pixels'

/** A source the provider holds, with the layer size its pixels came from (for the reframe plan). */
export type CachedUpload = { uploaded: UploadedSource; layer: Size; at: number }

/**
 * 30 minutes: each::labs keeps uploads 180 days and data URIs never expire, but a relay or host may
 * clean up sooner; past this a retry uploads again, which costs seconds, not money.
 */
export const UPLOAD_TTL_MS = 30 * 60 * 1000

export class UploadCache {
  private readonly entries = new Map<string, CachedUpload>()
  private readonly exports = new Map<string, { exported: ExportedSource; at: number }>()

  constructor(
    private readonly ttlMs = UPLOAD_TTL_MS,
    private readonly now: () => number = Date.now
  ) {}

  private key(providerId: string, sourceId: string, exportMaxEdge: number): string {
    return `${providerId}|${sourceId}|${exportMaxEdge}`
  }

  /** The entry under `key` while it is fresh; a stale one is dropped. */
  private fresh<T extends { at: number }>(map: Map<string, T>, key: string): T | undefined {
    const entry = map.get(key)
    if (entry === undefined || this.now() - entry.at <= this.ttlMs) return entry
    map.delete(key)
    return undefined
  }

  get(providerId: string, sourceId: string, exportMaxEdge: number): CachedUpload | undefined {
    return this.fresh(this.entries, this.key(providerId, sourceId, exportMaxEdge))
  }

  set(providerId: string, sourceId: string, exportMaxEdge: number, uploaded: UploadedSource, layer: Size): CachedUpload {
    const entry = { uploaded, layer, at: this.now() }
    this.entries.set(this.key(providerId, sourceId, exportMaxEdge), entry)
    return entry
  }

  delete(providerId: string, sourceId: string, exportMaxEdge: number) {
    this.entries.delete(this.key(providerId, sourceId, exportMaxEdge))
  }

  /** A source's export for this provider and export size, while it is fresh (kept like its uploads). */
  getExport(providerId: string, sourceId: string, exportMaxEdge: number): ExportedSource | undefined {
    return this.fresh(this.exports, this.key(providerId, sourceId, exportMaxEdge))?.exported
  }

  setExport(providerId: string, sourceId: string, exportMaxEdge: number, exported: ExportedSource): void {
    this.exports.set(this.key(providerId, sourceId, exportMaxEdge), { exported, at: this.now() })
  }

  clear() {
    this.entries.clear()
    this.exports.clear()
  }
}
