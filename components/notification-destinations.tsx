"use client";
// Notifications out, on the setup page: destinations (add, edit, enable or
// disable, remove), a test send, each destination's attempt log with Resend
// for notifications that gave up, and a webhook's signing secret: shown once
// when made or rotated (kept in this page's state only), masked after.
import { useState, type FormEvent } from "react";
import useSWR from "swr";
import { CopyButton } from "@/components/copy-button";
import { RelativeTime } from "@/components/relative-time";
import { useToast } from "@/components/toast";
import { Badge, BUTTON, Card, CardHeader, EmptyState, INPUT, Spinner, StatusBadge } from "@/components/ui";
import { DESTINATION_FORMATS, NOTIFY_EVENTS, type DestinationFormat, type NotifyEvent } from "@/lib/core/enums";
import { fetchJson } from "@/lib/ui/api-client";
import {
  attemptsUrl,
  createDestination,
  deleteDestination,
  DESTINATIONS_URL,
  resendNotification,
  rotateDestinationSecret,
  testDestination,
  updateDestination,
  type Attempt,
  type AttemptPage,
  type Destination,
} from "@/lib/ui/destinations-client";

const EVENT_LABELS: Record<NotifyEvent, string> = {
  "task.succeeded": "Task succeeded",
  "task.failed": "Task failed",
  "task.files_stored": "All files stored",
  "task.files_at_risk": "Files at risk (provider deletes them within 48 h)",
};
const FORMAT_LABELS: Record<DestinationFormat, string> = { webhook: "Webhook (signed)", discord: "Discord", slack: "Slack" };

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A secret just made, shown until the page is left: the API never shows it again. */
type Revealed = { id: number; secret: string };

export function NotificationDestinations() {
  const { data, mutate, error } = useSWR<{ items: Destination[] }>(DESTINATIONS_URL, fetchJson);
  const [adding, setAdding] = useState(false);
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  return (
    <Card>
      <CardHeader
        id="notifications"
        title="Notifications"
        description="Where task events are sent: signed webhooks, Discord or Slack. Retried for about a day when a destination does not answer 2xx."
        actions={
          !adding && (
            <button type="button" className={BUTTON.secondary} onClick={() => setAdding(true)}>
              Add destination
            </button>
          )
        }
      />
      {adding && (
        <div className="border-b border-zinc-200 p-4 sm:p-5 dark:border-zinc-800">
          <DestinationForm
            onCancel={() => setAdding(false)}
            onSave={async (values) => {
              const made = await createDestination(values);
              if (made.secret) setRevealed({ id: made.id, secret: made.secret });
              setAdding(false);
              await mutate();
            }}
          />
        </div>
      )}
      {error && <p className="p-4 text-sm text-red-700 dark:text-red-400">{message(error)}</p>}
      {data && data.items.length === 0 && !adding && (
        <EmptyState title="No destinations yet">Add one to hear when tasks finish, fail, or have files at risk.</EmptyState>
      )}
      <ul className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
        {data?.items.map((d) => (
          <DestinationRow
            key={d.id}
            destination={d}
            newSecret={revealed?.id === d.id ? revealed.secret : null}
            onSecret={(secret) => setRevealed({ id: d.id, secret })}
            onChanged={() => mutate()}
          />
        ))}
      </ul>
    </Card>
  );
}

type FormValues = { name: string | null; url: string; format: DestinationFormat; events: NotifyEvent[] };

