import { z } from "zod";
import { healthShape, verboseHealthShape } from "@/lib/server/api-shapes";
import { operation } from "@/lib/server/operation";

const health = z.union([healthShape, verboseHealthShape]);

export const getHealth = operation({
  method: "GET",
  path: "/api/health",
  id: "getHealth",
  tag: "Operations",
  summary: "Whether the database answers and the storage takes writes, and the drivers in use",
  description:
    "Plain health is open (monitors, load balancers). `?verbose=1` adds the setup doctor's checks and, with DASHBOARD_PASSWORD set, needs a session or an API token.",
  access: "public",
  gated: false,
  query: z.object({ verbose: z.enum(["0", "1"]).default("0") }),
  answers: {
    200: { description: "Healthy.", json: health },
    503: { description: "The database does not answer, or the storage does not take writes.", json: health },
  },
  // ?verbose=1 passes proxy.ts: its host check and its login.
  errors: { 401: ["unauthorized"], 421: ["unknown_host"], 429: ["rate_limited"] },
});
