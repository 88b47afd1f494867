import { testCallbackShape } from "@/lib/server/api-shapes";
import { operation } from "@/lib/server/operation";

export const sendTestCallback = operation({
  method: "POST",
  path: "/api/setup/test-callback",
  id: "sendTestCallback",
  tag: "Setup",
  summary: "Post a sample cover callback to this dashboard",
  access: "write",
  answers: { 201: { description: "The task it made, and the receiver's answer.", json: testCallbackShape } },
  errors: { 502: ["test_callback_failed"] },
});
