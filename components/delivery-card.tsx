"use client";
// One received callback: when, verdict, signature, the parse error, and the raw
// body and headers exactly as stored (rendered as text only). Lists carry only
// the start of big bodies; the whole one is fetched when asked for, and the raw
// part is rendered only while open.
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { CopyButton } from "@/components/copy-button";
import { RelativeTime } from "@/components/relative-time";
import { Badge, BUTTON, KindBadge, Spinner, StatusBadge } from "@/components/ui";
import { getDelivery, type Delivery } from "@/lib/ui/api-client";
import { formatAbsolute, formatBytes, prettyJson, shortId } from "@/lib/ui/format";

export function DeliveryCard({
  delivery,
  showTask = true,
  actions,
  open = false,
}: {
  delivery: Delivery;
  showTask?: boolean;
  actions?: ReactNode;
  open?: boolean;
}) {
  const [expanded, setExpanded] = useState(open);
  return (
    <article className="@container px-4 py-3 sm:px-5" data-testid="delivery" aria-label={`Delivery ${delivery.id}`}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <StatusBadge status={delivery.verdict} />
        <KindBadge kind={delivery.kind} />
        <SignatureBadge signature={delivery.signature} scheme={delivery.signatureScheme} />
        <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">#{delivery.id}</span>
        {showTask && delivery.taskId && (
          <Link
            href={`/tasks/${encodeURIComponent(delivery.taskId)}`}
            title={delivery.taskId}
            className="font-mono text-xs font-medium underline-offset-2 hover:underline"
          >
            {shortId(delivery.taskId)}
          </Link>
        )}
        <span className="text-xs text-zinc-500 dark:text-zinc-400">
          <RelativeTime iso={delivery.receivedAt} />
          {delivery.remoteAddress && <> · from {delivery.remoteAddress}</>}
        </span>
        {actions && <div className="ml-auto flex items-center gap-2">{actions}</div>}
      </div>
      {delivery.error && (
        <p
          className="mt-2 rounded-md bg-red-50 px-2.5 py-1.5 font-mono text-xs break-words text-red-800 dark:bg-red-500/10 dark:text-red-300"
          data-testid="delivery-error"
        >
          {delivery.error}
        </p>
      )}
      {!open && (
        <p className="mt-1.5 truncate font-mono text-xs text-zinc-500 dark:text-zinc-400" title={delivery.body.slice(0, 500)}>
          {delivery.prunedAt
            ? `(body and headers pruned by retention on ${formatAbsolute(delivery.prunedAt)})`
            : delivery.body.slice(0, 240) || "(empty body)"}
        </p>
      )}
      <details className="group mt-2" open={open} onToggle={(e) => setExpanded(e.currentTarget.open)}>
        <summary className="cursor-pointer list-none rounded text-xs font-medium text-zinc-600 select-none hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-violet-500 dark:text-zinc-400 dark:hover:text-zinc-100 [&::-webkit-details-marker]:hidden">
          <span aria-hidden className="mr-1 inline-block transition-transform group-open:rotate-90">
            ›
          </span>
          Raw body and headers <span className="text-zinc-400">· {delivery.path.split("?")[0]}</span>
        </summary>
        {expanded && <RawParts delivery={delivery} />}
      </details>
    </article>
  );
}

const SCHEME_NAMES = { kie: "kie.ai", "standard-webhooks": "Standard Webhooks" } as const;
const SIGNATURE_LOOKS = {
  verified: { tone: "green", mark: "✓", label: "signature verified", title: "Signature verified" },
  invalid: { tone: "red", mark: "✗", label: "signature invalid", title: "Signature invalid: refused, never applied" },
  unsigned: { tone: "gray", mark: "–", label: "unsigned", title: "No signature checked: taken on the token alone" },
} as const;

/** The signature verdict in words (colour and mark only repeat it); the scheme in the tooltip. */
function SignatureBadge({ signature, scheme }: { signature: Delivery["signature"]; scheme: Delivery["signatureScheme"] }) {
  const look = SIGNATURE_LOOKS[signature];
  return (
    <span title={scheme ? `${look.title} (${SCHEME_NAMES[scheme]})` : look.title} data-testid="signature">
      <Badge tone={look.tone}>
        <span aria-hidden>{look.mark}</span>
        {look.label}
      </Badge>
    </span>
  );
}

/** Body and headers, as far as the list carries them, and a button that loads the rest. */
function RawParts({ delivery }: { delivery: Delivery }) {
  const [whole, setWhole] = useState<Delivery | null>(null);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const shown = whole ?? delivery;
  const cut = shown.bodyTruncated || shown.headersTruncated;

  async function loadWhole() {
    setLoading(true);
    setFailure(null);
    try {
      setWhole(await getDelivery(delivery.id));
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setLoading(false);
    }
  }

  return (
    <>
      {cut && (
        <p className="mt-2 flex flex-wrap items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400" data-testid="delivery-truncated">
          Showing the start of this delivery.
          <button type="button" className={BUTTON.small} disabled={loading} onClick={loadWhole}>
            {loading && <Spinner />}
            Show all ({formatBytes(shown.bodyBytes)})
          </button>
          {failure && <span className="text-red-700 dark:text-red-400">{failure}</span>}
        </p>
      )}
      <div className="mt-2 grid gap-3 @3xl:grid-cols-2">
        <Raw title="Body" text={shown.bodyTruncated ? `${shown.body}…` : prettyJson(shown.body)} />
        <Raw title="Headers" text={JSON.stringify(shown.headers, null, 2)} />
      </div>
    </>
  );
}

function Raw({ title, text }: { title: string; text: string }) {
  return (
    <div className="min-w-0 overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800">
      <div className="flex items-center justify-between border-b border-zinc-200 bg-zinc-50 px-3 py-1 dark:border-zinc-800 dark:bg-zinc-900">
        <span className="text-xs font-medium text-zinc-500 dark:text-zinc-400">{title}</span>
        <CopyButton text={text} label={`Copy ${title.toLowerCase()}`} showLabel />
      </div>
      <pre className="max-h-96 overflow-auto bg-white p-3 font-mono text-xs leading-relaxed whitespace-pre text-zinc-800 dark:bg-zinc-950 dark:text-zinc-200">
        {text}
      </pre>
    </div>
  );
}
