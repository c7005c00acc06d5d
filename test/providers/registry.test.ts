import { describe, expect, it } from 'vitest'
import { HOSTED_PROVIDER_IDS } from '../../src/protocol/provider-list'
import { createProvider } from '../../src/providers/registry'

describe('createProvider', () => {
  it('builds a client for every hosted provider in the list, with its id, accepting only native ratios', () => {
    expect(HOSTED_PROVIDER_IDS).toEqual(['eachlabs', 'fal', 'replicate'])
    for (const id of HOSTED_PROVIDER_IDS) {
      const provider = createProvider(id, { apiKey: 'k-1234' })
      expect(provider.id).toBe(id)
      expect(provider.supportsRatio('21:9')).toBe(true)
      expect(provider.supportsRatio('4:5')).toBe(false)
    }
  })
})
