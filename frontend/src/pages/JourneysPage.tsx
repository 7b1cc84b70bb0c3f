/** / — the list of journeys with headline numbers. */
import { usePermissions } from "../auth/AuthContext";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { api } from "../api/client";
import type { JourneySummary } from "../api/types";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { EmptyState } from "../components/EmptyState";
import { Icon, type IconName } from "../components/Icon";
import { StatusBadge } from "../components/StatusBadge";
import { formatNumber, relativeTime } from "../components/time";
import { useDateTimeFormat } from "../timezones/JourneyZone";
import { useConfirmedAction } from "../components/useConfirmedAction";
import { useI18n, type TFunction } from "../i18n";
import { translateApiError } from "../i18n/errors";
import { countByFilter, filterJourneys, isJourneyFilter, JOURNEY_FILTERS, removalKind, type JourneyFilter } from "./journeyFilters";
import { NewJourneyDialog } from "./NewJourneyDialog";
import { EngineHealthBanner } from "../health/EngineHealthBanner";

const FILTER_LABEL = {
  all: "journeys.filter.all",
  published: "journeys.filter.published",
  paused: "journeys.filter.paused",
  draft: "journeys.filter.draft",
  archived: "journeys.filter.archived",
} as const;

const FILTER_EMPTY = {
  all: ["journeys.filterEmpty.all.title", "journeys.filterEmpty.all.body"],
  published: ["journeys.filterEmpty.published.title", "journeys.filterEmpty.published.body"],
  paused: ["journeys.filterEmpty.paused.title", "journeys.filterEmpty.paused.body"],
  draft: ["journeys.filterEmpty.draft.title", "journeys.filterEmpty.draft.body"],
  archived: ["journeys.filterEmpty.archived.title", "journeys.filterEmpty.archived.body"],
} as const;

const FILTER_ICON: Record<JourneyFilter, IconName> = {
  all: "route",
  published: "activity",
  paused: "pause",
  draft: "layers",
  archived: "archive",
};

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

/** The row's overflow menu: a button and a small popover positioned next to it (fixed, so the card never clips it). */
function RowMenu(p: { journey: JourneySummary; t: TFunction; onRemove: () => void; lock: string | null }) {
  const { journey, t, onRemove, lock } = p;
  const [open, setOpen] = useState(false);
  const [pos, setPos] = useState<{ top: number; right: number } | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const kind = removalKind(journey.status);

  const place = useCallback(() => {
    if (!button.current) return;
    const r = button.current.getBoundingClientRect();
    setPos({ top: r.bottom + 4, right: window.innerWidth - r.right });
  }, []);

  useLayoutEffect(() => {
    if (!open) return;
    place();
    menu.current?.querySelector<HTMLElement>("[role=menuitem]")?.focus({ preventScroll: true });
  }, [open, place]);

  useEffect(() => {
    if (!open) return;
    const close = () => setOpen(false);
    const onDown = (e: MouseEvent) => {
      const target = e.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) close();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      close();
      button.current?.focus();
    };
    document.addEventListener("mousedown", onDown);
    window.addEventListener("keydown", onKey);
    // The popover is fixed: follow the button when anything scrolls or the window resizes.
    window.addEventListener("resize", place);
    window.addEventListener("scroll", place, true);
    return () => {
      document.removeEventListener("mousedown", onDown);
      window.removeEventListener("keydown", onKey);
      window.removeEventListener("resize", place);
      window.removeEventListener("scroll", place, true);
    };
  }, [open, place]);

  if (!kind) return <span className="row-menu-spacer" aria-hidden="true" />;
  return (
    <div className="row-menu" onClick={(e) => e.stopPropagation()}>
      <button
        ref={button}
        type="button"
        className={`icon-btn row-menu-btn${open ? " is-open" : ""}`}
        data-testid={`journey-menu-${journey.id}`}
        aria-label={t("journeys.menu", { name: journey.name })}
        title={t("journeys.menuShort")}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        <Icon name="more" size={18} />
      </button>
      {open && (
        <div
          ref={menu}
          className="menu"
          role="menu"
          aria-label={t("journeys.menu", { name: journey.name })}
          style={pos ? { top: pos.top, right: pos.right } : { visibility: "hidden" }}
        >
          <button
            type="button"
            role="menuitem"
            className={`menu-item${kind === "delete" ? " is-danger" : ""}`}
            data-testid={`journey-${kind}-${journey.id}`}
            disabled={!!lock}
            title={lock ?? undefined}
            aria-description={lock ?? undefined}
            onClick={() => {
              setOpen(false);
              onRemove();
            }}
          >
            <Icon name={kind === "delete" ? "trash" : "archive"} size={15} />
            <span className="menu-text">
              <span>{t(kind === "delete" ? "journeys.delete" : "journeys.archive")}</span>
              <span className="menu-hint">{t(kind === "delete" ? "journeys.deleteHint" : "journeys.archiveHint")}</span>
            </span>
          </button>
        </div>
      )}
    </div>
  );
}

