import type { Metadata, Viewport } from "next";
import Link from "next/link";
import { ClockProvider } from "@/components/clock";
import { Nav } from "@/components/nav";
import { ToastProvider } from "@/components/toast";
import { env } from "@/lib/core/env";
import "./globals.css";

// Every page reads the database or the environment at request time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Suno callback dashboard", template: "%s · Suno callbacks" },
  description: "Receives, keeps and shows the results of every Suno task: music, lyrics, covers, WAVs, stems, MIDI and videos.",
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#09090b" },
  ],
};

export default function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  const protectedByPassword = Boolean(env().DASHBOARD_PASSWORD);
  // A server component renders once per request: the moment the page's relative times are drawn against.
  // eslint-disable-next-line react-hooks/purity -- see above
  const renderedAt = Date.now();
  return (
    <html lang="en">
      <body className="min-h-screen bg-zinc-50 text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow dark:focus:bg-zinc-900"
        >
          Skip to content
        </a>
        <ToastProvider>
          <header className="sticky top-0 z-30 border-b border-zinc-200 bg-white/85 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/80">
            <div className="mx-auto flex h-14 max-w-6xl items-center gap-3 px-4 sm:gap-6 sm:px-6">
              <Link
                href="/"
                className="flex items-center gap-2 rounded-md font-semibold tracking-tight focus-visible:outline-2 focus-visible:outline-violet-500"
              >
                <Logo />
                <span className="hidden sm:inline">Suno callbacks</span>
              </Link>
              <Nav showLogout={protectedByPassword} />
            </div>
          </header>
          <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
            <ClockProvider renderedAt={renderedAt}>{children}</ClockProvider>
          </main>
        </ToastProvider>
      </body>
    </html>
  );
}

function Logo() {
  return (
    <span
      aria-hidden
      className="grid size-7 place-items-center rounded-lg bg-gradient-to-br from-violet-500 to-fuchsia-500 text-white shadow-sm"
    >
      <svg viewBox="0 0 16 16" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round">
        <path d="M3 6.5v3M5.5 4v8M8 6v4M10.5 3v10M13 6.5v3" />
      </svg>
    </span>
  );
}