function DestinationForm({
  initial,
  onSave,
  onCancel,
}: {
  initial?: Destination;
  onSave: (values: FormValues) => Promise<void>;
  onCancel: () => void;
}) {
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setFailure(null);
    try {
      await onSave({
        name: String(form.get("name") ?? "") || null,
        url: String(form.get("url") ?? ""),
        format: (initial?.format ?? form.get("format")) as DestinationFormat,
        events: form.getAll("events") as NotifyEvent[],
      });
    } catch (error) {
      setFailure(message(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" aria-label={initial ? "Edit destination" : "New destination"}>
      <div className="grid gap-4 sm:grid-cols-2">
        <label className="block">
          <span className="mb-1 block text-sm font-medium">URL</span>
          <input
            name="url"
            required
            defaultValue={initial?.url}
            placeholder="https://…"
            autoComplete="off"
            className={`${INPUT} font-mono`}
          />
        </label>
        <label className="block">
          <span className="mb-1 block text-sm font-medium">Name (optional)</span>
          <input name="name" defaultValue={initial?.name ?? ""} autoComplete="off" className={INPUT} />
        </label>
        {!initial && (
          <label className="block">
            <span className="mb-1 block text-sm font-medium">Format</span>
            <select name="format" defaultValue="webhook" className={INPUT}>
              {DESTINATION_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {FORMAT_LABELS[f]}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <fieldset>
        <legend className="mb-1 text-sm font-medium">Events</legend>
        <div className="grid gap-1 sm:grid-cols-2">
          {NOTIFY_EVENTS.map((e) => (
            <label key={e} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="events" value={e} defaultChecked={initial ? initial.events.includes(e) : true} />
              {EVENT_LABELS[e]}
            </label>
          ))}
        </div>
      </fieldset>
      {failure && (
        <p role="alert" className="text-sm break-words text-red-700 dark:text-red-400" data-testid="destination-error">
          {failure}
        </p>
      )}
      <div className="flex gap-2">
        <button type="submit" className={BUTTON.primary} disabled={pending}>
          {pending && <Spinner />}
          {initial ? "Save" : "Add destination"}
        </button>
        <button type="button" className={BUTTON.secondary} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function DestinationRow({
  destination: d,
  newSecret,
  onSecret,
  onChanged,
}: {
  destination: Destination;
  /** Its secret, when it was just made or rotated here. */
  newSecret: string | null;
  onSecret: (secret: string) => void;
  onChanged: () => unknown;
}) {
  const notify = useToast();
  const [editing, setEditing] = useState(false);
  const [showAttempts, setShowAttempts] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const attempts = useSWR<AttemptPage>(showAttempts ? attemptsUrl(d.id) : null, fetchJson);

  const act = async (what: string, work: () => Promise<unknown>) => {
    setBusy(what);
    try {
      await work();
      await onChanged();
    } catch (error) {
      notify("error", `${what} failed`, message(error));
    } finally {
      setBusy(null);
    }
  };

  if (editing) {
    return (
      <li className="p-4 sm:p-5">
        <DestinationForm
          initial={d}
          onCancel={() => setEditing(false)}
          onSave={async ({ name, url, events }) => {
            await updateDestination(d.id, { name, url, events });
            setEditing(false);
            await onChanged();
          }}
        />
      </li>
    );
  }

  return (
    <li className="space-y-2 px-4 py-3 sm:px-5" data-testid="destination">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone="violet">{FORMAT_LABELS[d.format]}</Badge>
        {!d.enabled && <Badge tone="gray">disabled</Badge>}
        <span className="text-sm font-medium">{d.name ?? `Destination ${d.id}`}</span>
        <code className="min-w-0 flex-1 truncate font-mono text-xs text-zinc-600 dark:text-zinc-400">{d.url}</code>
      </div>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">{d.events.map((e) => EVENT_LABELS[e]).join(" · ")}</p>
      {newSecret ? (
        <div
          className="space-y-1 rounded-lg border border-amber-300 bg-amber-50 p-2 text-xs dark:border-amber-400/30 dark:bg-amber-400/10"
          data-testid="new-secret"
        >
          <p className="font-medium">Signing secret, shown once: copy it into your receiver now.</p>
          <div className="flex items-center gap-1">
            <code className="font-mono break-all">{newSecret}</code>
            <CopyButton text={newSecret} label="Copy the signing secret" />
          </div>
        </div>
      ) : (
        d.secretHint && (
          <p className="text-xs">
            <span className="text-zinc-500 dark:text-zinc-400">Signing secret </span>
            <span className="font-mono" data-testid="secret-hint">
              {d.secretHint}
            </span>
          </p>
        )
      )}
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className={BUTTON.small}
          disabled={busy !== null}
          onClick={() =>
            act("Test", async () => {
              const attempt = await testDestination(d.id);
              notify(attempt.ok ? "success" : "error", attempt.ok ? "Test delivered" : "Test not delivered", describeAttempt(attempt));
              setShowAttempts(true);
              await attempts.mutate();
            })
          }
        >
          {busy === "Test" && <Spinner />}
          Send test
        </button>
        <button type="button" className={BUTTON.small} onClick={() => setShowAttempts((v) => !v)} aria-expanded={showAttempts}>
          {showAttempts ? "Hide attempts" : "Attempts"}
        </button>
        <button type="button" className={BUTTON.small} onClick={() => setEditing(true)}>
          Edit
        </button>
        {d.format === "webhook" && (
          <button
            type="button"
            className={BUTTON.small}
            disabled={busy !== null}
            onClick={() => {
              if (!window.confirm(`Give ${d.name ?? d.url} a new signing secret? The current one stops working at once.`)) return;
              void act("Rotate secret", async () => {
                const rotated = await rotateDestinationSecret(d.id);
                if (rotated.secret) onSecret(rotated.secret);
              });
            }}
          >
            {busy === "Rotate secret" && <Spinner />}
            Rotate secret
          </button>
        )}
        <button
          type="button"
          className={BUTTON.small}
          disabled={busy !== null}
          onClick={() => act(d.enabled ? "Disable" : "Enable", () => updateDestination(d.id, { enabled: !d.enabled }))}
        >
          {d.enabled ? "Disable" : "Enable"}
        </button>
        <button
          type="button"
          className={BUTTON.ghost}
          disabled={busy !== null}
          onClick={() => {
            if (window.confirm(`Remove ${d.name ?? d.url} and its attempt log?`)) void act("Remove", () => deleteDestination(d.id));
          }}
        >
          Remove
        </button>
      </div>
      {showAttempts && (
        <AttemptList
          page={attempts.data}
          onResend={(a) =>
            act("Resend", async () => {
              await resendNotification(a.notificationId);
              notify("info", "Queued again", `${a.event} (${a.messageId})`);
              await attempts.mutate();
            })
          }
        />
      )}
    </li>
  );
}

function describeAttempt(a: Attempt): string {
  const answer = a.statusCode !== null ? `HTTP ${a.statusCode}` : "no answer";
  return `${answer} in ${a.durationMs} ms${a.error ? `: ${a.error}` : ""}`;
}

function AttemptList({ page, onResend }: { page: AttemptPage | undefined; onResend: (a: Attempt) => void }) {
  if (!page) return <Spinner />;
  if (page.items.length === 0) return <p className="text-xs text-zinc-500 dark:text-zinc-400">No attempts yet.</p>;
  return (
    <ul className="space-y-1 rounded-lg border border-zinc-200 p-2 text-xs dark:border-zinc-800" aria-label="Attempts">
      {page.items.map((a) => (
        <li key={a.id} className="flex flex-wrap items-center gap-2" data-testid="attempt">
          <StatusBadge status={a.ok ? "succeeded" : "failed"} />
          <span className="font-mono">{a.event}</span>
          <span>{describeAttempt(a)}</span>
          <RelativeTime iso={a.at} className="text-zinc-500 dark:text-zinc-400" />
          {a.notificationStatus === "failed" && a.event !== "test" && (
            <button type="button" className={BUTTON.ghost} onClick={() => onResend(a)}>
              Resend
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
