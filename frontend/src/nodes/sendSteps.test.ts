import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { makeT } from "../i18n";
import { translateLocatedError } from "../i18n/errors";
import { fieldTestId, problemEntries } from "../graph/problems";
import { getStep, outputLabel, stepsInGroup, stepTypes } from "./registry";
import { moveItem } from "./messageFields";
import { asMessages, newMessage, withType } from "./send_line";
import { smsCounter } from "./send_sms";
import { segments } from "./smsSegments";
import { asHeaders, webhookHost } from "./send_webhook";
import { useBackendManifest } from "./testManifest";

useBackendManifest();
const en = makeT("en");
const zh = makeT("zh-TW");
const SEND_STEPS = ["send_sms", "send_line", "send_push", "send_webpush", "send_in_app", "send_webhook"];

describe("send steps of the newer channels", () => {
  it("are actions in the palette with an optional Next, and an optional Unreachable where a customer can lack the address", () => {
    const actions = stepsInGroup("action").map((d) => d.type);
    expect(actions).toEqual(expect.arrayContaining(SEND_STEPS));
    for (const type of SEND_STEPS) {
      const d = getStep(type)!;
      const outputs = d.outputs(d.defaultSettings());
      // A webhook posts to its own URL and an in-app message waits for the app: nobody is unreachable there.
      const reachesEveryone = type === "send_webhook" || type === "send_in_app";
      expect(outputs.map((o) => [o.id, o.required, o.tone]), type).toEqual([
        ["next", false, "neutral"],
        ...(reachesEveryone ? [] : [["unreachable", false, "no"]]),
      ]);
      if (reachesEveryone) continue;
      expect(outputLabel(d, outputs[1], {}, zh)).toBe("無法送達");
      expect(outputLabel(d, outputs[1], {}, en)).toBe("Unreachable");
    }
    expect(zh("type.send_sms")).toBe("傳送簡訊");
    expect(zh("type.send_line")).toBe("傳送 LINE 訊息");
    expect(zh("type.send_webhook")).toBe("Webhook 呼叫");
  });

  it("summarise what they send, and say when they are not ready", () => {
    const sms = getStep("send_sms")!;
    expect(sms.summary({ text: "Hi {{ customer.first_name }}, 20% off" }, en)).toBe("“Hi ‹First name›, 20% off”");
    expect(sms.summary({ text: "" }, zh)).toBe("請輸入簡訊內容");
    const line = getStep("send_line")!;
    const card = { type: "buttons", title: "春季特賣", text: "x", buttons: [{ label: "Go", url: "https://a.example" }] };
    expect(line.summary({ messages: [{ type: "image", url: "https://a.example/i.png" }, card] }, zh)).toBe("2 則 LINE 訊息：春季特賣");
    expect(line.summary({ messages: [{ type: "image", url: "https://a.example/i.png" }] }, en)).toBe("1 LINE message");
    expect(line.summary(line.defaultSettings(), en)).toBe("1 LINE message: Hi ‹First name›,");
    expect(line.summary({ messages: [] }, en)).toBe(en("summary.incomplete"));
    expect(getStep("send_push")!.summary({ title: "Hi {{ customer.first_name }}" }, en)).toBe("Hi ‹First name›");
    expect(getStep("send_webpush")!.summary({ title: "" }, zh)).toBe("請輸入標題");
    expect(getStep("send_in_app")!.summary({ title: "Welcome", expires_in_hours: 72 }, zh)).toBe("Welcome · 顯示 72 小時");
    const webhook = getStep("send_webhook")!;
    expect(webhook.summary({ url: "https://hooks.example.com/in?x=1", method: "PUT" }, en)).toBe("PUT hooks.example.com");
    expect(webhook.summary({ url: "hooks.example.com" }, en)).toBe("Enter the webhook URL");
  });

  it("count SMS characters and segments as they are billed", () => {
    // Only what any billing-correct segments() agrees on: smsSegments.ts is replaced by the SMS providers' own.
    expect(segments("").segments).toBe(0);
    expect([segments("a".repeat(160)).segments, segments("a".repeat(161)).segments]).toEqual([1, 2]);
    expect([segments("€".repeat(80)).segments, segments("€".repeat(81)).segments]).toEqual([1, 2]);
    expect(segments("您好".repeat(35))).toMatchObject({ encoding: "UCS-2", segments: 1 });
    expect(segments("您好".repeat(35) + "!").segments).toBe(2);
    expect(smsCounter("Hi", en)).toEqual({ text: "2 characters · 1 segment (GSM-7)", long: false });
    expect(smsCounter("您".repeat(400), zh)).toEqual({ text: "400 個字 · 6 則（UCS-2）", long: true });
  });

  it("edit LINE messages: a new card has a button, switching type keeps the text, reordering moves whole messages", () => {
    expect(newMessage("buttons").buttons).toEqual([{ label: "", url: "" }]);
    const text = { ...newMessage(), text: "Hello" };
    const card = withType(text, "buttons");
    expect(card).toMatchObject({ type: "buttons", text: "Hello", buttons: [{ label: "", url: "" }] });
    expect(withType({ ...card, buttons: [{ label: "A", url: "https://a" }] }, "buttons").buttons).toHaveLength(1);
    const messages = asMessages([{ type: "text", text: "1" }, { type: "image", url: "https://i" }, "garbage"]);
    expect(messages.map((m) => m.type)).toEqual(["text", "image", "text"]);
    expect(moveItem(messages, 1, 0).map((m) => m.type)).toEqual(["image", "text", "text"]);
    expect(moveItem(messages, 0, -1)).toBe(messages);
    expect(asMessages("garbage")).toEqual([]);
    expect(asHeaders([{ name: "X-Key", value: 1 }])).toEqual([{ name: "X-Key", value: "1" }]);
    expect(webhookHost("ftp://x.example")).toBeNull();
  });

  it("name and locate the problems of nested fields and of fields a step names its own way", () => {
    const base = { node_id: "n", edge_id: null };
    const noText = { ...base, code: "invalid_settings", field: "messages.1.text", message: "Missing data for required field." };
    expect(translateLocatedError(noText, en)).toBe("“Message 2 · Text” needs a value.");
    expect(translateLocatedError(noText, zh)).toBe("請填寫「第 2 則訊息 · 文字」。");
    const badLink = { ...base, code: "invalid_settings", field: "messages.0.buttons.2.url", message: "Use a link starting with https://." };
    expect(translateLocatedError(badLink, en)).toBe("“Message 1 · Button 3 · Link (https)” isn’t valid yet.");
    const header = { ...base, code: "reserved_header", field: "headers.0.name", message: "x" };
    expect(translateLocatedError(header, en)).toBe("“Header 1 · Name”: Wayfinder sets this header itself; choose another name.");
    const body = { ...base, code: "invalid_settings", field: "body", message: "Missing data for required field." };
    expect(translateLocatedError(body, en, { stepType: "send_push" })).toBe("“Message” needs a value.");
    expect(translateLocatedError(body, en, { stepType: "send_webhook" })).toBe("“JSON body” needs a value.");
    expect(translateLocatedError(body, en)).toBe("“Email body” needs a value.");
    const url = { ...base, code: "invalid_url", field: "url", message: "x" };
    expect(translateLocatedError(url, zh, { stepType: "send_webhook" })).toBe("「Webhook 網址」必須是以 https:// 或 http:// 開頭的完整網址。");
    const long = { ...base, code: "sms_long", field: "text", message: "x" };
    expect(translateLocatedError(long, zh, { stepType: "send_sms" })).toBe("「簡訊內容」本身就超過 5 則簡訊，每則都會計費，建議縮短內容。");
    expect(fieldTestId("messages.1.text")).toBe("setting-message-1-text");
    expect(fieldTestId("messages.0.buttons.2.url")).toBe("message-0-button-2-url");
    expect(fieldTestId("headers.3.value")).toBe("header-3-value");
    const entries = problemEntries([body], [{ id: "n", name: "Push", type: "send_push" }], [], { attempted: true, touched: new Set() });
    expect(entries[0].stepType).toBe("send_push");
  });
});

