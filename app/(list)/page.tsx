import { listTasksQuery } from "@/app/api/tasks/schema";
import { listTasksWithStats } from "@/db/queries/tasks";
import { callbackUrl } from "@/lib/auth/callback-token";
import { TasksView, type TaskFilters } from "./tasks-view";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function TasksPage({ searchParams }: Props) {
  const raw = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;
  const parsed = listTasksQuery.safeParse({ kind: first(raw.kind), status: first(raw.status), q: first(raw.q) });
  const filters: TaskFilters = parsed.success ? { kind: parsed.data.kind, status: parsed.data.status, q: parsed.data.q } : {};
  const [{ page, stats }, url] = await Promise.all([listTasksWithStats({ ...filters, limit: 50 }), callbackUrl()]);
  return <TasksView initialFilters={filters} initialPage={page} initialStats={stats} callbackUrl={url} />;
}
