// Where to send the browser after login: a path of this site, never elsewhere.

const BASE = "http://dashboard.invalid";

/**
 * A local path to return to after login; anything else becomes "/". The path
 * is checked after normalisation, because that is what goes in the Location:
 * "/.//evil.com" passes as a string yet normalises to "//evil.com", which a
 * browser reads as another host (so would "/\evil.com"; tabs and newlines it
 * drops). The result must start with exactly one "/".
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next?.startsWith("/")) return "/";
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  const path = url.pathname + url.search + url.hash;
  const local = url.origin === BASE && /^\/(?![/\\])/.test(path) && !/[\u0000-\u001f\u007f]/.test(path);
  return local ? path : "/";
}