export function JourneysPage() {
  const { t, lang } = useI18n();
  const writeLock = usePermissions().reason("journeys.write");
  const when = useDateTimeFormat();
  const navigate = useNavigate();
  const [journeys, setJourneys] = useState<JourneySummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const [params, setParams] = useSearchParams();
  const filterParam = params.get("status");
  const filter: JourneyFilter = isJourneyFilter(filterParam) ? filterParam : "all";
  const setFilter = (f: JourneyFilter) => setParams(f === "all" ? {} : { status: f }, { replace: true });

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

  // Headline numbers describe the journeys in play: archived ones only show under their own tab.
  const all = journeys ?? [];
  const list = filterJourneys(all, "all");
  const counts = countByFilter(all);
  const shown = filterJourneys(all, filter);
  const sum = (k: "entered" | "active") => list.reduce((a, j) => a + (j[k] ?? 0), 0);

  // A draft is deleted, a journey that was published is archived (removalKind): the toast says which.
  const remove = useConfirmedAction(
    (j: JourneySummary) => api.deleteJourney(j.id),
    (j) => t(removalKind(j.status) === "delete" ? "journeys.deleted" : "journeys.archived", { name: j.name }),
    load,
  );
  const removing = remove.row;
  const removingKind = removing ? removalKind(removing.status) : null;
  const newButton = (testId: string) => {
    const button = (
      <button
        type="button"
        className="btn btn-primary"
        data-testid={testId}
        disabled={!!writeLock}
        aria-description={writeLock ?? undefined}
        onClick={() => setCreating(true)}
      >
        <Icon name="plus" size={16} />
        {t("journeys.new")}
      </button>
    );
    // A disabled button gets no hover: the wrapper carries the reason's tooltip (as in the editor's toolbar).
    return writeLock ? (
      <span className="tb-locked" title={writeLock}>
        {button}
      </span>
    ) : (
      button
    );
  };

  return (
    <main className="page" data-testid="journeys-page">
      <div className="page-head">
        <div>
          <h1>{t("journeys.title")}</h1>
          <p className="page-sub">{t("journeys.subtitle")}</p>
        </div>
        {newButton("new-journey-button")}
      </div>

      <EngineHealthBanner />
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
        <div className="filter-tabs" role="tablist" aria-label={t("journeys.filter.label")}>
          {JOURNEY_FILTERS.map((f) => (
            <button
              key={f}
              type="button"
              role="tab"
              id={`journeys-tab-${f}`}
              aria-selected={filter === f}
              aria-controls="journeys-tabpanel"
              tabIndex={filter === f ? 0 : -1}
              className={`filter-tab${filter === f ? " active" : ""}`}
              data-testid={`journeys-filter-${f}`}
              onClick={() => setFilter(f)}
              onKeyDown={(e) => {
                if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
                const i = JOURNEY_FILTERS.indexOf(f) + (e.key === "ArrowRight" ? 1 : -1);
                const next = JOURNEY_FILTERS[(i + JOURNEY_FILTERS.length) % JOURNEY_FILTERS.length];
                setFilter(next);
                document.getElementById(`journeys-tab-${next}`)?.focus();
              }}
            >
              {t(FILTER_LABEL[f])}
              <span className={`tab-count${counts[f] === 0 ? " is-zero" : ""}`} data-testid={`journeys-filter-count-${f}`}>
                {formatNumber(counts[f], lang)}
              </span>
            </button>
          ))}
        </div>
      )}

      {journeys && journeys.length > 0 && shown.length === 0 && (
        <div className="card" role="tabpanel" id="journeys-tabpanel" aria-labelledby={`journeys-tab-${filter}`}>
          <EmptyState
            testId="journeys-filter-empty"
            icon={FILTER_ICON[filter]}
            title={t(FILTER_EMPTY[filter][0])}
            body={t(FILTER_EMPTY[filter][1])}
            action={filter === "all" || filter === "draft" ? newButton("filter-empty-new-journey-button") : undefined}
          />
        </div>
      )}

      {journeys && shown.length > 0 && (
        <div className="card table-card" role="tabpanel" id="journeys-tabpanel" aria-labelledby={`journeys-tab-${filter}`}>
          <table className="table journeys-table" data-testid="journeys-table" data-filter={filter}>
            <thead>
              <tr>
                <th scope="col">{t("journeys.col.name")}</th>
                <th scope="col">{t("journeys.col.status")}</th>
                <th scope="col">{t("journeys.col.version")}</th>
                <th scope="col" className="num">{t("journeys.col.entered")}</th>
                <th scope="col" className="num">{t("journeys.col.active")}</th>
                <th scope="col">{t("journeys.col.updated")}</th>
                <th scope="col" className="actions-col">
                  <span className="sr-only">{t("journeys.col.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((j) => (
                <tr
                  key={j.id}
                  data-testid={`journey-row-${j.id}`}
                  data-status={j.status}
                  className={`clickable${j.status === "archived" ? " is-archived" : ""}`}
                  title={j.status === "archived" ? t("journeys.archivedRow") : undefined}
                  onClick={() => navigate(`/journeys/${j.id}`)}
                >
                  <td>
                    <Link
                      to={`/journeys/${j.id}`}
                      className="row-title row-title-ellipsis"
                      title={j.name}
                      data-testid={`journey-link-${j.id}`}
                      onClick={(e) => e.stopPropagation()}
                    >
                      {j.name}
                    </Link>
                    <div className="row-sub" title={j.description || undefined} data-testid={`journey-description-${j.id}`}>
                      {j.description || t("journeys.noDescription")}
                    </div>
                  </td>
                  <td>
                    <StatusBadge status={j.status} testId={`journey-status-${j.id}`} />
                  </td>
                  <td className="muted">{j.live_version != null
                      ? t("journeys.version", { n: j.live_version })
                      : t(j.status === "archived" ? "journeys.retired" : "journeys.noVersion")}</td>
                  <td className="num" data-testid={`journey-entered-${j.id}`}>{formatNumber(j.entered, lang)}</td>
                  <td className="num" data-testid={`journey-active-${j.id}`}>{formatNumber(j.active, lang)}</td>
                  <td className="muted" title={when(j.updated_at)}>{relativeTime(j.updated_at, t)}</td>
                  <td className="row-actions">
                    <RowMenu journey={j} t={t} onRemove={() => remove.ask(j)} lock={writeLock} />
                    <Icon name="chevronRight" size={16} className="row-chev" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {creating && <NewJourneyDialog onClose={() => setCreating(false)} />}
      {removing && removingKind && (
        <ConfirmDialog
          title={t(removingKind === "delete" ? "confirm.delete.title" : "confirm.archive.title", { name: removing.name })}
          confirmLabel={t(removingKind === "delete" ? "confirm.delete.ok" : "confirm.archive.ok")}
          busyLabel={t(removingKind === "delete" ? "confirm.delete.busy" : "confirm.archive.busy")}
          icon={removingKind === "delete" ? "trash" : "archive"}
          danger={removingKind === "delete"}
          {...remove.dialog}
        >
          {removingKind === "delete" ? (
            <p>{t("confirm.delete.body")}</p>
          ) : (
            <>
              <p>{t("confirm.archive.body")}</p>
              {removing.active > 0 && (
                <p className="confirm-note" data-testid="confirm-active">
                  <Icon name="users" size={14} />
                  {t(removing.active === 1 ? "confirm.archive.activeOne" : "confirm.archive.active", { n: formatNumber(removing.active, lang) })}
                </p>
              )}
              <p className="confirm-sub">{t("confirm.archive.after")}</p>
            </>
          )}
        </ConfirmDialog>
      )}
    </main>
  );
}
