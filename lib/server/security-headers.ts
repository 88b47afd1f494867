// The security headers of every answer. Pages get a Content-Security-Policy
// with a fresh nonce per request: proxy.ts also puts it on the request, from
// which Next.js takes the nonce for its own scripts (so pages render
// dynamically, which they all do). Everything else (JSON, files, build output)
// is never a document to run anything in. No server-only imports: next.config.ts
// uses this too, for the answers the proxy never sees.

/** On every answer, whatever produced it. */
export const COMMON_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  // Old browsers' frame-ancestors.
  "X-Frame-Options": "DENY",
  // Task ids sit in our URLs: other sites learn nothing. (no-referrer would make
  // browsers send `Origin: null` on our own form posts, which the proxy refuses.)
  "Referrer-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=()",
};

/** Answers that are not pages: JSON, stored files, scripts and styles of the build. */
export const NON_DOCUMENT_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * A page's policy. `mediaOrigins` are where covers and audio may also come
 * from (the bucket behind presigned URLs). `next dev` needs eval (React's
 * debugging) and inline styles (its overlay); production needs neither.
 */
export function pagePolicy(nonce: string, { dev, mediaOrigins }: { dev: boolean; mediaOrigins: readonly string[] }): string {
  const media = ["'self'", ...mediaOrigins].join(" ");
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    // React's style={{…}} attributes (progress bars), not style elements.
    "style-src-attr 'unsafe-inline'",
    `img-src ${media} data:`,
    `media-src ${media}`,
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** 128 random bits, base64: unguessable and unique per request. */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}
