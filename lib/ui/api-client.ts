// Every call the browser makes to the dashboard's API, in one place. Errors
// carry the API's own message ({error:{code,message}}) so toasts can show it.
import type { TaskStats } from "@/db/queries/stats";
import type { TaskListItem } from "@/db/queries/tasks";
import type { Delivery, Page, Task, TaskDetail } from "@/db/queries/dto";
import type { CreateTaskBody } from "@/lib/provider/requests";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function request<T>(method: "GET" | "POST" | "DELETE", url: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, "network", "Could not reach the dashboard server.");
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: described below
  }
  if (!res.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
    const fallback = res.status === 404 ? "Not found (this server may not have that feature yet)." : `The server answered ${res.status}.`;
    throw new ApiError(res.status, error?.code ?? `http_${res.status}`, error?.message ?? fallback);
  }
  return json as T;
}

/** SWR's fetcher: GET a JSON document. */
export const fetchJson = <T>(url: string) => request<T>("GET", url);

export type TaskPage = Page<TaskListItem>;
export type DeliveryPage = Page<Delivery>;
export type { Delivery, Task, TaskDetail, TaskListItem, TaskStats };

export const taskDetailUrl = (taskId: string) => `/api/tasks/${encodeURIComponent(taskId)}`;

export const pollTask = (taskId: string) => request<TaskDetail>("POST", `${taskDetailUrl(taskId)}/poll`);
export const downloadTask = (taskId: string) => request<TaskDetail>("POST", `${taskDetailUrl(taskId)}/download`);
/** Queues one file again; answers its task's detail. */
export const downloadAsset = (assetId: number) => request<TaskDetail>("POST", `/api/assets/${assetId}/download`);
export const submitTask = (body: CreateTaskBody) => request<TaskDetail>("POST", "/api/tasks", body);

export type ReplayResult = { outcome: { verdict: string }; delivery: Delivery | null; task: Task | null };
export const replayDelivery = (id: number) => request<ReplayResult>("POST", `/api/deliveries/${id}/replay`);

export type TestCallbackResult = { taskId: string; status: number; answer: unknown };
export const sendTestCallback = () => request<TestCallbackResult>("POST", "/api/setup/test-callback");

/** The provider key's state; null when this server has no provider-status endpoint (404). */
export type ProviderStatus = {
  configured: boolean;
  credits?: number | null;
  error?: { code: string; message: string } | null;
  checkedAt?: string | null;
};
export const PROVIDER_STATUS_URL = "/api/provider";
export async function getProviderStatus(): Promise<ProviderStatus | null> {
  try {
    return await request<ProviderStatus>("GET", PROVIDER_STATUS_URL);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}
