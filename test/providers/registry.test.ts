import { describe, expect, it } from 'vitest'
import { createProvider, registeredProviders } from '../../src/providers/registry'

describe('createProvider', () => {
  it('builds each hosted provider with its id, accepting only native ratios', () => {
    for (const id of ['eachlabs', 'fal', 'replicate'] as const) {
      const provider = createProvider(id, { apiKey: 'k-1234' })
      expect(provider.id).toBe(id)
      expect(provider.supportsRatio('21:9')).toBe(true)
      expect(provider.supportsRatio('4:5')).toBe(false)
    }
    expect(registeredProviders()).toEqual(expect.arrayContaining(['eachlabs', 'fal', 'replicate']))
  })
})
