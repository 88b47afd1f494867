"use client";
// API tokens, on the setup page: make one (named, read or write), shown once
// with a copy button and a curl line that works as shown; every token with its
// last use; revoke. The token lives in this page's state only: the API never
// shows it again.
import Link from "next/link";
import { useState, type FormEvent } from "react";
import useSWR from "swr";
import { CopyButton } from "@/components/copy-button";
import { RelativeTime } from "@/components/relative-time";
import { useToast } from "@/components/toast";
import { Badge, BUTTON, Card, CardHeader, EmptyState, INPUT } from "@/components/ui";
import { TOKEN_SCOPES, type TokenScope } from "@/lib/core/enums";
import { fetchJson } from "@/lib/ui/api-client";
import { createApiToken, revokeApiToken, TOKENS_URL, type ApiToken, type NewApiToken } from "@/lib/ui/tokens-client";

const SCOPE_LABELS: Record<TokenScope, string> = { read: "Read: list and download", write: "Write: also submit, replay, delete" };

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The curl line shown with a new token: the failed tasks, as a script would ask. */
export const curlExample = (baseUrl: string, token: string) =>
  `curl -fsS -H "Authorization: Bearer ${token}" "${baseUrl.replace(/\/+$/, "")}/api/tasks?status=failed"`;

export function ApiTokens({ baseUrl, passwordSet }: { baseUrl: string; passwordSet: boolean }) {
  const { data, mutate, error } = useSWR<{ items: ApiToken[] }>(TOKENS_URL, fetchJson);
  const [made, setMade] = useState<NewApiToken | null>(null);
  const notify = useToast();

  async function revoke(token: ApiToken) {
    if (!window.confirm(`Revoke ${token.name}? Scripts using it get 401 from now on.`)) return;
    try {
      await revokeApiToken(token.id);
      if (made?.id === token.id) setMade(null);
      notify("success", "Token revoked", token.name);
    } catch (failure) {
      notify("error", "Could not revoke the token", message(failure));
    }
    await mutate();
  }

  return (
    <Card>
      <CardHeader
        id="api-tokens"
        title="API tokens"
        description={
          <>
            For scripts and other apps: send <code className="font-mono">Authorization: Bearer sk_…</code> to any API route
            {passwordSet ? "" : " (needed once DASHBOARD_PASSWORD is set; until then the API is open)"}. See the{" "}
            <Link href="/api-docs" className="underline underline-offset-2 hover:text-zinc-900 dark:hover:text-white">
              API reference
            </Link>
            .
          </>
        }
      />
      <div className="border-b border-zinc-200 p-4 sm:p-5 dark:border-zinc-800">
        <TokenForm
          onMade={async (token) => {
            setMade(token);
            await mutate();
          }}
        />
        {made && <NewToken token={made} baseUrl={baseUrl} onDone={() => setMade(null)} />}
      </div>
      {error && <p className="p-4 text-sm text-red-700 dark:text-red-400">{message(error)}</p>}
      {data && data.items.length === 0 && <EmptyState title="No tokens yet">Make one above for your first script.</EmptyState>}
      <ul className="divide-y divide-zinc-100 dark:divide-zinc-800/70" aria-label="API tokens">
        {data?.items.map((token) => (
          <li key={token.id} data-testid="api-token" className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3 text-sm sm:px-5">
            <span className="min-w-0 flex-1 font-medium break-all">{token.name}</span>
            <Badge tone={token.scope === "write" ? "amber" : "blue"}>{token.scope}</Badge>
            <span className="text-xs text-zinc-500 dark:text-zinc-400">
              made <RelativeTime iso={token.createdAt} />
            </span>
            <span className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="api-token-last-used">
              {token.lastUsedAt ? (
                <>
                  last used <RelativeTime iso={token.lastUsedAt} />
                </>
              ) : (
                "never used"
              )}
            </span>
            <button type="button" className={BUTTON.small} onClick={() => void revoke(token)}>
              Revoke
            </button>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function TokenForm({ onMade }: { onMade: (token: NewApiToken) => Promise<void> }) {
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const values = new FormData(form);
    setPending(true);
    setFailure(null);
    try {
      await onMade(await createApiToken({ name: String(values.get("name") ?? ""), scope: values.get("scope") as TokenScope }));
      form.reset();
    } catch (error) {
      setFailure(message(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} aria-label="New API token" className="flex flex-col gap-3 sm:flex-row sm:items-end">
      <label className="block flex-1">
        <span className="mb-1 block text-sm font-medium">Token name</span>
        <input name="name" required maxLength={100} placeholder="e.g. nightly backup" autoComplete="off" className={INPUT} />
      </label>
      <label className="block sm:w-72">
        <span className="mb-1 block text-sm font-medium">Scope</span>
        <select name="scope" defaultValue="read" className={INPUT}>
          {TOKEN_SCOPES.map((scope) => (
            <option key={scope} value={scope}>
              {SCOPE_LABELS[scope]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className={BUTTON.primary} disabled={pending}>
        Make token
      </button>
      {failure && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {failure}
        </p>
      )}
    </form>
  );
}

function NewToken({ token, baseUrl, onDone }: { token: NewApiToken; baseUrl: string; onDone: () => void }) {
  const curl = curlExample(baseUrl, token.token);
  return (
    <div
      data-testid="new-api-token"
      className="mt-4 space-y-3 rounded-lg border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-500/30 dark:bg-emerald-500/10"
    >
      <p className="font-medium text-emerald-900 dark:text-emerald-200">{token.name}: copy the token now, it is not shown again.</p>
      <div className="flex items-center gap-1 rounded-md border border-zinc-200 bg-white py-1 pr-1 pl-2 dark:border-zinc-700 dark:bg-zinc-950">
        <code className="min-w-0 flex-1 font-mono text-xs break-all" data-testid="new-api-token-value">
          {token.token}
        </code>
        <CopyButton text={token.token} label="Copy the token" showLabel />
      </div>
      <div>
        <p className="mb-1 text-xs text-zinc-600 dark:text-zinc-400">Try it: the failed tasks, as JSON.</p>
        <div className="flex items-start gap-1 rounded-md border border-zinc-200 bg-white py-1 pr-1 pl-2 dark:border-zinc-700 dark:bg-zinc-950">
          <code className="min-w-0 flex-1 font-mono text-xs break-all" data-testid="new-api-token-curl">
            {curl}
          </code>
          <CopyButton text={curl} label="Copy the curl command" />
        </div>
      </div>
      <button type="button" className={BUTTON.small} onClick={onDone}>
        Done
      </button>
    </div>
  );
}
