// Parses an IP address as text (what DNS, a socket or a proxy header gives) into its bytes, so the
// relay can judge ranges (private, loopback...) and group IPv6 clients by network, without node:net
// (the relay also runs on Workers).

export type IpAddress = { family: 4; bytes: Uint8Array } | { family: 6; bytes: Uint8Array }

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  const bytes = new Uint8Array(4)
  for (const [i, part] of parts.entries()) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined
    bytes[i] = Number(part)
  }
  return bytes
}

function parseIpv6(text: string): Uint8Array | undefined {
  // a zone (fe80::1%eth0) names an interface, not part of the address
  let rest = text.replace(/%.*$/, '')
  // an embedded IPv4 tail (::ffff:127.0.0.1) is the last two groups written another way
  const tail = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(rest)
  if (tail) {
    const v4 = parseIpv4(tail[2])
    if (!v4) return undefined
    rest = `${tail[1]}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`
  }
  const halves = rest.split('::')
  if (halves.length > 2) return undefined
  const head = halves[0] === '' ? [] : halves[0].split(':')
  const back = halves.length === 2 && halves[1] !== '' ? halves[1].split(':') : []
  const missing = 8 - head.length - back.length
  // without `::` all eight groups are written; with it, it stands for at least one
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...back]
  const bytes = new Uint8Array(16)
  for (const [i, group] of groups.entries()) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return undefined
    const value = parseInt(group, 16)
    bytes[i * 2] = value >> 8
    bytes[i * 2 + 1] = value & 0xff
  }
  return bytes
}

/** The address in `text`, IPv4 dotted quad or IPv6 (brackets allowed), or undefined if it is not one. */
export function parseIpAddress(text: string): IpAddress | undefined {
  const trimmed = text.trim().replace(/^\[(.*)\]$/, '$1')
  if (trimmed.includes(':')) {
    const bytes = parseIpv6(trimmed)
    return bytes && { family: 6, bytes }
  }
  const bytes = parseIpv4(trimmed)
  return bytes && { family: 4, bytes }
}

/** The IPv4 address inside an IPv4-mapped IPv6 one (::ffff:a.b.c.d), which sockets report on dual-stack servers. */
export function unmappedIpv4(address: IpAddress): IpAddress {
  if (address.family !== 6) return address
  const b = address.bytes
  const mapped = b.slice(0, 10).every((byte) => byte === 0) && b[10] === 0xff && b[11] === 0xff
  return mapped ? { family: 4, bytes: b.slice(12) } : address
}
