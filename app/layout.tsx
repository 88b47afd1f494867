import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: "Suno callback dashboard",
  description: "Receives, keeps and shows the results of Suno cover and WAV tasks.",
};

export default function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-white text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">{children}</body>
    </html>
  );
}
