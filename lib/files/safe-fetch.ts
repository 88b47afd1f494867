// HTTP(S) requests that cannot be pointed at the machine itself or its private
// network (SSRF): the host is resolved first, every address is checked, and
// the connection goes to exactly the checked address (no DNS-rebinding gap:
// the name is never resolved a second time). GET follows redirects by hand,
// each hop checked again; POST (notifications) follows none. Refused
// addresses are never contacted.
import "server-only";
import dns from "node:dns/promises";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import net, { type LookupFunction } from "node:net";
import { isPublicAddress } from "@/lib/files/address-policy";

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** A request this module will not make: bad URL, refused address, redirect trouble. Never worth retrying. */
export class FetchRefused extends Error {}

export type SafeGetOptions = {
  signal: AbortSignal;
  /** Let loopback/private addresses through (DOWNLOAD_ALLOW_PRIVATE, NOTIFY_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  headers?: Record<string, string>;
};

/** What refusals say is not done to an address: "downloaded" (default) or "notified". */
type Verb = "downloaded" | "notified";

export type SafeResponse = { response: IncomingMessage; url: URL; address: string };

type Resolved = { address: string; family: 4 | 6 };

/** GETs `input`, following up to 5 redirects; answers the first non-redirect response, body unread. */
export async function safeGet(input: string, options: SafeGetOptions): Promise<SafeResponse> {
  let url = parseUrl(input);
  for (let hop = 0; ; hop++) {
    const addresses = await resolveChecked(url, options.allowPrivate, "downloaded");
    const response = await request(url, addresses, options, "GET");
    const location = response.headers.location;
    if (!REDIRECT_STATUSES.has(response.statusCode ?? 0)) {
      return { response, url, address: response.socket?.remoteAddress ?? addresses[0]!.address };
    }
    response.destroy();
    if (!location) throw new FetchRefused(`HTTP ${response.statusCode} redirect without a Location header`);
    if (hop >= MAX_REDIRECTS) throw new FetchRefused(`more than ${MAX_REDIRECTS} redirects`);
    url = parseUrl(location, url);
  }
}

/** POSTs `body` to `input` once; a redirect is the answer (a receiver that moved must be updated, not followed). */
export async function safePost(input: string, body: string, options: SafeGetOptions): Promise<SafeResponse> {
  const url = parseUrl(input, undefined, "notified");
  const addresses = await resolveChecked(url, options.allowPrivate, "notified");
  const response = await request(url, addresses, options, "POST", body);
  return { response, url, address: response.socket?.remoteAddress ?? addresses[0]!.address };
}

/** Throws what safePost would refuse `input` for (bad URL, an address not allowed), without contacting it. */
export async function checkPostTarget(input: string, allowPrivate: boolean): Promise<void> {
  await resolveChecked(parseUrl(input, undefined, "notified"), allowPrivate, "notified");
}

function parseUrl(input: string, base?: URL, verb: Verb = "downloaded"): URL {
  let url: URL;
  try {
    url = new URL(input, base);
  } catch {
    throw new FetchRefused(`invalid URL: ${JSON.stringify(input.slice(0, 200))}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new FetchRefused(`invalid URL: only http and https are ${verb}, not ${url.protocol.replace(/:$/, "")}`);
  }
  if (url.username || url.password) throw new FetchRefused(`invalid URL: URLs with credentials are not ${verb}`);
  return url;
}

/** The host's addresses, all of them checked; refused when any one is not public. */
async function resolveChecked(url: URL, allowPrivate: boolean, verb: Verb): Promise<Resolved[]> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const literal = net.isIP(host);
  let addresses: Resolved[];
  if (literal) {
    addresses = [{ address: host, family: literal as 4 | 6 }];
  } else {
    try {
      addresses = (await dns.lookup(host, { all: true, verbatim: true })) as Resolved[];
    } catch (error) {
      // Retried: DNS trouble is often temporary.
      throw new Error(`host ${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? "lookup failed"})`);
    }
    if (addresses.length === 0) throw new Error(`host ${host} does not resolve`);
  }
  if (!allowPrivate) {
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad) {
      const via = literal ? "" : ` (${host} resolves to it)`;
      throw new FetchRefused(`refused address ${bad.address}${via}: loopback, private, link-local and reserved addresses are not ${verb}`);
    }
  }
  return addresses;
}

/** A lookup that answers the pre-checked addresses instead of asking DNS again. */
function pinnedLookup(addresses: Resolved[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) {
      (callback as unknown as (err: null, all: Resolved[]) => void)(null, addresses);
    } else {
      const wanted = options.family === 4 || options.family === 6 ? addresses.find((a) => a.family === options.family) : undefined;
      const pick = wanted ?? addresses[0]!;
      callback(null, pick.address, pick.family);
    }
  };
}

function request(
  url: URL,
  addresses: Resolved[],
  options: SafeGetOptions,
  method: "GET" | "POST",
  body?: string,
): Promise<IncomingMessage> {
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, {
      method,
      // The hostname stays the URL's (Host header, TLS SNI and certificate check); only the address is pinned.
      lookup: pinnedLookup(addresses),
      agent: false,
      signal: options.signal,
      headers: { "user-agent": "suno-callback-dashboard", accept: "*/*", "accept-encoding": "identity", ...options.headers },
    });
    req.once("response", resolve);
    // "on", not "once": a second socket error without a listener would crash the process.
    req.on("error", reject);
    req.end(body);
  });
}
