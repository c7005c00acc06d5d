// Which resolved addresses the relay must never connect to: everything that is not the public
// internet (loopback, private networks, link-local and cloud metadata, CGNAT, multicast, unspecified,
// reserved), including IPv4 addresses carried inside IPv6 ones (mapped, NAT64, 6to4).
import type { IpAddress } from './ip-address'

type Range = readonly [prefix: readonly number[], bits: number]

const PRIVATE_IPV4: readonly Range[] = [
  [[0], 8], // "this network", 0.0.0.0
  [[10], 8],
  [[100, 64], 10], // carrier-grade NAT, often the provider's own internal network
  [[127], 8],
  [[169, 254], 16], // link-local, cloud metadata at 169.254.169.254
  [[172, 16], 12],
  [[192, 0, 0], 24], // IETF protocol assignments
  [[192, 168], 16],
  [[198, 18], 15], // benchmarking, used inside some networks
  [[224], 4], // multicast
  [[240], 4] // reserved, and 255.255.255.255
]

const PRIVATE_IPV6: readonly Range[] = [
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 96], // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
  [[0x01, 0x00, 0, 0, 0, 0, 0, 0], 64], // discard-only
  [[0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48], // local-use NAT64
  [[0x20, 0x01, 0x00, 0x00], 32], // Teredo: a tunnel whose far end cannot be judged
  [[0xfc], 7], // unique local
  [[0xfe, 0x80], 10], // link-local
  [[0xfe, 0xc0], 10], // site-local (deprecated, still routed by some)
  [[0xff], 8] // multicast
]

function inRange(bytes: Uint8Array, [prefix, bits]: Range): boolean {
  for (let bit = 0; bit < bits; bit++) {
    const byte = bit >> 3
    const mask = 0x80 >> (bit & 7)
    if ((bytes[byte] & mask) !== ((prefix[byte] ?? 0) & mask)) return false
  }
  return true
}

/** The IPv4 address an IPv6 one stands for, where the IPv4 network would carry the packets. */
function embeddedIpv4(bytes: Uint8Array): Uint8Array | undefined {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((byte) => byte === 0)
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12) // ::ffff:a.b.c.d
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12)) return bytes.slice(12) // 64:ff9b::a.b.c.d
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return bytes.slice(2, 6) // 6to4, 2002:aabb:ccdd::
  return undefined
}

/** Whether connecting to this address could reach something other than the public internet. */
export function isPrivateAddress(address: IpAddress): boolean {
  if (address.family === 4) return PRIVATE_IPV4.some((range) => inRange(address.bytes, range))
  const v4 = embeddedIpv4(address.bytes)
  if (v4) return PRIVATE_IPV4.some((range) => inRange(v4, range))
  return PRIVATE_IPV6.some((range) => inRange(address.bytes, range))
}
