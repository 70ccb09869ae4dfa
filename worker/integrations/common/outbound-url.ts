// Where a connector may send a help desk's credentials: a public https host,
// on the vendor's own domain where the vendor has fixed domains. Checked with
// the URL parser (which already turns `2130706433`, `0x7f000001` or
// `0177.0.0.1` into 127.0.0.1) when an admin saves the URL and again before
// every call. Private, loopback, link-local, shared, multicast, reserved and
// metadata addresses are refused in any spelling, as are credentials in the
// URL. The one exception, loopback over plain http for the local fake help
// desks, needs OUTBOUND_ALLOW_LOOPBACK=1, which only tests and `npm start` set.
import type { SourceId } from "../types";

/** The vendors whose APIs live on fixed domains (self-hosted Chatwoot and Zammad can be anywhere public). */
const VENDOR_HOSTS: Partial<Record<SourceId, { hosts: RegExp; example: string }>> = {
  zendesk: { hosts: /^[a-z0-9][a-z0-9-]*\.zendesk\.com$/, example: "https://<subdomain>.zendesk.com" },
  freshdesk: { hosts: /^[a-z0-9][a-z0-9-]*\.freshdesk\.com$/, example: "https://<domain>.freshdesk.com" },
  helpscout: { hosts: /^api\.helpscout\.net$/, example: "https://api.helpscout.net" },
  intercom: { hosts: /^api(\.(eu|au))?\.intercom\.io$/, example: "https://api.intercom.io (or api.eu / api.au)" },
  front: { hosts: /^(api2|[a-z0-9][a-z0-9-]*\.api)\.frontapp\.com$/, example: "https://api2.frontapp.com" },
};

/** Hostnames that name the local machine or a private network, never a public API. */
const PRIVATE_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain|corp)$/;

export class OutboundUrlError extends Error {}

export interface OutboundUrlPolicy {
  /** "1": loopback hosts over http are allowed (local development and tests only). */
  OUTBOUND_ALLOW_LOOPBACK?: string;
}

/** The URL if a connector may call it, else an OutboundUrlError saying why not. */
export function checkOutboundUrl(raw: string, source: SourceId, env: OutboundUrlPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundUrlError("not a URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new OutboundUrlError("only https URLs are allowed");
  if (url.username || url.password) throw new OutboundUrlError("a URL may not carry a user name or password: enter credentials in their own fields");
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  const loopback = isLoopback(host);
  if (loopback && env.OUTBOUND_ALLOW_LOOPBACK === "1") return url;
  if (url.protocol !== "https:") throw new OutboundUrlError("only https URLs are allowed");
  const address = ipOf(host);
  if (address ? !isPublicAddress(address) : loopback || PRIVATE_NAMES.test(host) || !host.includes(".")) {
    throw new OutboundUrlError(`${host} is not a public host (private, loopback, link-local and metadata addresses are refused)`);
  }
  const vendor = VENDOR_HOSTS[source];
  if (vendor && !vendor.hosts.test(host)) throw new OutboundUrlError(`${source} is reached at ${vendor.example}, not ${host}`);
  return url;
}

function isLoopback(host: string): boolean {
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  const address = ipOf(host);
  return !!address && ((address.kind === 4 && address.bytes[0] === 127) || (address.kind === 6 && address.bytes.every((b, i) => b === (i === 15 ? 1 : 0))));
}

type Address = { kind: 4 | 6; bytes: number[] };

/** The address of an IP literal host (as the URL parser writes it), or null for a name. */
function ipOf(host: string): Address | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) return { kind: 4, bytes: v4.slice(1).map(Number) };
  if (!host.startsWith("[") || !host.endsWith("]")) return null;
  const text = host.slice(1, -1);
  // An IPv4 tail (::ffff:127.0.0.1) becomes two groups.
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  const normal = tail ? `${text.slice(0, tail.index)}${((+tail[1]! << 8) | +tail[2]!).toString(16)}:${((+tail[3]! << 8) | +tail[4]!).toString(16)}` : text;
  const [head, rest] = normal.split("::") as [string, string | undefined];
  const left = head ? head.split(":") : [];
  const right = rest ? rest.split(":") : [];
  const groups = rest === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  if (groups.length !== 8) return null;
  const bytes = groups.flatMap((g) => {
    const n = parseInt(g || "0", 16);
    return [n >> 8, n & 255];
  });
  return { kind: 6, bytes };
}

const inV4 = (b: number[], net: number[], bits: number) => {
  for (let i = 0; i < 4; i++) {
    const take = Math.max(0, Math.min(8, bits - i * 8));
    const mask = take === 0 ? 0 : (0xff << (8 - take)) & 0xff;
    if ((b[i]! & mask) !== (net[i]! & mask)) return false;
  }
  return true;
};

/** Refused IPv4 ranges: this network, private, shared (CGNAT), loopback, link-local (metadata), IETF, documentation, benchmarking, multicast, reserved, broadcast. */
const V4_BLOCKED: [number[], number][] = [
  [[0, 0, 0, 0], 8],
  [[10, 0, 0, 0], 8],
  [[100, 64, 0, 0], 10],
  [[127, 0, 0, 0], 8],
  [[169, 254, 0, 0], 16],
  [[172, 16, 0, 0], 12],
  [[192, 0, 0, 0], 24],
  [[192, 0, 2, 0], 24],
  [[192, 88, 99, 0], 24],
  [[192, 168, 0, 0], 16],
  [[198, 18, 0, 0], 15],
  [[198, 51, 100, 0], 24],
  [[203, 0, 113, 0], 24],
  [[224, 0, 0, 0], 4],
  [[240, 0, 0, 0], 4],
];

function isPublicAddress(a: Address): boolean {
  if (a.kind === 4) return !V4_BLOCKED.some(([net, bits]) => inV4(a.bytes, net, bits));
  const b = a.bytes;
  const zeros = (n: number) => b.slice(0, n).every((x) => x === 0);
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address: judge that.
  if (
    (zeros(10) && b[10] === 0xff && b[11] === 0xff) ||
    zeros(12) ||
    (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b.slice(4, 12).every((x) => x === 0))
  ) {
    return isPublicAddress({ kind: 4, bytes: b.slice(12) });
  }
  if ((b[0]! & 0xfe) === 0xfc) return false; // unique local fc00::/7
  if (b[0] === 0xfe && (b[1]! & 0xc0) === 0x80) return false; // link-local fe80::/10
  if (b[0] === 0xff) return false; // multicast
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x0d && b[3] === 0xb8) return false; // documentation 2001:db8::/32
  return true;
}
