// The secret a provider must present on every callback: CALLBACK_TOKEN, or one
// generated on first start and kept in the settings table.
import "server-only";
import type { TaskKind } from "@/lib/core/enums";
import { randomBytes } from "node:crypto";
import { setSettingOnce } from "@/db/queries/settings";
import { andThen } from "@/db/client";
import { env } from "@/lib/core/env";
import { matchesDigest, secretDigest } from "@/lib/auth/safe-equal";

const SETTING = "callback_token";
let token: Promise<string> | undefined;
/** The token's digest, made once per token: every callback compares against it (the digest itself once made). */
let digest: { of: Promise<string>; value: Promise<Buffer> | Buffer } | undefined;

export function callbackToken(): Promise<string> {
  token ??= env().CALLBACK_TOKEN
    ? Promise.resolve(env().CALLBACK_TOKEN as string)
    : setSettingOnce(SETTING, randomBytes(24).toString("base64url")).catch((error: unknown) => {
        token = undefined; // a passing database error must not stick
        throw error;
      });
  return token;
}

/** Compared in constant time; synchronous once the token is known (every callback asks). */
export function isValidCallbackToken(candidate: string | null): boolean | Promise<boolean> {
  if (!candidate) return false;
  const current = callbackToken();
  if (digest?.of !== current) {
    const making = current.then(secretDigest);
    const made: NonNullable<typeof digest> = { of: current, value: making };
    making.then((value) => (made.value = value)).catch(() => {}); // a failure reaches the caller through `making`
    digest = made;
  }
  return andThen(digest.value, (value) => matchesDigest(candidate, value));
}

/** The URL to give the provider as callBackUrl. */
export async function callbackUrl(kind?: TaskKind): Promise<string> {
  const base = `${env().PUBLIC_BASE_URL}/api/callbacks${kind ? `/${kind}` : ""}`;
  return `${base}?token=${encodeURIComponent(await callbackToken())}`;
}
