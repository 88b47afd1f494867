"use client";
import { BUTTON, Card, EmptyState } from "@/components/ui";

export default function ErrorBoundary({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <Card>
      <EmptyState title="This page could not be shown">
        <p>The server ran into a problem{error.digest ? ` (reference ${error.digest})` : ""}. Details are in its log.</p>
        <button type="button" onClick={reset} className={`${BUTTON.primary} mt-4`}>
          Try again
        </button>
      </EmptyState>
    </Card>
  );
}
