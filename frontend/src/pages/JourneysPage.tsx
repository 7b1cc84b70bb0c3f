/** / — the list of journeys with headline numbers. */
import { useCallback, useEffect, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api } from "../api/client";
import type { JourneySummary } from "../api/types";
import { EmptyState } from "../components/EmptyState";
import { Icon, type IconName } from "../components/Icon";
import { StatusBadge } from "../components/StatusBadge";
import { formatDateTime, formatNumber, relativeTime } from "../components/time";
import { useI18n } from "../i18n";
import { translateApiError } from "../i18n/errors";
import { NewJourneyDialog } from "./NewJourneyDialog";

function Stat({ icon, label, value, testId }: { icon: IconName; label: string; value: string; testId: string }) {
  return (
    <div className="stat-card" data-testid={testId}>
      <span className="stat-icon">
        <Icon name={icon} size={18} />
      </span>
      <div>
        <div className="stat-value">{value}</div>
        <div className="stat-label">{label}</div>
      </div>
    </div>
  );
}

export function JourneysPage() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [journeys, setJourneys] = useState<JourneySummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      setJourneys((await api.listJourneys()).journeys);
    } catch (err) {
      setError(err);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const list = journeys ?? [];
  const sum = (k: "entered" | "active") => list.reduce((a, j) => a + (j[k] ?? 0), 0);
  const newButton = (testId: string) => (
    <button type="button" className="btn btn-primary" data-testid={testId} onClick={() => setCreating(true)}>
      <Icon name="plus" size={16} />
      {t("journeys.new")}
    </button>
  );

  return (
    <main className="page" data-testid="journeys-page">
      <div className="page-head">
        <div>
          <h1>{t("journeys.title")}</h1>
          <p className="page-sub">{t("journeys.subtitle")}</p>
        </div>
        {newButton("new-journey-button")}
      </div>

      {journeys && journeys.length > 0 && (
        <div className="stats">
          <Stat testId="stat-total" icon="route" label={t("journeys.stat.total")} value={formatNumber(list.length, lang)} />
          <Stat testId="stat-live" icon="activity" label={t("journeys.stat.live")} value={formatNumber(list.filter((j) => j.status === "published").length, lang)} />
          <Stat testId="stat-entered" icon="users" label={t("journeys.stat.entered")} value={formatNumber(sum("entered"), lang)} />
          <Stat testId="stat-active" icon="clock" label={t("journeys.stat.active")} value={formatNumber(sum("active"), lang)} />
        </div>
      )}

      {error != null && (
        <div className="banner banner-error" role="alert" data-testid="journeys-error">
          <Icon name="alert" size={16} />
          <div className="banner-text">
            {t("journeys.loadError")} {translateApiError(error, t)}
          </div>
          <button type="button" className="btn btn-sm btn-secondary" data-testid="journeys-retry" onClick={() => void load()}>
            {t("common.retry")}
          </button>
        </div>
      )}

      {journeys === null && error == null && (
        <div className="card skeleton-list" aria-busy="true" aria-label={t("common.loading")}>
          {[0, 1, 2].map((i) => (
            <div key={i} className="skeleton-row" />
          ))}
        </div>
      )}

      {journeys && journeys.length === 0 && (
        <div className="card">
          <EmptyState testId="journeys-empty" icon="route" title={t("journeys.empty.title")} body={t("journeys.empty.body")} action={newButton("empty-new-journey-button")} />
        </div>
      )}

      {journeys && journeys.length > 0 && (
        <div className="card table-card">
          <table className="table" data-testid="journeys-table">
            <thead>
              <tr>
                <th scope="col">{t("journeys.col.name")}</th>
                <th scope="col">{t("journeys.col.status")}</th>
                <th scope="col">{t("journeys.col.version")}</th>
                <th scope="col" className="num">{t("journeys.col.entered")}</th>
                <th scope="col" className="num">{t("journeys.col.active")}</th>
                <th scope="col">{t("journeys.col.updated")}</th>
                <th scope="col" aria-hidden="true" />
              </tr>
            </thead>
            <tbody>
              {journeys.map((j) => (
                <tr key={j.id} data-testid={`journey-row-${j.id}`} data-status={j.status} className="clickable" onClick={() => navigate(`/journeys/${j.id}`)}>
                  <td>
                    <Link to={`/journeys/${j.id}`} className="row-title" data-testid={`journey-link-${j.id}`} onClick={(e) => e.stopPropagation()}>
                      {j.name}
                    </Link>
                    <div className="row-sub">{j.description || t("journeys.noDescription")}</div>
                  </td>
                  <td>
                    <StatusBadge status={j.status} testId={`journey-status-${j.id}`} />
                  </td>
                  <td className="muted">{j.live_version != null ? t("journeys.version", { n: j.live_version }) : t("journeys.noVersion")}</td>
                  <td className="num" data-testid={`journey-entered-${j.id}`}>{formatNumber(j.entered, lang)}</td>
                  <td className="num" data-testid={`journey-active-${j.id}`}>{formatNumber(j.active, lang)}</td>
                  <td className="muted" title={formatDateTime(j.updated_at, lang)}>{relativeTime(j.updated_at, t)}</td>
                  <td className="chev" aria-hidden="true">
                    <Icon name="chevronRight" size={16} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {creating && <NewJourneyDialog onClose={() => setCreating(false)} />}
    </main>
  );
}
