// Which IP addresses a download may connect to: only globally routable unicast.
// Everything a server-side request could abuse to reach the machine itself or
// its private network (loopback, private, link-local incl. cloud metadata,
// CGNAT, multicast, reserved, IPv6 local ranges, IPv4 embedded in IPv6) is not.
// Pure: no I/O, so it is tested on its own.
import "server-only";
import net from "node:net";

/** [network, prefix length] of IPv4 special-purpose blocks (RFC 6890 and friends). */
const V4_BLOCKED: readonly [string, number][] = [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // CGNAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, incl. 169.254.169.254 metadata
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay anycast
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, incl. broadcast 255.255.255.255
];

function v4ToInt(address: string): number {
  return address.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

const V4_RANGES = V4_BLOCKED.map(([base, bits]) => {
  const size = 2 ** (32 - bits);
  const start = v4ToInt(base);
  return [start, start + size] as const;
});

function isPublicV4Int(n: number): boolean {
  return !V4_RANGES.some(([start, end]) => n >= start && n < end);
}

/** The eight 16-bit words of an IPv6 address (zone id dropped, embedded dotted quad allowed). */
function v6Words(address: string): number[] {
  let text = address.split("%")[0]!.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = v4ToInt(dotted[1]!);
    text = text.slice(0, dotted.index) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const parse = (s: string) => (s ? s.split(":").map((w) => parseInt(w, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const fill = tail === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...fill, ...right];
}

function isPublicV6(address: string): boolean {
  const w = v6Words(address);
  const embeddedV4 = (hi: number, lo: number) => (hi * 65536 + lo) >>> 0;
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (deprecated compatible, incl. :: and ::1): judge the IPv4 inside.
  if (w[0] === 0 && w[1] === 0 && w[2] === 0 && w[3] === 0 && w[4] === 0 && (w[5] === 0xffff || w[5] === 0)) {
    return w[5] === 0xffff && isPublicV4Int(embeddedV4(w[6]!, w[7]!));
  }
  // NAT64 (64:ff9b::/96) reaches the IPv4 inside it.
  if (w[0] === 0x64 && w[1] === 0xff9b && w[2] === 0 && w[3] === 0 && w[4] === 0 && w[5] === 0) {
    return isPublicV4Int(embeddedV4(w[6]!, w[7]!));
  }
  // Only global unicast 2000::/3; this excludes fc00::/7, fe80::/10, ff00::/8 and all else.
  if ((w[0]! & 0xe000) !== 0x2000) return false;
  if (w[0] === 0x2001 && w[1]! < 0x200) return false; // 2001::/23 IETF protocol assignments (Teredo, ORCHID…)
  if (w[0] === 0x2001 && w[1] === 0xdb8) return false; // documentation
  if (w[0] === 0x3fff && w[1]! < 0x1000) return false; // documentation 3fff::/20
  if (w[0] === 0x2002) return isPublicV4Int(embeddedV4(w[1]!, w[2]!)); // 6to4 wraps an IPv4
  return true;
}

/** Whether a download may connect to this IP address (false for anything that is not an IP). */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "");
  const family = net.isIP(bare.split("%")[0]!);
  if (family === 4) return isPublicV4Int(v4ToInt(bare));
  if (family === 6) return isPublicV6(bare);
  return false;
}
