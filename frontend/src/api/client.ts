/** Typed fetch wrapper: every error shape of docs/api.md becomes a typed exception. */
import type {
  ApiKey,
  ChannelAccount,
  ChannelAccountInput,
  ChannelProvider,
  AuditEntry,
  AuditFilters,
  CountsPayload,
  EmailContent,
  EmailPreview,
  EventName,
  TagName,
  FlowCounts,
  InvitationPreview,
  Journey,
  JourneyGraph,
  JourneySummary,
  JourneyTemplate,
  LocatedError,
  Member,
  MessageDetail,
  MessagePage,
  NewApiKey,
  NodeCustomersPage,
  OutboxMail,
  KeyScope,
  PendingInvitation,
  Role,
  SessionInfo,
} from "./types";
import type { Manifest } from "../nodes/manifest";

export class ApiError extends Error {
  /** From the answer's Retry-After (capped at 2 s): how long to wait before repeating the call. */
  retryAfterMs = 1000;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** 400: the payload failed schema validation; `fields` mirrors the payload's nesting. */
export class PayloadError extends ApiError {
  constructor(message: string, readonly fields: Record<string, unknown>, body: unknown) {
    super(400, "validation_error", message, body);
  }
}

export class NotFoundError extends ApiError {
  constructor(message: string, body: unknown) {
    super(404, "not_found", message, body);
  }
}

/** 409: the save was based on a stale revision (or a lifecycle action was not allowed). */
export class ConflictError extends ApiError {
  constructor(message: string, readonly currentRevision: number | null, body: unknown) {
    super(409, "conflict", message, body);
  }
}

/** 422: the journey is not publishable; `errors` are located on nodes and edges. */
export class InvalidJourneyError extends ApiError {
  constructor(message: string, readonly errors: LocatedError[], body: unknown) {
    super(422, "invalid_journey", message, body);
  }
}

type Body = Record<string, unknown>;

function toError(status: number, body: Body | null, fallback: string): ApiError {
  const message = typeof body?.message === "string" ? body.message : fallback;
  const code = typeof body?.error === "string" ? body.error : `http_${status}`;
  if (status === 400) return new PayloadError(message, (body?.fields as Record<string, unknown>) ?? {}, body);
  if (status === 404) return new NotFoundError(message, body);
  if (status === 409) {
    const rev = typeof body?.current_revision === "number" ? body.current_revision : null;
    return new ConflictError(message, rev, body);
  }
  if (status === 422) return new InvalidJourneyError(message, (body?.errors as LocatedError[]) ?? [], body);
  return new ApiError(status, code, message, body);
}

/** How long a request may take before the page shows its error state with a retry (never a spinner forever):
 * 10 s, so with a hung API every page shows its error within 15 s of opening. */
export const DEFAULT_TIMEOUT_MS = 10_000;

function timeoutMs(): number {
  // The e2e suite shortens the wait through localStorage so a hung API shows its error state quickly.
  try {
    const v = Number(localStorage.getItem("wayfinder.apiTimeoutMs"));
    if (Number.isFinite(v) && v > 0) return v;
  } catch {
    /* storage unavailable */
  }
  return DEFAULT_TIMEOUT_MS;
}

// The session's CSRF token (GET /api/session and the sign-in answer carry it); sent as X-CSRF-Token on every
// state-changing call. Kept in memory only: a script on another site can read neither it nor our storage.
let csrfToken: string | null = null;
let unauthorizedHandler: ((reason: string | null) => void) | null = null;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when an API call answers 401 (no session, or it ended): the app shows its sign-in page. */
export function onUnauthorized(handler: ((reason: string | null) => void) | null): void {
  unauthorizedHandler = handler;
}

export function requestHeaders(method: string, hasBody: boolean): Record<string, string> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (hasBody) headers["Content-Type"] = "application/json";
  if (!SAFE_METHODS.has(method) && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  return headers;
}

/** A 503 `database_busy` means the server rolled the request's transaction back (a lock was not granted in time):
 * nothing happened, so the call is made again, at most BUSY_RETRIES more times, after the server's Retry-After
 * (at most 2 s), rather than show a marketer "busy" for a click. Only calls that are safe to repeat are retried:
 * reads, PUT and DELETE (idempotent), and the POSTs that pass `retryBusy` (they only write the database). */
export const BUSY_RETRIES = 2;
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

export interface RequestOptions {
  /** Retry a 503 database_busy even though the method is not idempotent (the call writes only the database). */
  retryBusy?: boolean;
}

export async function request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const retry = options.retryBusy ?? IDEMPOTENT_METHODS.has(method);
  for (let attempt = 0; ; attempt++) {
    try {
      return await requestOnce<T>(method, path, body);
    } catch (err) {
      if (!retry || attempt >= BUSY_RETRIES || !(err instanceof ApiError) || err.code !== "database_busy") throw err;
      await new Promise((resolve) => setTimeout(resolve, err.retryAfterMs));
    }
  }
}

