/** The customers at one step right now: searchable, paginated, with when they arrived and when they move on. */
import { useEffect, useId, useRef, useState } from "react";
import { api } from "../api/client";
import { usePermissions } from "../auth/AuthContext";
import type { NodeCustomersPage } from "../api/types";
import { Icon } from "../components/Icon";
import { relativeTime } from "../components/time";
import { useDateTimeFormat } from "../timezones/JourneyZone";
import { useI18n } from "../i18n";
import { translateApiError } from "../i18n/errors";

const PER_PAGE = 20;

export function NodeCustomersPanel({ journeyId, nodeId, stepName, onClose }: { journeyId: string; nodeId: string; stepName: string; onClose: () => void }) {
  const { t, lang } = useI18n();
  const when = useDateTimeFormat();
  // Without personal data (a viewer) the server matches ids only: the field says so.
  const searchKey = usePermissions().can("personal.read") ? "customers.search" : "customers.searchById";
  const titleId = useId();
  const [query, setQuery] = useState("");
  const [debounced, setDebounced] = useState("");
  const [page, setPage] = useState(1);
  const [data, setData] = useState<NodeCustomersPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const search = useRef<HTMLInputElement>(null);

  useEffect(() => search.current?.focus(), []);
  useEffect(() => {
    const timer = window.setTimeout(() => {
      setDebounced(query.trim());
      setPage(1);
    }, 250);
    return () => window.clearTimeout(timer);
  }, [query]);
  useEffect(() => {
    let cancelled = false;
    setError(null);
    api
      .nodeCustomers(journeyId, nodeId, { q: debounced, page, perPage: PER_PAGE })
      .then((res) => !cancelled && setData(res))
      .catch((err) => !cancelled && setError(err));
    return () => {
      cancelled = true;
    };
  }, [journeyId, nodeId, debounced, page, attempt]);
  const pages = data ? Math.max(1, Math.ceil(data.total / data.per_page)) : 1;
  return (
    <aside className="customers-panel" role="dialog" aria-labelledby={titleId} data-testid="node-customers-panel" data-node-id={nodeId}>
      <header className="customers-head">
        <div className="customers-title">
          <h2 id={titleId} title={stepName}>
            {t("customers.title", { step: stepName })}
          </h2>
          {data && (
            <span className="muted" data-testid="node-customers-total" data-total={data.total}>
              {t("customers.count", { n: data.total.toLocaleString(lang) })}
            </span>
          )}
        </div>
        <button type="button" className="icon-btn" aria-label={t("common.close")} title={t("common.close")} data-testid="node-customers-close" onClick={onClose}>
          <Icon name="x" size={16} />
        </button>
      </header>
      <div className="customers-search">
        <input
          ref={search}
          type="search"
          className="input"
          value={query}
          placeholder={t(searchKey)}
          aria-label={t(searchKey)}
          data-testid="node-customers-search"
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
      {error != null && (
        <div className="banner banner-error" role="alert" data-testid="node-customers-error">
          <Icon name="alert" size={16} />
          <div className="banner-text">{translateApiError(error, t)}</div>
          <button type="button" className="btn btn-sm btn-secondary" data-testid="node-customers-retry" onClick={() => setAttempt((a) => a + 1)}>
            {t("common.retry")}
          </button>
        </div>
      )}
      {data && data.customers.length === 0 && (
        <p className="customers-empty" data-testid="node-customers-empty">
          {debounced ? t("customers.emptySearch", { q: debounced }) : t("customers.empty")}
        </p>
      )}
      {data && data.customers.length > 0 && (
        <ul className="customers-list" data-testid="node-customers-list">
          {data.customers.map((c) => (
            <li key={c.customer_id} className="customer-row" data-testid={`node-customer-${c.customer_id}`}>
              <div className="customer-who">
                <span className="customer-name" title={c.name ?? c.customer_id}>
                  {c.name ?? c.customer_id}
                </span>
                <span className="customer-sub" title={c.email ?? c.customer_id}>
                  {c.email ?? c.customer_id}
                </span>
              </div>
              <dl className="customer-times">
                <div>
                  <dt>{t("customers.col.arrived")}</dt>
                  <dd title={when(c.arrived_at)}>{relativeTime(c.arrived_at, t)}</dd>
                </div>
                <div>
                  <dt>{t("customers.col.movesOn")}</dt>
                  <dd data-testid={`node-customer-moves-${c.customer_id}`}>{c.moves_on_at ? when(c.moves_on_at) : t("customers.movesOnEvent")}</dd>
                </div>
              </dl>
            </li>
          ))}
        </ul>
      )}
      {data && pages > 1 && (
        <footer className="customers-pager">
          <button type="button" className="btn btn-sm btn-secondary" data-testid="node-customers-prev" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>
            {t("customers.prev")}
          </button>
          <span className="muted" data-testid="node-customers-page">
            {t("customers.page", { page, pages })}
          </span>
          <button type="button" className="btn btn-sm btn-secondary" data-testid="node-customers-next" disabled={page >= pages} onClick={() => setPage((p) => p + 1)}>
            {t("customers.next")}
          </button>
        </footer>
      )}
    </aside>
  );
}
