// Says why a host could not be reached in words that carry nothing of the network behind it: Node's
// own messages name the address connected to ("connect ECONNREFUSED 10.0.0.7:443") and the names in
// a TLS certificate, which would tell a caller what a provider name resolves to inside our network.

function codesOf(error: unknown): string[] {
  const codes: string[] = []
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string') codes.push(code)
  }
  return codes
}

export function describeUpstreamFailure(error: unknown): string {
  const codes = codesOf(error)
  const has = (...wanted: string[]) => codes.some((code) => wanted.includes(code))
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_NONAME')) return 'its name does not resolve'
  if (has('ECONNREFUSED')) return 'connection refused'
  if (has('ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT')) return 'connecting timed out'
  if (has('EHOSTUNREACH', 'ENETUNREACH')) return 'no route to it'
  if (codes.some((code) => code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code.includes('CERT'))) {
    return 'its TLS certificate or handshake was not accepted'
  }
  if (codes.some((code) => code.startsWith('HPE_'))) return 'it answered something that is not HTTP'
  if (has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE')) return 'the connection was closed'
  return 'the connection failed'
}