async function requestOnce<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs());
  try {
    response = await fetch(path, {
      method,
      signal: controller.signal,
      headers: requestHeaders(method, body !== undefined),
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    clearTimeout(timer);
    if (timedOut) throw new ApiError(0, "timeout", "The server did not answer in time");
    throw new ApiError(0, "network_error", err instanceof Error ? err.message : String(err));
  }
  let text: string;
  try {
    text = await response.text();
  } catch (err) {
    if (timedOut) throw new ApiError(0, "timeout", "The server did not answer in time");
    throw new ApiError(0, "network_error", err instanceof Error ? err.message : String(err));
  } finally {
    clearTimeout(timer);
  }
  if (response.status === 204) return undefined as T;
  let parsed: Body | null = null;
  try {
    parsed = text ? (JSON.parse(text) as Body) : null;
  } catch {
    parsed = null;
  }
  if (response.status === 401 && path !== "/api/session") {
    unauthorizedHandler?.(typeof parsed?.reason === "string" ? parsed.reason : null);
  }
  if (!response.ok) {
    const err = toError(response.status, parsed, response.statusText || `HTTP ${response.status}`);
    const retryAfter = Number(response.headers.get("Retry-After"));
    err.retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter, 2) * 1000 : 1000;
    throw err;
  }
  return parsed as T;
}

/** The audit filters as a query string (empty values left out). */
export function auditQuery(filters: AuditFilters, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams(extra);
  if (filters.member) q.set("member", String(filters.member));
  if (filters.action) q.set("action", filters.action);
  if (filters.since) q.set("since", filters.since);
  if (filters.until) q.set("until", filters.until);
  return q.toString();
}

const j = (id: number | string) => `/api/journeys/${encodeURIComponent(String(id))}`;

