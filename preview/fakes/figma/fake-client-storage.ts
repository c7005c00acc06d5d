// figma.clientStorage: values are structured clones, 5 MB in all per plugin.
export const CLIENT_STORAGE_LIMIT = 5 * 1024 * 1024

function approximateSize(value: unknown): number {
  if (value instanceof Uint8Array) return value.byteLength
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + approximateSize(item), 2)
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).reduce((sum, [k, v]) => sum + k.length + approximateSize(v), 2)
  }
  return JSON.stringify(value ?? null).length
}

export class FakeClientStorage implements ClientStorageAPI {
  readonly #values = new Map<string, unknown>()
  constructor(private readonly delay: () => Promise<void>) {}

  async getAsync(key: string): Promise<unknown> {
    await this.delay()
    if (typeof key !== 'string') throw new Error('clientStorage.getAsync: key must be a string')
    return this.#values.has(key) ? structuredClone(this.#values.get(key)) : undefined
  }

  async setAsync(key: string, value: unknown): Promise<void> {
    await this.delay()
    if (typeof key !== 'string' || key === '') throw new Error('clientStorage.setAsync: key must be a non-empty string')
    if (value === undefined) throw new Error('clientStorage.setAsync: value must not be undefined')
    const copy = structuredClone(value)
    const others = [...this.#values].filter(([k]) => k !== key)
    const total = others.reduce((sum, [k, v]) => sum + k.length + approximateSize(v), 0) + key.length + approximateSize(copy)
    if (total > CLIENT_STORAGE_LIMIT) throw new Error('clientStorage quota exceeded (5 MB)')
    this.#values.set(key, copy)
  }

  async deleteAsync(key: string): Promise<void> {
    await this.delay()
    this.#values.delete(key)
  }

  async keysAsync(): Promise<string[]> {
    await this.delay()
    return [...this.#values.keys()]
  }

  /** Test access: the raw stored value, without a clone. */
  peek(key: string): unknown {
    return this.#values.get(key)
  }
}
