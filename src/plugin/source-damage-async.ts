// Whether a source's image file is damaged, read from its bytes when the selection is listed, so the
// source list can say so before any run (core/image-damage: structure only, no decoder). An image's
// bytes never change under its hash, so each image is read once per plugin run, however often it is listed.
import { describeDamage, findImageDamage } from '../core/image-damage'

/** "is a damaged JPEG: the file ends early" for a damaged image, undefined for a whole one. */
export type SourceDamageAsync = (imageHash: string) => Promise<string | undefined>

export function createSourceDamageCheck(limit = 256): SourceDamageAsync {
  const verdicts = new Map<string, Promise<string | undefined>>()
  return function sourceDamageAsync(imageHash) {
    const known = verdicts.get(imageHash)
    if (known !== undefined) return known
    const verdict = readVerdictAsync(imageHash)
    if (verdicts.size >= limit) verdicts.delete(verdicts.keys().next().value as string)
    verdicts.set(imageHash, verdict)
    // a failed read is not a verdict: ask again next time
    verdict.then((damage) => damage, () => verdicts.delete(imageHash))
    return verdict
  }
}

async function readVerdictAsync(imageHash: string): Promise<string | undefined> {
  const image = figma.getImageByHash(imageHash)
  if (image === null) return undefined
  const damage = findImageDamage(await image.getBytesAsync())
  return damage === null ? undefined : describeDamage(damage)
}
