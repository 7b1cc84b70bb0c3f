/** The message log's pure parts: the query a filter bar makes, how pages merge while the log refreshes, the
 * timeline of one message, and each channel's rendered content turned into what its preview draws (the
 * customer's view: a mail, an SMS bubble, LINE bubbles, a notification card, a webhook call). No React here. */
import type { Message, MessageEvent } from "../api/types";

export const CHANNELS = ["email", "sms", "line", "push", "webpush", "in_app", "webhook"] as const;
export const STATUSES = ["pending", "sending", "sent", "failed", "unknown", "skipped"] as const;
export const PER_PAGE = 50;

export interface LogFilters {
  journeyId: string;
  stepId: string;
  channel: string;
  status: string;
  customer: string;
}

export const NO_FILTERS: LogFilters = { journeyId: "", stepId: "", channel: "", status: "", customer: "" };

export function hasFilters(f: LogFilters): boolean {
  return Object.values(f).some((v) => v.trim() !== "");
}

/** The /api/messages query of the filters (empty ones left out), a page from `cursor` on. */
export function logQuery(f: LogFilters, cursor: number | null = null, perPage = PER_PAGE): URLSearchParams {
  const q = new URLSearchParams();
  if (f.journeyId) q.set("journey_id", f.journeyId);
  if (f.journeyId && f.stepId) q.set("node_id", f.stepId);
  if (f.channel) q.set("channel", f.channel);
  if (f.status) q.set("status", f.status);
  if (f.customer.trim()) q.set("customer", f.customer.trim());
  if (cursor != null) q.set("cursor", String(cursor));
  q.set("per_page", String(perPage));
  return q;
}

/** A refreshed first page on top of the older pages already loaded: the fresh rows replace their old copies
 * (a status moved on), older rows stay, none twice, newest first. */
export function mergePages(fresh: Message[], loaded: Message[]): Message[] {
  if (fresh.length === 0) return [];
  const oldest = fresh[fresh.length - 1].id;
  return [...fresh, ...loaded.filter((m) => m.id < oldest)];
}

export interface TimelineEntry {
  kind: string;
  at: string;
  /** The provider's error, a clicked link, the next retry … (one line), when the event says one. */
  note: string | null;
}

/** "queued" when the message was made, then its events in order. */
export function timeline(message: Pick<Message, "created_at">, events: MessageEvent[]): TimelineEntry[] {
  return [{ kind: "queued", at: message.created_at, note: null }, ...events.map((e) => ({ kind: e.kind, at: e.at, note: eventNote(e.detail) }))];
}

function eventNote(detail: Record<string, unknown> | null): string | null {
  if (!detail) return null;
  for (const key of ["error", "url", "reason", "retry_at"]) {
    const v = detail[key];
    if (typeof v === "string" && v) return v;
  }
  return null;
}

/** The tone of an event's dot: good news, bad news, or neither. */
export function eventTone(kind: string): "good" | "bad" | "warn" | "neutral" {
  if (["sent", "delivered", "opened", "clicked", "read"].includes(kind)) return "good";
  if (["failed", "bounced", "complained"].includes(kind)) return "bad";
  if (["retry", "unsubscribed"].includes(kind)) return "warn";
  return "neutral";
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const strOrNull = (v: unknown): string | null => (typeof v === "string" && v ? v : null);

export type LineBubble =
  | { type: "text"; text: string }
  | { type: "image"; url: string }
  | { type: "buttons"; title: string; text: string; imageUrl: string | null; buttons: { label: string; url: string }[] };

/** A LINE payload's messages as bubbles (unknown shapes dropped, not guessed). */
export function lineBubbles(payload: Record<string, unknown> | null): LineBubble[] {
  const messages = Array.isArray(payload?.messages) ? (payload.messages as Record<string, unknown>[]) : [];
  const out: LineBubble[] = [];
  for (const m of messages) {
    if (!m || typeof m !== "object") continue;
    if (m.type === "text") out.push({ type: "text", text: str(m.text) });
    else if (m.type === "image") out.push({ type: "image", url: str(m.preview_url) || str(m.url) });
    else if (m.type === "buttons") {
      const buttons = Array.isArray(m.buttons) ? (m.buttons as Record<string, unknown>[]) : [];
      out.push({
        type: "buttons",
        title: str(m.title),
        text: str(m.text),
        imageUrl: strOrNull(m.image_url),
        buttons: buttons.map((b) => ({ label: str(b?.label), url: str(b?.url) })),
      });
    }
  }
  return out;
}

export interface NotificationCard {
  title: string;
  body: string;
  /** An icon (web push) or a picture (app push); null when none. */
  image: string | null;
  /** Where a tap leads: a URL (web push, in-app button) or an app deep link. */
  link: string | null;
  button: string | null;
}

/** Push, web push and in-app payloads as the card a customer sees. */
export function notificationCard(channel: string, payload: Record<string, unknown> | null): NotificationCard {
  const p = payload ?? {};
  const data = (p.data ?? {}) as Record<string, unknown>;
  if (channel === "webpush") return { title: str(p.title), body: str(p.body), image: strOrNull(p.icon), link: strOrNull(p.url), button: null };
  if (channel === "in_app")
    return { title: str(p.title), body: str(p.body), image: null, link: strOrNull(p.button_url), button: strOrNull(p.button_label) };
  return { title: str(p.title), body: str(p.body), image: strOrNull(p.image_url), link: strOrNull(data?.deep_link), button: null };
}

/** A webhook body pretty-printed when it is JSON, else as it was sent. */
export function prettyJson(body: unknown): string {
  if (typeof body !== "string") return JSON.stringify(body ?? null, null, 2);
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);
}

/** The email's HTML for a sandboxed iframe (no scripts run in it), or its text when it has no HTML. */
export function emailSrcDoc(payload: Record<string, unknown> | null): string {
  const html = str(payload?.html);
  if (html) return html;
  return `<pre style="font-family:system-ui;white-space:pre-wrap">${escapeHtml(str(payload?.text))}</pre>`;
}

/** The sender line of an email: "Name <address>", either alone, or null when the payload names none. */
export function emailSender(payload: Record<string, unknown> | null): string | null {
  const name = str(payload?.from_name).trim();
  const address = str(payload?.from_address).trim();
  if (name && address) return `${name} <${address}>`;
  return name || address || null;
}

/** An event's time in `zone`, to the second (a message is often queued and sent within the same minute); the
 * timeline's heading names the zone once. */
export function eventTime(iso: string, lang: string, zone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  try {
    return d.toLocaleString(lang, { dateStyle: "medium", timeStyle: "medium", timeZone: zone });
  } catch {
    return d.toLocaleString(lang, { dateStyle: "medium", timeStyle: "medium" });
  }
}
