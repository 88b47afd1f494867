// Typed errors: a module throws one, and the route wrapper (lib/server/route.ts)
// answers it as { "error": { "code": "...", "message": "..." } } with its status.
/** Every `error.code` the API answers with: a new one is added here, and a typo fails tsc. */
export type ErrorCode =
  // requests
  | "invalid_request"
  | "invalid_json"
  | "not_found"
  | "internal_error"
  // access (lib/callbacks/ingest.ts, proxy.ts, the cron tick)
  | "unauthorized"
  | "unknown_host"
  | "cross_origin"
  // API tokens (lib/auth/api-tokens.ts)
  | "insufficient_scope"
  | "session_required"
  // callbacks and tasks
  | "invalid_callback"
  | "conflicting_task_ids"
  | "payload_too_large"
  | "request_timeout"
  | "kind_mismatch"
  | "not_pollable"
  | "test_callback_failed"
  | "invalid_signature"
  | "signature_required"
  | "delivery_pruned"
  // files
  | "no_files"
  | "not_stored"
  | "file_missing"
  | "range_not_satisfiable"
  // notifications (lib/notifications)
  | "destination_refused"
  | "no_secret"
  | "notification_busy"
  | "conflict"
  // thumbnails and waveforms (lib/media)
  | "no_thumbnail"
  | "no_waveform"
  // the provider (lib/provider/client.ts, lib/provider/status.ts)
  | "rate_limited"
  | "provider_not_configured"
  | "provider_error"
  | "provider_timeout"
  | "provider_unreachable"
  | "provider_not_found"
  | "provider_unauthorized"
  | "provider_no_credits"
  | "provider_maintenance"
  | "provider_conflict"
  | "provider_rejected"
  | "provider_bad_answer";

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (code: ErrorCode, message: string) => new AppError(400, code, message);
export const notFound = (message: string) => new AppError(404, "not_found", message);
