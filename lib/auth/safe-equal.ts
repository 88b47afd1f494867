import { createHash, timingSafeEqual } from "node:crypto";

/** A secret's digest, to compare candidates against in constant time (one length whatever the input). */
export const secretDigest = (s: string): Buffer => createHash("sha256").update(s).digest();

/** Whether `candidate` is the secret `digest` was made of, in constant time. */
export function matchesDigest(candidate: string, digest: Buffer): boolean {
  return timingSafeEqual(secretDigest(candidate), digest);
}

/** Constant-time string comparison for secrets (hashing first makes both sides one length). */
export function safeEqual(a: string, b: string): boolean {
  return matchesDigest(a, secretDigest(b));
}
