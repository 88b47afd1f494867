import type { Metadata } from "next";
import Link from "next/link";
import { apiDocument } from "@/app/api/operations";
import { ApiReference, type ApiDocument } from "@/components/api-reference";
import { BUTTON, PageHeader } from "@/components/ui";

// Rendered per request like every page: the CSP's nonce is per request (proxy.ts).
export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API" };

export default function ApiDocsPage() {
  const document = apiDocument() as unknown as ApiDocument;
  return (
    <>
      <PageHeader
        title="API"
        description={
          <>
            Every route of this dashboard, from its OpenAPI document. Scripts send{" "}
            <code className="font-mono">Authorization: Bearer sk_…</code> with a token made on the{" "}
            <Link href="/setup#api-tokens" className="underline underline-offset-2">
              setup page
            </Link>
            .
          </>
        }
        actions={
          <a href="/api/openapi.json" className={BUTTON.secondary} download="openapi.json">
            openapi.json
          </a>
        }
      />
      <ApiReference document={document} />
    </>
  );
}