describe("send step forms", () => {
  const render = (type: string, settings: Record<string, unknown>, fieldErrors: Record<string, string> = {}) => {
    const d = getStep(type)!;
    const props = { nodeId: "n", settings, onChange: () => {}, t: en, fieldErrors, schema: d.schema, steps: [] };
    return renderToString(createElement(d.Form, props));
  };

  it("render every send step's defaults, with the unreachable note exactly where the step has that output", () => {
    const sends = stepTypes().filter((d) => d.channel);
    expect(sends.map((d) => d.type)).toEqual(expect.arrayContaining(["send_email", ...SEND_STEPS]));
    for (const d of sends) {
      const html = render(d.type, d.defaultSettings());
      const hasUnreachable = d.outputs(d.defaultSettings()).some((o) => o.id === "unreachable");
      expect(html.includes('data-testid="unreachable-hint"'), d.type).toBe(hasUnreachable);
    }
    expect(render("send_webhook", getStep("send_webhook")!.defaultSettings())).not.toContain("unreachable-hint");
    expect(render("send_sms", getStep("send_sms")!.defaultSettings())).toContain("unreachable-hint");
  });

  it("show the SMS counter for the text as typed", () => {
    expect(render("send_sms", { text: "a".repeat(161) })).toContain("161 characters · 2 segments (GSM-7)");
  });

  it("show a LINE message's fields for its type, and its errors where they belong", () => {
    const settings = {
      messages: [
        { type: "image", url: "" },
        { type: "buttons", text: "Hi", title: "Sale", buttons: [{ label: "Go", url: "http://x" }] },
      ],
    };
    const html = render("send_line", settings, { "messages.0.url": "URL NEEDED", "messages.1.buttons.0.url": "HTTPS ONLY" });
    expect(html).toContain('data-testid="setting-message-0-url"');
    expect(html).not.toContain('data-testid="setting-message-0-text"');
    expect(html).toContain('data-testid="message-1-button-0-url"');
    expect(html).toContain("URL NEEDED");
    expect(html).toContain("HTTPS ONLY");
    expect(html).toContain('data-testid="line-preview"');
  });

  it("list a webhook's headers with their errors", () => {
    const html = render("send_webhook", { url: "https://h.example", method: "PUT", body: "{}", headers: [{ name: "Host", value: "x" }] }, { "headers.0.name": "RESERVED" });
    expect(html).toContain('data-testid="header-0-name"');
    expect(html).toContain("RESERVED");
    expect(html).toMatch(/setting-method-PUT[^>]*is-on|is-on[^>]*setting-method-PUT/);
  });
});
