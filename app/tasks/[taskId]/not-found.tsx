import Link from "next/link";
import { BUTTON, Card, EmptyState } from "@/components/ui";

export default function TaskNotFound() {
  return (
    <Card>
      <EmptyState title="No such task">
        <p>The dashboard has not heard of this task id. It appears once a callback for it arrives, or after you track it from Setup.</p>
        <div className="mt-4 flex justify-center gap-2">
          <Link href="/" className={BUTTON.secondary}>
            All tasks
          </Link>
          <Link href="/setup" className={BUTTON.secondary}>
            Track a task id
          </Link>
        </div>
      </EmptyState>
    </Card>
  );
}
