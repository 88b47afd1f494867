"use client";
import { BUTTON, Card, EmptyState } from "@/components/ui";

/** Any page that fails to render; "Try again" re-fetches the page from the server (Next 16's retry). */
export default function ErrorBoundary({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return (
    <Card>
      <EmptyState title="This page could not be shown">
        <p>The server ran into a problem{error.digest ? ` (reference ${error.digest})` : ""}. Details are in its log.</p>
        <button type="button" onClick={() => retry()} className={`${BUTTON.primary} mt-4`}>
          Try again
        </button>
      </EmptyState>
    </Card>
  );
}
