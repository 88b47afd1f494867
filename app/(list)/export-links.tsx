// Export what the list's filters show: one ZIP (a folder per task, plus
// tasks.csv) or the CSV alone. Plain links: the browser streams the download.
import { BUTTON } from "@/components/ui";
import type { TaskKind, TaskStatus } from "@/lib/core/enums";

export function ExportLinks({ filters }: { filters: { kind?: TaskKind; status?: TaskStatus; q?: string } }) {
  const params = new URLSearchParams();
  if (filters.kind) params.set("kind", filters.kind);
  if (filters.status) params.set("status", filters.status);
  if (filters.q) params.set("q", filters.q);
  const qs = params.size > 0 ? `?${params}` : "";
  return (
    <>
      <a href={`/api/export${qs}`} download className={BUTTON.secondary} title="Every matching task with its files, as one ZIP">
        Export ZIP
      </a>
      <a href={`/api/export/tasks.csv${qs}`} download className={BUTTON.secondary} title="Every matching task as one CSV row">
        Export CSV
      </a>
    </>
  );
}
