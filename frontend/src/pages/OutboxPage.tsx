/** /outbox — mail caught by the dev SMTP catcher, and the delivery log of journey messages. */
import { useAuth } from "../auth/AuthContext";
import { can } from "../auth/permissions";
import { useCallback, useEffect, useRef, useState } from "react";
import { Link } from "react-router-dom";
import { api } from "../api/client";
import type { Message, OutboxMail } from "../api/types";
import { EmptyState } from "../components/EmptyState";
import { Icon } from "../components/Icon";
import { relativeTime } from "../components/time";
import { useDateTimeFormat } from "../timezones/JourneyZone";
import { useI18n, type MessageKey } from "../i18n";
import { translateApiError } from "../i18n/errors";

const REFRESH_S = 4;
type Tab = "mail" | "messages";

/** Loads now and every REFRESH_S while `active`. One request at a time (a slow server is not sent a pile of
 * them), and none while the last one failed: a hung or dead API is asked again by Retry, not every few seconds. */
function usePolling<T>(load: () => Promise<T>, active: boolean) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const inFlight = useRef(false);
  const failed = useRef(false);
  const refresh = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      setData(await load());
      failed.current = false;
      setError(null);
    } catch (err) {
      failed.current = true;
      setError(err);
    } finally {
      inFlight.current = false;
    }
  }, [load]);
  useEffect(() => {
    if (!active) return;
    void refresh();
    const timer = window.setInterval(() => {
      if (!failed.current) void refresh();
    }, REFRESH_S * 1000);
    return () => window.clearInterval(timer);
  }, [refresh, active]);
  return { data, error, refresh };
}

const loadOutbox = () => api.outbox(100);
const loadMessages = () => api.messages(200);

export function OutboxPage() {
  const { t } = useI18n();
  // The caught mail is a development tool (owners and admins, development mode); the delivery log is for everyone.
  // Until the session is known (it may hang with the rest of the API) both tabs show: the server decides anyway.
  const { session } = useAuth();
  const canCatch = !session || can(session, "devtools.use");
  const tabs: Tab[] = canCatch ? ["mail", "messages"] : ["messages"];
  // Pages render while the session loads: until the member picks a tab, the first one they may see.
  const [picked, setTab] = useState<Tab | null>(null);
  const tab: Tab = canCatch ? (picked ?? "mail") : "messages";
  const outbox = usePolling(loadOutbox, tab === "mail");
  const messages = usePolling(loadMessages, tab === "messages");
  const current = tab === "mail" ? outbox : messages;

  return (
    <main className="page" data-testid="outbox-page">
      <div className="page-head">
        <div>
          <h1>{t("outbox.title")}</h1>
          <p className="page-sub">{t("outbox.subtitle")}</p>
        </div>
        <div className="row-gap">
          <span className="live-hint">
            <span className="pulse" aria-hidden="true" />
            {t("outbox.autoRefresh", { n: REFRESH_S })}
          </span>
          <button type="button" className="btn btn-secondary" data-testid="outbox-refresh" onClick={() => void current.refresh()}>
            <Icon name="refresh" size={15} />
            {t("common.refresh")}
          </button>
        </div>
      </div>
      <div className="tabs" role="tablist" aria-label={t("outbox.title")}>
        {tabs.map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={tab === k}
            className={tab === k ? "active" : ""}
            data-testid={`outbox-tab-${k}`}
            onClick={() => setTab(k)}
          >
            <Icon name={k === "mail" ? "inbox" : "activity"} size={15} />
            {t(k === "mail" ? "outbox.tab.mail" : "outbox.tab.messages")}
          </button>
        ))}
      </div>
      {current.error != null && (
        <div className="banner banner-error" role="alert" data-testid="outbox-error">
          <Icon name="alert" size={16} />
          <div className="banner-text">{translateApiError(current.error, t)}</div>
          <div className="banner-actions">
            <button type="button" className="btn btn-sm btn-secondary" data-testid="outbox-retry" onClick={() => void current.refresh()}>
              <Icon name="refresh" size={14} />
              {t("common.retry")}
            </button>
          </div>
        </div>
      )}
      {tab === "mail" ? <MailTab data={outbox.data} /> : <MessagesTab messages={messages.data?.messages ?? null} />}
    </main>
  );
}

