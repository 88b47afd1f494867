import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { BUTTON, INPUT } from "@/components/ui";
import { env } from "@/lib/core/env";
import { safeNextPath } from "@/lib/auth/next-path";
import { isValidSession, SESSION_COOKIE } from "@/lib/auth/session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Log in" };

const Retry = z.coerce.number().int().positive().max(86_400).catch(60);

function message(error: string | undefined, retry: string | undefined): string | undefined {
  if (error === "wrong") return "That password is not right.";
  if (error !== "rate") return undefined;
  const seconds = Retry.parse(retry);
  const wait = seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
  return `Too many failed attempts: try again in ${wait}.`;
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function LoginPage({ searchParams }: Props) {
  const params = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const next = safeNextPath(one(params.next));
  const password = env().DASHBOARD_PASSWORD;
  // Nothing to log in to, or already logged in.
  if (!password || (await isValidSession(password, (await cookies()).get(SESSION_COOKIE)?.value))) redirect(next);
  const error = message(one(params.error), one(params.retry));

  return (
    <div className="flex min-h-[60vh] items-center justify-center">
      <form
        action="/api/auth/login"
        method="post"
        className="w-full max-w-sm rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900/60"
      >
        <h1 className="text-lg font-semibold">Log in</h1>
        <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">This dashboard is protected by DASHBOARD_PASSWORD.</p>
        <input type="hidden" name="next" value={next} />
        <label className="mt-5 block">
          <span className="mb-1 block text-sm font-medium">Password</span>
          <input
            type="password"
            name="password"
            required
            autoFocus
            autoComplete="current-password"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "login-error" : undefined}
            className={INPUT}
          />
        </label>
        {error && (
          <p id="login-error" role="alert" className="mt-3 text-sm text-red-700 dark:text-red-400">
            {error}
          </p>
        )}
        <button type="submit" className={`${BUTTON.primary} mt-5 w-full`}>
          Log in
        </button>
      </form>
    </div>
  );
}
