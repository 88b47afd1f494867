import { providerStatusShape } from "@/lib/server/api-shapes";
import { operation } from "@/lib/server/operation";

export const getProvider = operation({
  method: "GET",
  path: "/api/provider",
  id: "getProvider",
  tag: "Setup",
  summary: "Whether a provider key is set, the provider's address and the remaining credits",
  description: "Never fails for the provider's sake: a failure is reported in `error`. Answers are reused for 15 s.",
  access: "read",
  answers: { 200: { description: "The provider's status.", json: providerStatusShape } },
});
