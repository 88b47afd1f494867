// The bodies and signatures of notifications, without a server: signatures
// checked by the `standardwebhooks` package, and which cover image a chat
// message shows depending on where the dashboard can be reached.
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import type { AssetRow, TaskRow } from "@/db/schema";
import { buildPayload, coverImageUrl, type PayloadContext } from "@/lib/notifications/payload";
import { newWebhookSecret, signWebhook } from "@/lib/notifications/sign";

const now = new Date("2025-01-10T12:00:00Z");
const task = {
  taskId: "t1",
  kind: "cover",
  status: "succeeded",
  code: 200,
  message: "<@everyone> & co",
  createdAt: now,
  updatedAt: now,
  completedAt: now,
  filesExpireAt: new Date("2025-01-24T12:00:00Z"),
} as TaskRow;
const image = {
  id: 7,
  taskId: "t1",
  type: "image",
  position: 0,
  remoteUrl: "https://cdn.example.com/a.png",
  status: "stored",
  storagePath: "cover/t1/0.png",
} as AssetRow;

const ctx = (baseUrl: string, loginRequired = false): PayloadContext => ({ baseUrl, loginRequired, now });

describe("signWebhook", () => {
  it("signs the way Standard Webhooks verifies", () => {
    const secret = newWebhookSecret();
    const body = buildPayload("webhook", "task.succeeded", now, { task, assets: [image] }, ctx("https://dash.example.com"));
    const headers = signWebhook(secret, "msg_1", body, new Date());
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ type: "task.succeeded" });
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(secret).verify(body.replace("t1", "t2"), headers)).toThrow();
  });
});

describe("coverImageUrl", () => {
  it("uses the stored copy when the dashboard is public and open", () => {
    expect(coverImageUrl(task, [image], ctx("https://dash.example.com"))).toBe("https://dash.example.com/api/assets/7/file");
  });
  it("falls back to the provider's URL behind a login, on a local address, or before the file is stored", () => {
    expect(coverImageUrl(task, [image], ctx("https://dash.example.com", true))).toBe(image.remoteUrl);
    expect(coverImageUrl(task, [image], ctx("http://localhost:3000"))).toBe(image.remoteUrl);
    expect(coverImageUrl(task, [image], ctx("http://192.168.1.5:3000"))).toBe(image.remoteUrl);
    expect(coverImageUrl(task, [{ ...image, storagePath: null }], ctx("https://dash.example.com"))).toBe(image.remoteUrl);
  });
  it("shows none once the provider deleted the file, or for a WAV", () => {
    const expired = { ...task, filesExpireAt: new Date(now.getTime() - 1) };
    expect(coverImageUrl(expired, [image], ctx("http://localhost:3000"))).toBeNull();
    expect(coverImageUrl(task, [{ ...image, type: "audio" }], ctx("https://dash.example.com"))).toBeNull();
  });
});

describe("chat bodies", () => {
  it("keep provider text from pinging on Discord and escape it on Slack", () => {
    const failed = { ...task, status: "failed" as const, code: 501 };
    const discord = JSON.parse(buildPayload("discord", "task.failed", now, { task: failed, assets: [] }, ctx("http://localhost:3000")));
    expect(discord.allowed_mentions).toEqual({ parse: [] });
    expect(discord.embeds[0].image).toBeUndefined();
    const slack = JSON.parse(buildPayload("slack", "task.failed", now, { task: failed, assets: [] }, ctx("http://localhost:3000")));
    expect(slack.blocks[0].text.text).toContain("&lt;@everyone&gt; &amp; co");
  });
});

describe("Discord's Markdown", () => {
  /** What Discord would act on in `text`: inline Markdown not escaped by a backslash, and list markers starting a line. */
  function unescaped(text: string): string[] {
    const found: string[] = [];
    for (let i = 0; i < text.length; i++) {
      if (text[i] === "\\") i++;
      else if ("*_~`|[]()<>#".includes(text[i]!)) found.push(text[i]!);
    }
    for (const line of text.split("\n")) if (/^\s*([-+]|\d+\.)\s/.test(line)) found.push(line);
    return found;
  }
  const unescape = (text: string) => text.replace(/\\([^A-Za-z0-9\s])/g, "$1");

  it("escapes the provider's text: it reads as written, with no formatting, masked link, heading or list of its own", () => {
    const message = [
      "# Heading",
      "> quote **bold** _it_ ~~gone~~ `code` ||spoiler|| [click me](https://evil.example) <https://x.example> <@123> \\ end",
      "- item",
      "+ item",
      "  12. numbered",
      "-# small print",
    ].join("\n");
    const failed = { ...task, taskId: "a_b__c-1.2", status: "failed" as const, code: 501, message };
    const discord = JSON.parse(buildPayload("discord", "task.failed", now, { task: failed, assets: [] }, ctx("http://localhost:3000")));
    const embed = discord.embeds[0];
    for (const text of [discord.content, embed.title, embed.description]) expect(unescaped(text), text).toEqual([]);
    expect(unescape(embed.description)).toBe(`Task a_b__c-1.2. The provider answered 501: ${message}.`);
    expect(discord.content).toBe("Cover task a\\_b\\_\\_c-1.2 failed");
  });
});