function MailTab({ data }: { data: { enabled: boolean; mails: OutboxMail[] } | null }) {
  const { t } = useI18n();
  const when = useDateTimeFormat();
  const [selectedId, setSelectedId] = useState<string | number | null>(null);
  if (!data) return <div className="card skeleton-list" aria-busy="true"><div className="skeleton-row" /></div>;
  if (!data.enabled) {
    return (
      <div className="card">
        <EmptyState testId="outbox-disabled" icon="mail" title={t("outbox.disabled.title")} body={t("outbox.disabled.body")} />
      </div>
    );
  }
  if (data.mails.length === 0) {
    return (
      <div className="card">
        <EmptyState testId="outbox-empty" icon="inbox" title={t("outbox.empty.title")} body={t("outbox.empty.body")} />
      </div>
    );
  }
  const selected = data.mails.find((m) => m.id === selectedId) ?? data.mails[0];
  const to = (m: OutboxMail) => (Array.isArray(m.to) ? m.to.join(", ") : m.to);
  return (
    <div className="mail-layout card">
      <ul className="mail-list" aria-label={t("outbox.tab.mail")}>
        {data.mails.map((m) => (
          <li key={m.id}>
            <button
              type="button"
              className={`mail-item${m.id === selected.id ? " active" : ""}`}
              data-testid={`outbox-mail-${m.id}`}
              aria-current={m.id === selected.id ? "true" : undefined}
              onClick={() => setSelectedId(m.id)}
            >
              <div className="mail-top">
                <span className="mail-to" title={to(m)}>{to(m)}</span>
                <span className="mail-time" title={when(m.date)}>{relativeTime(m.date, t)}</span>
              </div>
              <div className="mail-subject">{m.subject || t("outbox.noSubject")}</div>
              <div className="mail-from">{m.from}</div>
            </button>
          </li>
        ))}
      </ul>
      <section className="mail-preview" data-testid="outbox-preview" aria-label={t("outbox.preview")}>
        <dl className="mail-meta">
          <dt>{t("outbox.subject")}</dt>
          <dd className="mail-meta-subject">{selected.subject || t("outbox.noSubject")}</dd>
          <dt>{t("outbox.from")}</dt>
          <dd>{selected.from}</dd>
          <dt>{t("outbox.to")}</dt>
          <dd>{to(selected)}</dd>
          <dt>{t("outbox.date")}</dt>
          <dd>{when(selected.date)}</dd>
        </dl>
        <iframe
          title={t("outbox.preview")}
          data-testid="outbox-preview-frame"
          sandbox=""
          srcDoc={selected.html ?? `<pre style="font-family:system-ui;white-space:pre-wrap">${escapeHtml(selected.text ?? "")}</pre>`}
        />
      </section>
    </div>
  );
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);
}

/** Every message status the API reports (schemas.api.MessageOutSchema.status). */
const MESSAGE_STATUSES = ["pending", "sending", "sent", "failed", "unknown", "skipped"];

function MessagesTab({ messages }: { messages: Message[] | null }) {
  const { t } = useI18n();
  const when = useDateTimeFormat();
  const [query, setQuery] = useState("");
  if (!messages) return <div className="card skeleton-list" aria-busy="true"><div className="skeleton-row" /></div>;
  if (messages.length === 0) {
    return (
      <div className="card">
        <EmptyState testId="messages-empty" icon="activity" title={t("messages.empty.title")} body={t("messages.empty.body")} />
      </div>
    );
  }
  const statusLabel = (s: string) => {
    const key = `messageStatus.${s}` as MessageKey;
    return MESSAGE_STATUSES.includes(s) ? t(key) : s;
  };
  // The names come with each message (one request for the whole log).
  const journeyName = (m: Message) => (m.journey_id != null ? m.journey_name ?? t("messages.journeyN", { n: m.journey_id }) : "—");
  const stepName = (m: Message) => (m.node_id ? m.step_name || m.node_id : "");
  const q = query.trim().toLowerCase();
  const shown = q
    ? messages.filter((m) => [m.to, m.customer_id, m.subject ?? "", journeyName(m), stepName(m)].some((v) => v.toLowerCase().includes(q)))
    : messages;
  return (
    <div className="card table-card">
      <div className="table-tools">
        <input
          type="search"
          value={query}
          placeholder={t("messages.search")}
          aria-label={t("messages.search")}
          data-testid="messages-search"
          onChange={(e) => setQuery(e.target.value)}
        />
        {q && (
          <span className="muted" data-testid="messages-search-count">
            {t("messages.searchCount", { n: shown.length, total: messages.length })}
          </span>
        )}
      </div>
      <table className="table" data-testid="messages-table">
        <thead>
          <tr>
            <th scope="col">{t("messages.col.to")}</th>
            <th scope="col">{t("messages.col.subject")}</th>
            <th scope="col">{t("messages.col.journey")}</th>
            <th scope="col">{t("messages.col.status")}</th>
            <th scope="col" className="num">{t("messages.col.attempts")}</th>
            <th scope="col">{t("messages.col.error")}</th>
            <th scope="col">{t("messages.col.created")}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((m) => (
            <tr key={m.id} data-testid={`message-row-${m.id}`} data-status={m.status}>
              <td>
                <div className="row-title plain">{m.to}</div>
                <div className="row-sub">{m.customer_id}</div>
              </td>
              <td className="cell-ellipsis" title={m.subject ?? ""}>{m.subject ?? "—"}</td>
              <td className="cell-ellipsis" data-testid={`message-journey-${m.id}`}>
                {m.journey_id != null ? (
                  <>
                    <Link className="row-title link" to={`/journeys/${m.journey_id}`} title={journeyName(m)}>
                      {journeyName(m)}
                    </Link>
                    {m.node_id && (
                      <Link className="row-sub link" to={`/journeys/${m.journey_id}?step=${encodeURIComponent(m.node_id)}`} title={stepName(m)} data-testid={`message-step-${m.id}`}>
                        {stepName(m)}
                      </Link>
                    )}
                  </>
                ) : (
                  "—"
                )}
              </td>
              <td>
                <span
                  className={`pill pill-${m.status}`}
                  data-testid={`message-status-${m.id}`}
                  title={m.status === "unknown" ? t("messageStatus.unknownHint") : undefined}
                >
                  {statusLabel(m.status)}
                </span>
              </td>
              <td className="num">{m.attempts}</td>
              <td className={m.error ? "error-cell" : "muted"} title={m.error ?? ""}>{m.error ?? "—"}</td>
              <td className="muted" title={when(m.created_at)} data-testid={`message-time-${m.id}`}>{relativeTime(m.created_at, t)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
