import { describe, expect, it } from 'vitest'
import { batchSummary, NOTIFY_MAX_CHARS, resultName } from '../../src/core/result-name'

describe('resultName', () => {
  it('joins the source name and the ratio with a middle dot', () => {
    expect(resultName('Hero photo', '16:9')).toBe('Hero photo · 16:9')
    expect(resultName('  spaced  ', '1.91:1')).toBe('spaced · 1.91:1')
  })
  it('names an unnamed source "Image"', () => {
    expect(resultName('', '1:1')).toBe('Image · 1:1')
  })
})

describe('batchSummary', () => {
  it('counts placed and failed results', () => {
    expect(batchSummary({ placed: 6, failed: 1, cancelled: false })).toBe('Placed 6 frames · 1 failed')
    expect(batchSummary({ placed: 1, failed: 0, cancelled: false })).toBe('Placed 1 frame')
    expect(batchSummary({ placed: 0, failed: 3, cancelled: false })).toBe('Nothing placed · 3 failed')
    expect(batchSummary({ placed: 2, failed: 0, cancelled: true })).toBe('Cancelled · placed 2 frames')
    expect(batchSummary({ placed: 0, failed: 0, cancelled: true })).toBe('Cancelled · nothing placed')
  })
  it('says what is left of the failures on the canvas and what to do with it', () => {
    expect(batchSummary({ placed: 0, failed: 6, cancelled: false, kept: 6 })).toBe('Nothing placed · 6 failed (kept as marked placeholders: Retry failed, or delete them)')
    expect(batchSummary({ placed: 4, failed: 2, cancelled: false, kept: 1 })).toBe('Placed 4 frames · 2 failed (1 kept as marked placeholders: Retry failed, or delete them)')
    expect(batchSummary({ placed: 4, failed: 2, cancelled: false, kept: 0 })).toBe('Placed 4 frames · 2 failed')
  })
  it('stays within what Figma shows', () => {
    const text = batchSummary({ placed: 10 ** 90, failed: 10 ** 90, cancelled: true })
    expect(text.length).toBeLessThanOrEqual(NOTIFY_MAX_CHARS)
  })
})
