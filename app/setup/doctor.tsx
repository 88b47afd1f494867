// The setup doctor: every check with its verdict and, when not ok, the fix.
// Rendered on the server; the same checks are GET /api/health?verbose=1.
import { Card, CardHeader, Skeleton } from "@/components/ui";
import { overall, type Check, type Verdict } from "@/lib/server/doctor";
import { runDoctor } from "@/lib/server/doctor-facts";

const VERDICT: Record<Verdict, { label: string; badge: string; icon: string }> = {
  ok: {
    label: "OK",
    badge: "bg-emerald-50 text-emerald-700 ring-emerald-600/20 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-400/25",
    icon: "M4 10.5l4 4 8-9",
  },
  warn: {
    label: "Warning",
    badge: "bg-amber-50 text-amber-800 ring-amber-600/25 dark:bg-amber-400/10 dark:text-amber-300 dark:ring-amber-400/25",
    icon: "M10 5v6M10 14.5v.5",
  },
  fail: {
    label: "Failing",
    badge: "bg-red-50 text-red-700 ring-red-600/20 dark:bg-red-500/10 dark:text-red-300 dark:ring-red-400/25",
    icon: "M6 6l8 8M14 6l-8 8",
  },
};

export async function Doctor() {
  const checks = await runDoctor();
  const worst = overall(checks);
  const problems = checks.filter((c) => c.verdict !== "ok").length;
  return (
    <Card>
      <CardHeader
        title="Doctor"
        description={
          problems === 0 ? "Everything checked is in order." : `${problems} of ${checks.length} checks need a look; each says what to do.`
        }
        actions={<VerdictBadge verdict={worst} />}
      />
      <ul className="divide-y divide-zinc-100 dark:divide-zinc-800/70" data-testid="doctor" data-verdict={worst}>
        {checks.map((c) => (
          <CheckRow key={c.id} check={c} />
        ))}
      </ul>
    </Card>
  );
}

function CheckRow({ check }: { check: Check }) {
  return (
    <li className="flex gap-3 px-4 py-3 sm:px-5" data-testid={`check-${check.id}`} data-verdict={check.verdict}>
      <VerdictIcon verdict={check.verdict} />
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <p className="text-sm font-medium">{check.title}</p>
          <span className="sr-only">: {VERDICT[check.verdict].label}</span>
        </div>
        <p className="mt-0.5 text-sm break-words text-zinc-600 dark:text-zinc-400">{check.detail}</p>
        {check.fix && (
          <p className="mt-1 text-sm break-words text-zinc-800 dark:text-zinc-200">
            <span className="font-medium">Fix: </span>
            {check.fix}
          </p>
        )}
      </div>
    </li>
  );
}

function VerdictIcon({ verdict }: { verdict: Verdict }) {
  return (
    <span aria-hidden className={`mt-0.5 grid size-5 shrink-0 place-items-center rounded-full ring-1 ring-inset ${VERDICT[verdict].badge}`}>
      <svg
        viewBox="0 0 20 20"
        className="size-3.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="2.2"
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <path d={VERDICT[verdict].icon} />
      </svg>
    </span>
  );
}

function VerdictBadge({ verdict }: { verdict: Verdict }) {
  return (
    <span className={`inline-flex items-center rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${VERDICT[verdict].badge}`}>
      {VERDICT[verdict].label}
    </span>
  );
}

export function DoctorSkeleton() {
  return <Skeleton className="h-72" />;
}
