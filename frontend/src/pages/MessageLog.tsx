/** The message log: every message journeys sent on every channel, filtered on the server (journey, step, channel,
 * status, customer), newest first, a page at a time; a selected message opens beside the list as the customer
 * saw it, with its timeline. The first page refreshes itself; older pages stay as loaded. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link } from "react-router-dom";
import { api } from "../api/client";
import type { JourneySummary, Message, MessageDetail } from "../api/types";
import { CHANNEL_ICONS } from "../components/channelIcons";
import { EmptyState } from "../components/EmptyState";
import { LoadError } from "../components/LoadError";
import { Icon } from "../components/Icon";
import { relativeTime } from "../components/time";
import { useBusyAction } from "../components/useBusyAction";
import { usePolling } from "../components/usePolling";
import { stepName } from "../nodes/registry";
import { useDateTimeFormat, useJourneyZone, useZoneLabel } from "../timezones/JourneyZone";
import { useI18n, type MessageKey } from "../i18n";
import { translateApiError } from "../i18n/errors";
import { MessagePreview } from "./MessagePreview";
import { CHANNELS, eventTime, eventTone, hasFilters, logQuery, mergePages, NO_FILTERS, STATUSES, timeline, type LogFilters } from "./messageLog";

/** The log's rows for the filters: the first page now and every REFRESH_S (`usePolling`: one request at a time,
 * none after a failure until Retry), older pages on request, kept across the polls. */
function useLog(filters: LogFilters) {
  const [rows, setRows] = useState<Message[] | null>(null);
  const [cursor, setCursor] = useState<number | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const { busy: loadingMore, run } = useBusyAction();
  const loadedMore = useRef(false);
  useEffect(() => {
    setRows(null);
    setCursor(null);
    loadedMore.current = false;
  }, [filters]);
  const load = useCallback(() => api.messages(logQuery(filters)), [filters]);
  const first = usePolling(load, true);
  useEffect(() => {
    const page = first.data;
    if (!page) return;
    setRows((old) => (loadedMore.current && old ? mergePages(page.messages, old) : page.messages));
    if (!loadedMore.current) setCursor(page.next_cursor);
    setMoreError(null);
  }, [first.data]);
  const more = useCallback(async () => {
    if (cursor == null) return;
    await run(
      async () => {
        const page = await api.messages(logQuery(filters, cursor));
        loadedMore.current = true;
        setRows((old) => [...(old ?? []), ...page.messages.filter((m) => !old?.some((o) => o.id === m.id))]);
        setCursor(page.next_cursor);
      },
      { onError: setMoreError },
    );
  }, [cursor, filters, run]);
  return { rows, cursor, error: moreError ?? first.error, refresh: first.refresh, more, loadingMore };
}

export function MessageLog({ onRefreshReady }: { onRefreshReady: (refresh: () => void) => void }) {
  const { t } = useI18n();
  const when = useDateTimeFormat();
  const [filters, setFilters] = useState<LogFilters>(NO_FILTERS);
  const [customerText, setCustomerText] = useState("");
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const log = useLog(filters);
  useEffect(() => onRefreshReady(() => void log.refresh()), [log.refresh, onRefreshReady]);

  // The customer box filters once typing pauses (an exact id or email: a half-typed one matches nothing).
  useEffect(() => {
    const timer = window.setTimeout(() => setFilters((f) => (f.customer === customerText ? f : { ...f, customer: customerText })), 350);
    return () => window.clearTimeout(timer);
  }, [customerText]);

  const set = (patch: Partial<LogFilters>) => setFilters((f) => ({ ...f, ...patch }));
  const clear = () => {
    setCustomerText("");
    setFilters(NO_FILTERS);
  };
  const selected = log.rows?.find((m) => m.id === selectedId) ?? null;

  return (
    <>
      <FilterBar filters={filters} customerText={customerText} onCustomer={setCustomerText} onChange={set} onClear={clear} />
      {log.error != null && <LoadError error={log.error} testId="outbox" onRetry={() => void log.refresh()} />}
      {/* Without rows (loading, empty, no match) the list takes the whole width: no empty pane beside it. */}
      <div className={`log-layout${log.rows != null && log.rows.length > 0 ? "" : " single"}`}>
        <div className="card table-card log-list">
          {log.rows == null ? (
            <div className="skeleton-list" aria-busy="true" data-testid="messages-loading">
              <div className="skeleton-row" />
              <div className="skeleton-row" />
              <div className="skeleton-row" />
            </div>
          ) : log.rows.length === 0 ? (
            hasFilters(filters) ? (
              <EmptyState
                testId="messages-no-match"
                icon="search"
                title={t("log.noMatch.title")}
                body={t("log.noMatch.body")}
                action={
                  <button type="button" className="btn btn-secondary" data-testid="messages-clear-empty" onClick={clear}>
                    {t("log.filter.clear")}
                  </button>
                }
              />
            ) : (
              <EmptyState testId="messages-empty" icon="activity" title={t("messages.empty.title")} body={t("messages.empty.body")} />
            )
          ) : (
            <LogTable rows={log.rows} selectedId={selectedId} onSelect={setSelectedId} when={when} />
          )}
          {log.rows != null && log.rows.length > 0 && (
            <div className="log-foot">
              {log.cursor != null ? (
                <button type="button" className="btn btn-secondary btn-sm" data-testid="messages-more" disabled={log.loadingMore} onClick={() => void log.more()}>
                  {log.loadingMore ? t("common.loading") : t("log.loadMore")}
                </button>
              ) : (
                <span className="muted" data-testid="messages-end">{log.rows.length === 1 ? t("log.endOne") : t("log.end", { n: log.rows.length })}</span>
              )}
            </div>
          )}
        </div>
        {selected ? (
          <DetailPane key={selected.id} row={selected} onClose={() => setSelectedId(null)} />
        ) : (
          log.rows != null &&
          log.rows.length > 0 && (
            <aside className="card log-detail log-detail-hint" data-testid="message-detail-hint">
              <EmptyState icon="messageSquare" title={t("log.select.title")} body={t("log.select.body")} />
            </aside>
          )
        )}
      </div>
    </>
  );
}

