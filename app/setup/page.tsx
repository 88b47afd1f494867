import type { Metadata } from "next";
import { Suspense } from "react";
import { databaseLocation } from "@/db/client";
import { ApiTokens } from "@/components/api-tokens";
import { CopyButton } from "@/components/copy-button";
import { NotificationDestinations } from "@/components/notification-destinations";
import { RelativeTime } from "@/components/relative-time";
import { SendTestCallback } from "@/components/send-test-callback";
import { BUTTON, Card, CardHeader, PageHeader } from "@/components/ui";
import { callbackUrl } from "@/lib/auth/callback-token";
import { activeSessionCount } from "@/lib/auth/session";
import { refusedCallbacks } from "@/lib/callbacks/refused";
import { env } from "@/lib/core/env";
import { storage } from "@/lib/storage";
import { Doctor, DoctorSkeleton } from "./doctor";
import { ProviderStatusCard } from "./provider-status";
import { RetentionCard } from "./retention-card";
import { SubmitForms } from "./submit-forms";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Setup" };

export default async function SetupPage() {
  const config = env();
  const [generic, cover, wav, refused, sessions] = await Promise.all([
    callbackUrl(),
    callbackUrl("cover"),
    callbackUrl("wav"),
    refusedCallbacks(),
    config.DASHBOARD_PASSWORD ? activeSessionCount(config.DASHBOARD_PASSWORD) : null,
  ]);
  const local = /^https?:\/\/(localhost|127\.|\[::1\])/.test(config.PUBLIC_BASE_URL);

  return (
    <>
      <PageHeader title="Setup" description="Where to point the provider, and what this dashboard is running with." />
      <div className="space-y-6">
        {!config.DASHBOARD_PASSWORD && (
          <div
            role="note"
            data-testid="open-notice"
            className="flex gap-3 rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-200"
          >
            <WarningIcon />
            <div>
              <p className="font-semibold">This dashboard is open: anyone who can reach it can see and change everything.</p>
              <p className="mt-1">
                Set <code className="font-mono">DASHBOARD_PASSWORD</code> to require a login for every page and API route (callbacks and
                health stay open).
              </p>
            </div>
          </div>
        )}

        <Card>
          <CardHeader
            title="Callback URLs"
            description={
              <>
                Use one as the <code className="font-mono">callBackUrl</code> of your requests. The token in it is the secret the provider
                must send.
              </>
            }
          />
          <div className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
            <UrlRow label="Any task" hint="The kind is told from the payload." url={generic} />
            <UrlRow label="Cover tasks" hint="For /api/v1/suno/cover/generate." url={cover} />
            <UrlRow label="WAV conversions" hint="For /api/v1/wav/generate." url={wav} />
          </div>
          <div className="space-y-3 border-t border-zinc-200 px-4 py-4 sm:px-5 dark:border-zinc-800">
            {local && (
              <p className="text-sm text-amber-700 dark:text-amber-300">
                PUBLIC_BASE_URL is a local address ({config.PUBLIC_BASE_URL}): the provider cannot reach it. Set it to this dashboard&apos;s
                public address.
              </p>
            )}
            {refused.count > 0 && (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                {refused.count} callback{refused.count === 1 ? " was" : "s were"} refused for a missing or wrong token
                {refused.lastAt && (
                  <>
                    , the last <RelativeTime iso={refused.lastAt} />
                  </>
                )}
                .
              </p>
            )}
            <div>
              <p className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">
                Check the whole path: post a sample cover callback to this dashboard and open the task it makes.
              </p>
              <SendTestCallback primary />
            </div>
          </div>
        </Card>

        <Suspense fallback={<DoctorSkeleton />}>
          <Doctor />
        </Suspense>

        <div className="grid gap-6 lg:grid-cols-2">
          <ProviderStatusCard keySet={Boolean(config.SUNO_API_KEY)} baseUrl={config.SUNO_API_BASE_URL} />
          <Card>
            <CardHeader title="Storage" />
            <dl className="space-y-3 p-4 text-sm sm:p-5">
              <PathRow label="Database" value={databaseLocation()} />
              <PathRow label="Files" value={storage().describe()} />
              <PathRow label="Public address" value={config.PUBLIC_BASE_URL} />
              <div>
                <dt className="text-xs font-medium text-zinc-500 dark:text-zinc-400">Background worker</dt>
                <dd className="mt-0.5">
                  {config.WORKER
                    ? "on (downloads and polling run in this process)"
                    : "off (WORKER=0): downloads run after each callback, polls on GET /api/cron/tick"}
                </dd>
              </div>
            </dl>
          </Card>
        </div>

        <RetentionCard />

        {sessions !== null && <SessionsCard count={sessions} />}

        <SubmitForms keySet={Boolean(config.SUNO_API_KEY)} />

        <NotificationDestinations />

        <ApiTokens baseUrl={config.PUBLIC_BASE_URL} passwordSet={Boolean(config.DASHBOARD_PASSWORD)} />
      </div>
    </>
  );
}

function SessionsCard({ count }: { count: number }) {
  return (
    <Card>
      <CardHeader
        title="Sessions"
        description="Browsers logged in with DASHBOARD_PASSWORD. Changing the password also ends every session."
      />
      <div className="flex flex-col gap-3 p-4 text-sm sm:flex-row sm:items-center sm:justify-between sm:p-5">
        <p data-testid="active-sessions">
          {count} active session{count === 1 ? "" : "s"}
        </p>
        <form action="/api/auth/logout?everywhere=1" method="post">
          <button type="submit" className={BUTTON.secondary}>
            Log out everywhere
          </button>
        </form>
      </div>
    </Card>
  );
}

function UrlRow({ label, hint, url }: { label: string; hint: string; url: string }) {
  return (
    <div className="flex flex-col gap-2 px-4 py-3 sm:flex-row sm:items-center sm:px-5">
      <div className="sm:w-44 sm:shrink-0">
        <p className="text-sm font-medium">{label}</p>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">{hint}</p>
      </div>
      <div className="flex min-w-0 flex-1 items-center gap-1 rounded-lg border border-zinc-200 bg-zinc-50 py-1.5 pr-1.5 pl-3 dark:border-zinc-800 dark:bg-zinc-950">
        <code className="min-w-0 flex-1 font-mono text-xs break-all text-zinc-700 dark:text-zinc-300" data-testid="callback-url">
          {url}
        </code>
        <CopyButton text={url} label={`Copy the ${label.toLowerCase()} callback URL`} />
      </div>
    </div>
  );
}

function PathRow({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-xs font-medium text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="mt-0.5 flex items-center gap-1">
        <code className="min-w-0 font-mono text-xs break-all">{value}</code>
        <CopyButton text={value} label={`Copy ${label.toLowerCase()}`} />
      </dd>
    </div>
  );
}

function WarningIcon() {
  return (
    <svg aria-hidden viewBox="0 0 20 20" className="mt-0.5 size-5 shrink-0" fill="currentColor">
      <path
        fillRule="evenodd"
        d="M8.5 2.6a1.7 1.7 0 0 1 3 0l6.3 11.5A1.7 1.7 0 0 1 16.3 16.6H3.7a1.7 1.7 0 0 1-1.5-2.5zM10 7a.8.8 0 0 0-.8.8v3.4a.8.8 0 0 0 1.6 0V7.8A.8.8 0 0 0 10 7zm0 7.6a1 1 0 1 0 0-2 1 1 0 0 0 0 2z"
      />
    </svg>
  );
}
