import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTaskDetail } from "@/db/queries/tasks";
import { TaskView } from "./task-view";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ taskId: string }> };

/** Route params may arrive still percent-encoded; a malformed escape stays as it is. */
function taskIdOf(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Task ${taskIdOf((await params).taskId)}` };
}

export default async function TaskPage({ params }: Props) {
  const taskId = taskIdOf((await params).taskId);
  const detail = await getTaskDetail(taskId);
  if (!detail) notFound();
  return <TaskView initial={detail} />;
}
