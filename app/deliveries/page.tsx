import type { Metadata } from "next";
import { listDeliveriesQuery } from "@/app/api/deliveries/schema";
import { listDeliveries } from "@/db/queries/deliveries";
import { callbackUrl } from "@/lib/auth/callback-token";
import { InboxView } from "./inbox-view";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Inbox" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function DeliveriesPage({ searchParams }: Props) {
  const raw = (await searchParams).verdict;
  const parsed = listDeliveriesQuery.safeParse({ verdict: (Array.isArray(raw) ? raw[0] : raw) || undefined });
  const verdict = parsed.success ? parsed.data.verdict : undefined;
  const [page, url] = await Promise.all([listDeliveries({ verdict, limit: 30 }), callbackUrl()]);
  return <InboxView initialVerdict={verdict} initialPage={page} callbackUrl={url} />;
}
