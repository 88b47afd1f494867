// What a destination receives for an event, by format. Pure: no I/O, so the
// shapes are tested on their own.
// - webhook: {"type","timestamp","data":{"task","assets"}}, the API's own task
//   and asset shapes with absolute file URLs;
// - discord: an execute-webhook body, {content, embeds:[{title, description, url, image}]};
// - slack: an incoming-webhook body, {text, blocks:[section, image]}.
// Which cover image a chat message shows: see coverImageUrl.
import { toAsset, toTask } from "@/db/queries/dto";
import type { AssetRow, TaskRow } from "@/db/schema";
import type { DestinationFormat, NotifyEvent, TaskKind } from "@/lib/core/enums";
import { isPublicAddress } from "@/lib/files/address-policy";
import { fileAtRisk } from "@/lib/core/rules";

export type NotifyType = NotifyEvent | "test";

export type PayloadContext = {
  /** PUBLIC_BASE_URL, without a trailing slash. */
  baseUrl: string;
  /** Whether the dashboard asks for a login (DASHBOARD_PASSWORD): then its file URLs are no use to a chat service. */
  loginRequired: boolean;
  now: Date;
};

export type EventSubject = { task: TaskRow; assets: AssetRow[] } | null;

const TITLES: Record<NotifyType, string> = {
  "task.succeeded": "succeeded",
  "task.failed": "failed",
  "task.files_stored": "files stored",
  "task.files_at_risk": "files at risk",
  test: "test notification",
};

/** The JSON body for `format`, as sent on every try of this event. */
export function buildPayload(format: DestinationFormat, type: NotifyType, at: Date, subject: EventSubject, ctx: PayloadContext): string {
  if (format === "webhook") return JSON.stringify(webhookBody(type, at, subject, ctx));
  const message = describe(type, subject, ctx);
  return JSON.stringify(format === "discord" ? discordBody(message) : slackBody(message));
}

function webhookBody(type: NotifyType, at: Date, subject: EventSubject, ctx: PayloadContext) {
  return {
    type,
    timestamp: at.toISOString(),
    data: {
      task: subject ? toTask(subject.task) : null,
      assets: subject
        ? subject.assets.map((row) => {
            const asset = toAsset(row);
            return { ...asset, fileUrl: asset.fileUrl && `${ctx.baseUrl}${asset.fileUrl}` };
          })
        : [],
    },
  };
}

/** How a message names a task of each kind. */
const TASK_LABELS: Record<TaskKind, string> = {
  cover: "Cover task",
  wav: "WAV conversion",
  music: "Music task",
  lyrics: "Lyrics task",
  separation: "Stem separation",
  midi: "MIDI task",
  video: "Music video",
  other: "Task",
};

type Message = { line: string; title: string; description: string; url: string | null; image: string | null };

function describe(type: NotifyType, subject: EventSubject, ctx: PayloadContext): Message {
  if (!subject) {
    return {
      line: "Test notification from the Suno callback dashboard: this destination works.",
      title: "Test notification",
      description: `Sent from ${ctx.baseUrl}`,
      url: null,
      image: null,
    };
  }
  const { task, assets } = subject;
  const kind = TASK_LABELS[task.kind];
  const stored = assets.filter((a) => a.status === "stored").length;
  const files = `${assets.length} file${assets.length === 1 ? "" : "s"}`;
  const details: Record<NotifyType, string> = {
    "task.succeeded": `${files} from the provider${stored === assets.length && assets.length > 0 ? ", all stored" : ""}.`,
    "task.failed": `The provider answered ${task.code ?? "an error"}${task.message ? `: ${task.message}` : ""}.`,
    "task.files_stored": `All ${files} are stored in the dashboard's own storage.`,
    "task.files_at_risk": `${assets.filter((a) => fileAtRisk(a.status, task.filesExpireAt, ctx.now)).length} of ${files} not stored; the provider deletes them ${
      task.filesExpireAt ? `at ${task.filesExpireAt.toISOString()}` : "soon"
    }.`,
    test: "",
  };
  return {
    line: `${kind} ${task.taskId} ${TITLES[type]}`,
    title: `${kind} ${TITLES[type]}`,
    description: `Task ${task.taskId}. ${details[type]}`,
    url: `${ctx.baseUrl}/tasks/${encodeURIComponent(task.taskId)}`,
    image: coverImageUrl(task, assets, ctx),
  };
}

/**
 * The image a chat service can fetch itself, or none: the dashboard's stored
 * copy when the dashboard is reachable from the internet without a login
 * (lasts beyond the provider's 14 days), else the provider's own URL while it
 * still has the file, else nothing (a WAV task has no image).
 */
export function coverImageUrl(task: TaskRow, assets: AssetRow[], ctx: PayloadContext): string | null {
  const image = assets.find((a) => a.type === "image");
  if (!image) return null;
  if (image.storagePath && !ctx.loginRequired && isPublicHost(ctx.baseUrl)) return `${ctx.baseUrl}/api/assets/${image.id}/file`;
  const live = !task.filesExpireAt || task.filesExpireAt > ctx.now;
  return live && /^https?:\/\//i.test(image.remoteUrl) ? image.remoteUrl : null;
}

/** A host name other than localhost, or a public IP address. */
function isPublicHost(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local")) return false;
  return /^[\d.]+$/.test(host) || host.includes(":") ? isPublicAddress(host) : true;
}

// Chat services cap text lengths; longer fields are refused, not cut.
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Discord renders Markdown in content, embed titles and descriptions. None of
 * our text means any, and the provider's must not (a masked link, a heading,
 * a quote, a spoiler): whatever Markdown could act on is escaped with a
 * backslash, which Discord shows as the character itself. List markers count
 * only at the start of a line, so `-` and `.` elsewhere (task ids) stay as
 * they are.
 */
const discordEscape = (text: string) =>
  text
    .replace(/[\\*_~`|[\]()<>#]/g, "\\$&")
    .replace(/^(\s*)([-+])(?=\s)/gm, "$1\\$2")
    .replace(/^(\s*\d+)\.(?=\s)/gm, "$1\\.");

function discordBody(m: Message) {
  return {
    content: clip(discordEscape(m.line), 2000),
    // Provider messages are not ours: no @everyone or role pings from them.
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: clip(discordEscape(m.title), 256),
        description: clip(discordEscape(m.description), 4096),
        ...(m.url ? { url: m.url } : {}),
        ...(m.image ? { image: { url: m.image } } : {}),
      },
    ],
  };
}

/** Slack's mrkdwn treats &, < and > as control characters. */
const slackEscape = (text: string) => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

function slackBody(m: Message) {
  const heading = m.url ? `<${m.url}|${slackEscape(m.title)}>` : `*${slackEscape(m.title)}*`;
  return {
    text: clip(slackEscape(m.line), 3000),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: clip(`${heading}\n${slackEscape(m.description)}`, 3000) } },
      ...(m.image ? [{ type: "image", image_url: m.image, alt_text: clip(m.title, 2000) }] : []),
    ],
  };
}
