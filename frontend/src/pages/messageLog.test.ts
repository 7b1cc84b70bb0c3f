import { describe, expect, it } from "vitest";
import type { Message } from "../api/types";
import { en } from "../i18n/en";
import { zhTW } from "../i18n/zh-TW";
import {
  CHANNELS,
  emailSender,
  emailSrcDoc,
  eventTime,
  eventTone,
  hasFilters,
  lineBubbles,
  logQuery,
  mergePages,
  NO_FILTERS,
  notificationCard,
  prettyJson,
  timeline,
} from "./messageLog";

const row = (id: number, status = "sent") => ({ id, status }) as Message;

describe("the log's query", () => {
  it("leaves empty filters out and trims the customer", () => {
    expect(logQuery(NO_FILTERS).toString()).toBe("per_page=50");
    const q = logQuery({ journeyId: "7", stepId: "mail", channel: "sms", status: "failed", customer: "  amy@example.com " }, 120, 20);
    expect(Object.fromEntries(q)).toEqual({
      journey_id: "7",
      node_id: "mail",
      channel: "sms",
      status: "failed",
      customer: "amy@example.com",
      cursor: "120",
      per_page: "20",
    });
  });

  it("sends a step only with its journey", () => {
    expect(logQuery({ ...NO_FILTERS, stepId: "mail" }).has("node_id")).toBe(false);
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(hasFilters({ ...NO_FILTERS, customer: " " })).toBe(false);
    expect(hasFilters({ ...NO_FILTERS, channel: "line" })).toBe(true);
  });
});

describe("refreshing a log with older pages loaded", () => {
  it("puts fresh rows first, replaces their old copies and keeps the older rows once", () => {
    const loaded = [row(10, "pending"), row(9), row(8), row(5), row(4)];
    const fresh = [row(12), row(11), row(10, "sent"), row(9)];
    const merged = mergePages(fresh, loaded);
    expect(merged.map((m) => m.id)).toEqual([12, 11, 10, 9, 8, 5, 4]);
    expect(merged[2].status).toBe("sent");
  });

  it("an empty first page empties the log (the filters match nothing now)", () => {
    expect(mergePages([], [row(3)])).toEqual([]);
  });
});

describe("the timeline", () => {
  it("starts queued, then the events in order with their notes", () => {
    const entries = timeline({ created_at: "2026-03-02T01:00:00Z" }, [
      { kind: "retry", at: "2026-03-02T01:00:05Z", detail: { error: "429 Too Many Requests", retry_at: "later" } },
      { kind: "sent", at: "2026-03-02T01:01:00Z", detail: null },
      { kind: "clicked", at: "2026-03-02T02:00:00Z", detail: { url: "https://shop.example/sale" } },
    ]);
    expect(entries).toEqual([
      { kind: "queued", at: "2026-03-02T01:00:00Z", note: null },
      { kind: "retry", at: "2026-03-02T01:00:05Z", note: "429 Too Many Requests" },
      { kind: "sent", at: "2026-03-02T01:01:00Z", note: null },
      { kind: "clicked", at: "2026-03-02T02:00:00Z", note: "https://shop.example/sale" },
    ]);
    expect([eventTone("delivered"), eventTone("bounced"), eventTone("retry"), eventTone("queued")]).toEqual(["good", "bad", "warn", "neutral"]);
  });

  it("every event kind and channel has a label in both languages", () => {
    const kinds = ["queued", "sent", "delivered", "opened", "clicked", "read", "bounced", "failed", "retry", "unsubscribed", "complained"];
    for (const key of [...kinds.map((k) => `log.event.${k}`), ...CHANNELS.map((c) => `log.channel.${c}`)]) {
      expect(en).toHaveProperty([key]);
      expect(zhTW).toHaveProperty([key]);
    }
  });
});

describe("what each channel's preview draws", () => {
  it("LINE: text, image and card bubbles; unknown shapes dropped", () => {
    const bubbles = lineBubbles({
      messages: [
        { type: "text", text: "Hi Amy" },
        { type: "image", url: "https://cdn.example/a.jpg", preview_url: "https://cdn.example/a-small.jpg" },
        { type: "buttons", title: "Sale", text: "20% off", image_url: null, buttons: [{ label: "Shop", url: "https://shop.example" }] },
        { type: "sticker" },
        null,
      ],
    });
    expect(bubbles).toEqual([
      { type: "text", text: "Hi Amy" },
      { type: "image", url: "https://cdn.example/a-small.jpg" },
      { type: "buttons", title: "Sale", text: "20% off", imageUrl: null, buttons: [{ label: "Shop", url: "https://shop.example" }] },
    ]);
    expect(lineBubbles(null)).toEqual([]);
  });

  it("push, web push and in-app cards", () => {
    expect(notificationCard("push", { title: "T", body: "B", image_url: "https://i", data: { deep_link: "app://cart" } })).toEqual({
      title: "T",
      body: "B",
      image: "https://i",
      link: "app://cart",
      button: null,
    });
    expect(notificationCard("webpush", { title: "T", body: "B", url: "https://shop", icon: null })).toMatchObject({ image: null, link: "https://shop" });
    expect(notificationCard("in_app", { title: "T", body: "B", button_label: "Go", button_url: "https://x" })).toMatchObject({ button: "Go", link: "https://x" });
  });

  it("a webhook body pretty-printed when it is JSON, as sent when not", () => {
    expect(prettyJson('{"a":1,"b":[true]}')).toBe('{\n  "a": 1,\n  "b": [\n    true\n  ]\n}');
    expect(prettyJson("not json {")).toBe("not json {");
  });

  it("an email: its HTML as it is, a text-only one escaped; the sender line", () => {
    expect(emailSrcDoc({ html: "<p>Hi</p>" })).toBe("<p>Hi</p>");
    expect(emailSrcDoc({ text: "<b>1 < 2</b>" })).toContain("&lt;b&gt;1 &lt; 2&lt;/b&gt;");
    expect(emailSender({ from_name: "Shop", from_address: "hi@shop.tw" })).toBe("Shop <hi@shop.tw>");
    expect(emailSender({ from_name: "", from_address: null })).toBeNull();
  });
});

describe("event times", () => {
  it("are read in the workspace's zone, to the second", () => {
    expect(eventTime("2026-03-02T01:00:05Z", "en", "Asia/Taipei")).toMatch(/9:00:05\sAM/);
    expect(eventTime("2026-03-02T01:00:05Z", "en", "Europe/Lisbon")).toMatch(/1:00:05\sAM/);
    expect(eventTime("garbage", "en", "Asia/Taipei")).toBe("garbage");
  });
});
