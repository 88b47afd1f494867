"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/", label: "Tasks" },
  { href: "/deliveries", label: "Inbox" },
  { href: "/insights", label: "Insights" },
  { href: "/setup", label: "Setup" },
  { href: "/api-docs", label: "API" },
];

/** The main links and, with a password set, Log out; neither on the login page itself. */
export function Nav({ showLogout }: { showLogout: boolean }) {
  const pathname = usePathname();
  if (pathname === "/login") return null;
  return (
    <>
      <Links pathname={pathname} />
      {showLogout && (
        <form action="/api/auth/logout" method="post" className="ml-auto">
          <button
            type="submit"
            className="rounded-md px-2.5 py-1.5 text-sm text-zinc-600 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-violet-500 dark:text-zinc-400 dark:hover:text-white"
          >
            Log out
          </button>
        </form>
      )}
    </>
  );
}

function Links({ pathname }: { pathname: string }) {
  return (
    // On a phone the links are tight (with Log out beside them): they scroll rather than widen the page.
    <nav aria-label="Main" className="flex min-w-0 items-center gap-0.5 overflow-x-auto p-0.5 sm:gap-1">
      {LINKS.map(({ href, label }) => {
        const active = href === "/" ? pathname === "/" || pathname.startsWith("/tasks") : pathname.startsWith(href);
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? "page" : undefined}
            className={`shrink-0 rounded-md px-2 py-1.5 text-sm font-medium transition-colors sm:px-2.5 focus-visible:outline-2 focus-visible:outline-violet-500 ${
              active
                ? "bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-white"
                : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-white"
            }`}
          >
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
