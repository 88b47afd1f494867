import type { z } from "zod";

/** One line naming the first offending field, e.g. "data.taskId: is required". */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid input";
  const field = issue.path.length ? issue.path.join(".") : "body";
  const text = issue.code === "invalid_type" && issue.input === undefined ? "is required" : issue.message;
  return `${field}: ${text}`;
}