export const api = {
  getSession: () => request<SessionInfo>("GET", "/api/session"),
  signIn: (email: string, password: string, code?: string) =>
    request<SessionInfo>("POST", "/api/session", { email, password, ...(code ? { code } : {}) }),
  signOut: () => request<void>("DELETE", "/api/session"),
  switchWorkspace: (workspaceId: number) =>
    request<SessionInfo>("PUT", "/api/session/workspace", { workspace_id: workspaceId }),
  listJourneys: () => request<{ journeys: JourneySummary[] }>("GET", "/api/journeys"),
  createJourney: (name: string, description?: string, graph?: JourneyGraph) =>
    request<Journey>(
      "POST",
      "/api/journeys",
      { name, ...(description ? { description } : {}), ...(graph ? { graph } : {}) },
      { retryBusy: true },
    ),
  /** The journey gallery (S1–S8 playbooks) in `lang`. */
  listJourneyTemplates: (lang: string) =>
    request<JourneyTemplate[]>("GET", `/api/journey-templates?lang=${encodeURIComponent(lang)}`),
  /** A draft from a gallery template (named as the template unless `name` is given). */
  createJourneyFromTemplate: (template: string, lang: string, name?: string) =>
    request<Journey>("POST", "/api/journeys", { template, lang, ...(name ? { name } : {}) }, { retryBusy: true }),
  getJourney: (id: number | string) => request<Journey>("GET", j(id)),
  saveJourney: (id: number | string, body: { revision: number; name?: string; description?: string; graph?: JourneyGraph }) =>
    request<Journey>("PUT", j(id), body),
  deleteJourney: (id: number | string) => request<void>("DELETE", j(id)),
  validate: (id: number | string, graph?: JourneyGraph) =>
    request<{ valid: boolean; problems: LocatedError[] }>("POST", `${j(id)}/validate`, graph ? { graph } : {}, {
      retryBusy: true,
    }),
  publish: (id: number | string) => request<Journey>("POST", `${j(id)}/publish`, undefined, { retryBusy: true }),
  pause: (id: number | string) => request<Journey>("POST", `${j(id)}/pause`, undefined, { retryBusy: true }),
  resume: (id: number | string) => request<Journey>("POST", `${j(id)}/resume`, undefined, { retryBusy: true }),
  counts: (id: number | string) => request<CountsPayload>("GET", `${j(id)}/counts`),
  stepManifest: () => request<Manifest>("GET", "/api/steps/manifest"),
  emailPreview: (body: EmailContent & { customer_id?: string | null; event_name?: string | null }) =>
    request<EmailPreview>("POST", "/api/email/preview", body),
  emailTest: (body: EmailContent & { to: string; customer_id?: string | null; event_name?: string | null }) =>
    request<{ sent: boolean; to: string; subject: string }>("POST", "/api/email/test", body),
  previewCustomers: (q: string) =>
    request<{ customers: { customer_id: string; email: string | null; name: string | null }[] }>(
      "GET",
      `/api/email/preview-customers?${new URLSearchParams({ q })}`,
    ),
  eventNames: () => request<{ events: EventName[] }>("GET", "/api/events/names"),
  tags: () => request<{ tags: TagName[] }>("GET", "/api/tags"),
  flow: (id: number | string) => request<FlowCounts>("GET", `${j(id)}/flow`),
  nodeCustomers: (id: number | string, nodeId: string, q: { q?: string; page?: number; perPage?: number } = {}) =>
    request<NodeCustomersPage>(
      "GET",
      `${j(id)}/nodes/${encodeURIComponent(nodeId)}/customers?${new URLSearchParams({
        q: q.q ?? "",
        page: String(q.page ?? 1),
        per_page: String(q.perPage ?? 20),
      })}`,
    ),
  outbox: (limit = 50) => request<{ enabled: boolean; mails: OutboxMail[] }>("GET", `/api/outbox?limit=${limit}`),
  messages: (query: URLSearchParams) => request<MessagePage>("GET", `/api/messages?${query}`),
  message: (id: number) => request<MessageDetail>("GET", `/api/messages/${id}`),
  listKeys: () => request<{ keys: ApiKey[] }>("GET", "/api/keys"),
  createKey: (name: string, scopes: KeyScope[]) => request<NewApiKey>("POST", "/api/keys", { name, scopes }),
  revokeKey: (id: number) => request<void>("DELETE", `/api/keys/${id}`),
  channelProviders: () => request<{ providers: ChannelProvider[] }>("GET", "/api/channel-providers"),
  channelAccounts: () => request<{ accounts: ChannelAccount[] }>("GET", "/api/channel-accounts"),
  createChannelAccount: (body: ChannelAccountInput) => request<ChannelAccount>("POST", "/api/channel-accounts", body),
  updateChannelAccount: (id: number, body: ChannelAccountInput) =>
    request<ChannelAccount>("PATCH", `/api/channel-accounts/${id}`, body),
  deleteChannelAccount: (id: number) => request<void>("DELETE", `/api/channel-accounts/${id}`),
  members: () => request<{ members: Member[]; invitations: PendingInvitation[] }>("GET", "/api/members"),
  invite: (email: string, role: Role) =>
    request<PendingInvitation & { email_sent: boolean }>("POST", "/api/invitations", { email, role }),
  revokeInvitation: (id: number) => request<void>("DELETE", `/api/invitations/${id}`),
  changeRole: (userId: number, role: Role) => request<Member>("PATCH", `/api/members/${userId}`, { role }),
  removeMember: (userId: number) => request<void>("DELETE", `/api/members/${userId}`),
  invitationPreview: (token: string) =>
    request<InvitationPreview>("GET", `/api/invitations/accept?${new URLSearchParams({ token })}`),
  acceptInvitation: (body: { token: string; password?: string; display_name?: string; language?: string }) =>
    request<SessionInfo>("POST", "/api/invitations/accept", body),
  requestPasswordReset: (email: string) => request<{ message: string }>("POST", "/api/password-reset", { email }),
  checkResetLink: (token: string) =>
    request<{ email: string }>("GET", `/api/password-reset?${new URLSearchParams({ token })}`),
  confirmPasswordReset: (token: string, password: string) =>
    request<void>("POST", "/api/password-reset/confirm", { token, password }),
  audit: (filters: AuditFilters, page = 1, perPage = 50) =>
    request<{ entries: AuditEntry[]; total: number; page: number; per_page: number }>(
      "GET",
      `/api/audit?${auditQuery(filters, { page: String(page), per_page: String(perPage) })}`,
    ),
  totpStatus: () => request<{ enabled: boolean; recovery_codes_left: number }>("GET", "/api/account/totp"),
  totpStart: () => request<{ secret: string; otpauth_uri: string; qr_svg: string }>("POST", "/api/account/totp"),
  totpConfirm: (code: string) => request<{ recovery_codes: string[] }>("POST", "/api/account/totp/confirm", { code }),
  totpDisable: (password: string) => request<void>("DELETE", "/api/account/totp", { password }),
  demoTraffic: (customers = 20, lang?: string) =>
    request<{ events: number }>("POST", "/api/demo/traffic", { customers, ...(lang ? { lang } : {}) }),
};
