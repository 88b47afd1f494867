import type { Metadata } from "next";
import { insightsQuery } from "@/app/api/insights/schema";
import { getInsights } from "@/db/queries/insights";
import { InsightsView } from "./insights-view";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Insights" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function InsightsPage({ searchParams }: Props) {
  const raw = (await searchParams).days;
  const parsed = insightsQuery.safeParse({ days: (Array.isArray(raw) ? raw[0] : raw) || undefined });
  return <InsightsView initial={await getInsights(parsed.success ? parsed.data.days : 7)} />;
}
