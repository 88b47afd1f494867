import type { NextConfig } from "next";
import { COMMON_SECURITY_HEADERS, NON_DOCUMENT_CSP } from "./lib/server/security-headers";

const common = Object.entries(COMMON_SECURITY_HEADERS).map(([key, value]) => ({ key, value }));
const nonDocument = [{ key: "Content-Security-Policy", value: NON_DOCUMENT_CSP }];

const nextConfig: NextConfig = {
  // The container image (Dockerfile) builds with NEXT_OUTPUT=standalone: a
  // server.js with only the files it needs. `next start` wants the default.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  // better-sqlite3 is a native addon: load it from node_modules at run time.
  serverExternalPackages: ["better-sqlite3"],
  poweredByHeader: false,
  // Also where proxy.ts does not run (callbacks, health, build output, public
  // files). Pages get their CSP, with a nonce, from proxy.ts.
  headers: async () => [
    { source: "/:path*", headers: common },
    { source: "/:dir(api|_next|samples)/:path*", headers: nonDocument },
    { source: "/:file(icon.svg|favicon.ico)", headers: nonDocument },
  ],
};

export default nextConfig;
