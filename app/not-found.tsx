import Link from "next/link";
import { BUTTON, Card, EmptyState } from "@/components/ui";

export default function NotFound() {
  return (
    <Card>
      <EmptyState title="Page not found">
        <Link href="/" className={`${BUTTON.secondary} mt-3`}>
          Back to tasks
        </Link>
      </EmptyState>
    </Card>
  );
}