function FilterBar(props: {
  filters: LogFilters;
  customerText: string;
  onCustomer: (v: string) => void;
  onChange: (patch: Partial<LogFilters>) => void;
  onClear: () => void;
}) {
  const { t } = useI18n();
  const { filters, onChange } = props;
  const [journeys, setJourneys] = useState<JourneySummary[]>([]);
  const [steps, setSteps] = useState<{ id: string; name: string }[]>([]);
  useEffect(() => {
    api.listJourneys().then((r) => setJourneys(r.journeys), () => setJourneys([]));
  }, []);
  useEffect(() => {
    setSteps([]);
    if (!filters.journeyId) return;
    let live = true;
    api.getJourney(filters.journeyId).then(
      (j) => {
        if (!live) return;
        const nodes = (j.graph?.nodes ?? []) as { id: string; type?: string; data?: { label?: string } }[];
        setSteps(nodes.filter((n) => n.type?.startsWith("send_")).map((n) => ({ id: n.id, name: stepName(n, t) })));
      },
      () => live && setSteps([]),
    );
    return () => {
      live = false;
    };
  }, [filters.journeyId, t]);
  const any = hasFilters(filters) || props.customerText.trim() !== "";
  return (
    <div className="log-filters" role="search" aria-label={t("log.filter.label")} data-testid="messages-filters">
      <label className="log-filter">
        <span>{t("log.filter.journey")}</span>
        <select data-testid="messages-filter-journey" value={filters.journeyId} onChange={(e) => onChange({ journeyId: e.target.value, stepId: "" })}>
          <option value="">{t("log.filter.allJourneys")}</option>
          {journeys.map((j) => (
            <option key={j.id} value={String(j.id)}>
              {j.name}
            </option>
          ))}
        </select>
      </label>
      <label className="log-filter">
        <span>{t("log.filter.step")}</span>
        <select data-testid="messages-filter-step" value={filters.stepId} disabled={!filters.journeyId} onChange={(e) => onChange({ stepId: e.target.value })}>
          <option value="">{t("log.filter.allSteps")}</option>
          {steps.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label className="log-filter">
        <span>{t("log.filter.channel")}</span>
        <select data-testid="messages-filter-channel" value={filters.channel} onChange={(e) => onChange({ channel: e.target.value })}>
          <option value="">{t("log.filter.allChannels")}</option>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`log.channel.${c}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <label className="log-filter">
        <span>{t("log.filter.status")}</span>
        <select data-testid="messages-filter-status" value={filters.status} onChange={(e) => onChange({ status: e.target.value })}>
          <option value="">{t("log.filter.allStatuses")}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`messageStatus.${s}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <label className="log-filter log-filter-customer">
        <span>{t("log.filter.customer")}</span>
        <span className="log-search">
          <Icon name="search" size={14} />
          <input
            type="search"
            value={props.customerText}
            placeholder={t("log.filter.customerHint")}
            data-testid="messages-search"
            onChange={(e) => props.onCustomer(e.target.value)}
          />
        </span>
      </label>
      {any && (
        <button type="button" className="btn btn-ghost btn-sm log-clear" data-testid="messages-clear" onClick={props.onClear}>
          <Icon name="x" size={14} />
          {t("log.filter.clear")}
        </button>
      )}
    </div>
  );
}

function StatusPill({ m }: { m: Pick<Message, "id" | "status"> }) {
  const { t } = useI18n();
  const known = (STATUSES as readonly string[]).includes(m.status);
  return (
    <span className={`pill pill-${m.status}`} data-testid={`message-status-${m.id}`} title={m.status === "unknown" ? t("messageStatus.unknownHint") : undefined}>
      {known ? t(`messageStatus.${m.status}` as MessageKey) : m.status}
    </span>
  );
}

function recipientText(m: Message, t: ReturnType<typeof useI18n>["t"]): string {
  const devices = /^(\d+) devices?$/.exec(m.recipient ?? "");
  if (!devices) return m.recipient ?? m.to;
  const n = Number(devices[1]);
  return n === 1 ? t("log.device") : t("log.devices", { n });
}

function LogTable({ rows, selectedId, onSelect, when }: { rows: Message[]; selectedId: number | null; onSelect: (id: number) => void; when: (iso: string | null | undefined) => string }) {
  const { t } = useI18n();
  const journeyName = (m: Message) => (m.journey ? (m.journey.name ?? t("messages.journeyN", { n: m.journey.id })) : "—");
  return (
    <table className="table log-table" data-testid="messages-table">
      <thead>
        <tr>
          <th scope="col">{t("log.col.customer")}</th>
          <th scope="col">{t("log.col.message")}</th>
          <th scope="col">{t("messages.col.journey")}</th>
          <th scope="col">{t("messages.col.status")}</th>
          <th scope="col">{t("log.col.time")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((m) => (
          <tr
            key={m.id}
            data-testid={`message-row-${m.id}`}
            data-status={m.status}
            data-channel={m.channel}
            className={m.id === selectedId ? "selected" : undefined}
            aria-selected={m.id === selectedId}
            onClick={() => onSelect(m.id)}
          >
            <td className="cell-ellipsis">
              <div className="row-title plain" title={m.customer.name ?? m.customer.external_id}>
                {m.customer.name ?? m.customer.external_id}
              </div>
              <div className="row-sub" title={recipientText(m, t)}>{recipientText(m, t)}</div>
            </td>
            <td className="cell-ellipsis">
              <button
                type="button"
                className="log-open"
                data-testid={`message-open-${m.id}`}
                aria-label={t("log.open", { summary: m.subject || t(`log.channel.${m.channel}` as MessageKey) })}
                onClick={(e) => {
                  e.stopPropagation();
                  onSelect(m.id);
                }}
              >
                <span className={`channel-chip channel-${m.channel}`} title={t(`log.channel.${m.channel}` as MessageKey)}>
                  <Icon name={CHANNEL_ICONS[m.channel] ?? "mail"} size={13} />
                </span>
                <span className="log-summary" title={m.subject ?? ""}>{m.subject || "—"}</span>
              </button>
            </td>
            <td className="cell-ellipsis" data-testid={`message-journey-${m.id}`}>
              {m.journey ? (
                <>
                  <Link className="row-title link" to={`/journeys/${m.journey.id}`} title={journeyName(m)} onClick={(e) => e.stopPropagation()}>
                    {journeyName(m)}
                  </Link>
                  <Link
                    className="row-sub link"
                    to={`/journeys/${m.journey.id}?step=${encodeURIComponent(m.step.id)}`}
                    title={m.step.name}
                    data-testid={`message-step-${m.id}`}
                    onClick={(e) => e.stopPropagation()}
                  >
                    {m.step.label || (m.step.type ? stepName({ type: m.step.type }, t) : m.step.name)}
                  </Link>
                </>
              ) : (
                "—"
              )}
            </td>
            <td>
              <StatusPill m={m} />
              {m.last_event && m.last_event !== "sent" && m.last_event !== m.status && (
                <div className="row-sub">{t(`log.event.${m.last_event}` as MessageKey)}</div>
              )}
            </td>
            <td className="muted nowrap" title={when(m.created_at)} data-testid={`message-time-${m.id}`}>
              {relativeTime(m.created_at, t)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DetailPane({ row, onClose }: { row: Message; onClose: () => void }) {
  const { t, lang } = useI18n();
  const when = useDateTimeFormat();
  const zone = useJourneyZone();
  const zoneLabel = useZoneLabel(zone);
  const [detail, setDetail] = useState<MessageDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Reloaded when the row moves on (a status or a new event), not on every refresh of the list.
  const version = `${row.status}:${row.last_event}:${row.attempts}`;
  const load = useCallback(() => {
    setError(null);
    api.message(row.id).then(setDetail, setError);
  }, [row.id]);
  useEffect(() => load(), [load, version]);
  const entries = useMemo(() => (detail ? timeline(detail, detail.events) : []), [detail]);
  const channel = t(`log.channel.${row.channel}` as MessageKey);
  return (
    <aside className="card log-detail" data-testid="message-detail" aria-label={t("log.detail")} data-message-id={row.id}>
      <header className="log-detail-head">
        <span className={`channel-chip channel-${row.channel}`} aria-hidden="true">
          <Icon name={CHANNEL_ICONS[row.channel] ?? "mail"} size={14} />
        </span>
        <div className="log-detail-title">
          <h2 title={row.subject ?? ""}>{row.subject || channel}</h2>
          <span className="muted">
            {channel} · <StatusPill m={row} />
          </span>
        </div>
        <button type="button" className="icon-btn" data-testid="message-detail-close" aria-label={t("log.close")} onClick={onClose}>
          <Icon name="x" size={16} />
        </button>
      </header>
      {/* Scrolls when the message is long: focusable, so a keyboard can scroll it too. */}
      <div className="log-detail-body" tabIndex={0} role="group" aria-label={t("log.detail")}>
        {/* The customer's view first, so it shows without scrolling at 1280×720; the facts the list row already
         * shows (customer, journey, status) follow it, but a failed message's reason leads. */}
        {row.error && (
          <p className="log-detail-error error-text" data-testid="message-detail-error">
            <Icon name="alert" size={14} />
            <span>{row.error}</span>
          </p>
        )}
        {error != null ? (
          <div className="banner banner-error" role="alert" data-testid="message-detail-failed">
            <Icon name="alert" size={16} />
            <div className="banner-text">{translateApiError(error, t)}</div>
            <div className="banner-actions">
              <button type="button" className="btn btn-sm btn-secondary" data-testid="message-detail-retry" onClick={load}>
                {t("common.retry")}
              </button>
            </div>
          </div>
        ) : detail == null ? (
          <div className="skeleton-list" aria-busy="true">
            <div className="skeleton-row" />
            <div className="skeleton-row" />
          </div>
        ) : (
          <>
            <section className="log-section" aria-label={t("log.preview")}>
              <h3>{t("log.preview")}</h3>
              <MessagePreview message={detail} />
            </section>
            <dl className="log-facts">
              <dt>{t("log.customer")}</dt>
              <dd>
                {row.customer.name ? `${row.customer.name} · ` : ""}
                <span className="mono">{row.customer.external_id}</span>
              </dd>
              <dt>{t("outbox.to")}</dt>
              <dd className="cell-ellipsis" title={recipientText(row, t)}>{recipientText(row, t)}</dd>
              {row.journey && (
                <>
                  <dt>{t("messages.col.journey")}</dt>
                  <dd className="cell-ellipsis">
                    {row.journey.name ?? t("messages.journeyN", { n: row.journey.id })} · {row.step.label || (row.step.type ? stepName({ type: row.step.type }, t) : row.step.name)}
                  </dd>
                </>
              )}
              <dt>{t("messages.col.attempts")}</dt>
              <dd>{row.attempts}</dd>
              {detail.sent_via && (
                <>
                  <dt>{t("log.sentVia")}</dt>
                  <dd className="cell-ellipsis" data-testid="message-sent-via" title={detail.sent_via.name}>
                    {detail.sent_via.name} <span className="muted mono">· {detail.sent_via.provider}</span>
                  </dd>
                </>
              )}
              {detail.provider_id && (
                <>
                  <dt>{t("log.providerRef")}</dt>
                  <dd className="cell-ellipsis mono" data-testid="message-provider-ref" title={`${detail.provider_id}\n${t("log.providerRefHint")}`}>
                    {detail.provider_id}
                  </dd>
                </>
              )}
            </dl>
            <section className="log-section" aria-label={t("log.timeline")}>
              <h3>
                {t("log.timeline")}
                <span className="zone-note" data-testid="message-timeline-zone">
                  <Icon name="globe" size={12} />
                  {zoneLabel}
                </span>
              </h3>
              <ol className="log-timeline" data-testid="message-timeline">
                {entries.map((e, i) => (
                  <li key={i} className={`tl-${eventTone(e.kind)}`} data-kind={e.kind}>
                    <span className="tl-dot" aria-hidden="true" />
                    <div className="tl-text">
                      <strong>{t(`log.event.${e.kind}` as MessageKey)}</strong>
                      <time dateTime={e.at} title={when(e.at)}>
                        {eventTime(e.at, lang, zone)}
                      </time>
                      {e.note && <span className="tl-note">{e.note}</span>}
                    </div>
                  </li>
                ))}
              </ol>
            </section>
          </>
        )}
      </div>
    </aside>
  );
}
