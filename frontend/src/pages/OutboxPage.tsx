/** /messages (and /outbox): the message log of every channel, and — for owners and admins in development — the
 * mail the dev SMTP catcher caught. The catcher stays as a second tab: the log shows what a journey rendered,
 * the catcher what actually went over SMTP (headers, the sender the server used) and the mail that is not a
 * journey's (sign-in codes, invitations, test sends), which the log never holds. /outbox opens on it, as before. */
import { useAuth } from "../auth/AuthContext";
import { can } from "../auth/permissions";
import { useCallback, useRef, useState } from "react";
import { useLocation } from "react-router-dom";
import { api } from "../api/client";
import type { OutboxMail } from "../api/types";
import { EmptyState } from "../components/EmptyState";
import { LoadError } from "../components/LoadError";
import { Icon } from "../components/Icon";
import { relativeTime } from "../components/time";
import { REFRESH_S, usePolling } from "../components/usePolling";
import { useDateTimeFormat } from "../timezones/JourneyZone";
import { useI18n } from "../i18n";
import { MessageLog } from "./MessageLog";
import { escapeHtml } from "./messageLog";

type Tab = "mail" | "messages";

const loadOutbox = () => api.outbox(100);

export function OutboxPage() {
  const { t } = useI18n();
  // The caught mail is a development tool (owners and admins, development mode); the log is for everyone.
  // Until the session is known (it may hang with the rest of the API) both tabs show: the server decides anyway.
  const { session } = useAuth();
  const canCatch = !session || can(session, "devtools.use");
  const tabs: Tab[] = canCatch ? ["messages", "mail"] : ["messages"];
  const { pathname } = useLocation();
  const [picked, setTab] = useState<Tab | null>(null);
  const tab: Tab = canCatch ? (picked ?? (pathname.startsWith("/outbox") ? "mail" : "messages")) : "messages";
  const outbox = usePolling(loadOutbox, tab === "mail");
  const refreshLog = useRef<() => void>(() => {});
  const onRefreshReady = useCallback((refresh: () => void) => {
    refreshLog.current = refresh;
  }, []);

  return (
    <main className={`page page-wide${tab === "messages" ? " page-log" : ""}`} data-testid="outbox-page">
      <div className="page-head">
        <div>
          <h1>{t("log.title")}</h1>
          <p className="page-sub">{t("log.subtitle")}</p>
        </div>
        <div className="row-gap">
          <span className="live-hint">
            <span className="pulse" aria-hidden="true" />
            {t("outbox.autoRefresh", { n: REFRESH_S })}
          </span>
          <button
            type="button"
            className="btn btn-secondary"
            data-testid="outbox-refresh"
            onClick={() => (tab === "mail" ? void outbox.refresh() : refreshLog.current())}
          >
            <Icon name="refresh" size={15} />
            {t("common.refresh")}
          </button>
        </div>
      </div>
      {tabs.length > 1 && (
        <div className="tabs" role="tablist" aria-label={t("log.title")}>
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
              {t(k === "mail" ? "outbox.tab.mail" : "log.tab.log")}
            </button>
          ))}
        </div>
      )}
      {tab === "mail" ? (
        <>
          {outbox.error != null && <LoadError error={outbox.error} testId="outbox" onRetry={() => void outbox.refresh()} />}
          <MailTab data={outbox.data} />
        </>
      ) : (
        <MessageLog onRefreshReady={onRefreshReady} />
      )}
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

