// Checks a team token without leaking how much of it matched: both sides are hashed to the same
// length, then compared with crypto.timingSafeEqual, and every configured token is always compared.
import { createHash, timingSafeEqual } from 'node:crypto'

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest()
}

export type TeamTokenCheck = (presented: string | null | undefined) => string | undefined

/**
 * Returns a checker that answers with a stable, non-secret id of the matching token (a hash prefix,
 * used to key limits and never logged as the token), or undefined when nothing matches.
 */
export function createTeamTokenCheck(tokens: readonly string[]): TeamTokenCheck {
  const known = tokens.map((token) => ({ hash: digest(token), id: digest(`id:${token}`).toString('hex').slice(0, 12) }))
  return (presented) => {
    const hash = digest(presented ?? '')
    let match: string | undefined
    for (const token of known) {
      if (timingSafeEqual(hash, token.hash) && presented) match = token.id
    }
    return match
  }
}
