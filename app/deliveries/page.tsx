import type { Metadata } from "next";
import { listDeliveriesQuery } from "@/app/api/deliveries/schema";
import { listDeliveries } from "@/db/queries/deliveries";
import { callbackUrl } from "@/lib/auth/callback-token";
import { InboxView } from "./inbox-view";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Inbox" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;

export default async function DeliveriesPage({ searchParams }: Props) {
  const params = await searchParams;
  const parsed = listDeliveriesQuery.safeParse({ verdict: first(params.verdict), q: first(params.q), taskId: first(params.taskId) });
  const { verdict, q, taskId } = parsed.success ? parsed.data : {};
  const [page, url] = await Promise.all([listDeliveries({ verdict, q, taskId, limit: 30 }), callbackUrl()]);
  return <InboxView initial={{ verdict, q, taskId }} initialPage={page} callbackUrl={url} />;
}
