// CORS for the relay: Figma's plugin iframe has origin `null`; besides it only the configured origins
// may call from a browser. Requests with no Origin (CLI, servers) are not browser calls and pass.
import { RELAY_ERROR_HEADER } from '../protocol/relay-protocol'

export type CorsDecision = { allowed: true; headers: Record<string, string> } | { allowed: false }

const EXPOSED = `Retry-After, Content-Length, Content-Type, ${RELAY_ERROR_HEADER}`

export function decideCors(origin: string | undefined, allowedOrigins: readonly string[]): CorsDecision {
  if (origin === undefined) return { allowed: true, headers: {} }
  if (!allowedOrigins.includes(origin)) return { allowed: false }
  return { allowed: true, headers: { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': EXPOSED, Vary: 'Origin' } }
}

/**
 * The preflight answer for an allowed origin. Requested headers are reflected: every call is
 * authenticated by the team token, and provider calls carry host-specific headers (S3 `x-amz-*`,
 * Replicate `Prefer`) that a fixed list would break.
 */
export function preflightHeaders(requestedHeaders: string | undefined): Record<string, string> {
  return {
    'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, DELETE',
    'Access-Control-Allow-Headers': requestedHeaders ?? 'x-relay-target, x-relay-token, content-type',
    'Access-Control-Max-Age': '600'
  }
}
