/** Audit log tab: who did what and when, filtered by member, action and dates, a page at a time, with a CSV
 * export of the same filters (the export is recorded in the log too). */
import { useCallback, useEffect, useMemo, useState } from "react";
import { api, auditQuery } from "../api/client";
import type { AuditEntry, AuditFilters, Member } from "../api/types";
import { EmptyState } from "../components/EmptyState";
import { Icon } from "../components/Icon";
import { SectionHead } from "../components/SectionHead";
import { useDateTimeFormat } from "../timezones/JourneyZone";
import { hasKey, useI18n, type MessageKey, type TFunction } from "../i18n";
import { accountError } from "./accountErrors";

/** The actions the log records (wayfinder.audit.ACTIONS), in the order the filter lists them. */
export const AUDIT_ACTIONS = [
  "session.signed_in",
  "session.sign_in_failed",
  "session.signed_out",
  "journey.published",
  "journey.paused",
  "journey.resumed",
  "journey.archived",
  "journey.deleted",
  "journey.settings_changed",
  "workspace.settings_changed",
  "member.invited",
  "invitation.revoked",
  "member.joined",
  "member.role_changed",
  "member.removed",
  "password.reset",
  "totp.enabled",
  "totp.disabled",
  "key.created",
  "key.revoked",
  "channel_account.created",
  "channel_account.updated",
  "channel_account.deleted",
  "audit.exported",
];
const PER_PAGE = 50;

export function actionLabel(action: string, t: TFunction): string {
  const key = `audit.action.${action}`;
  return hasKey(key) ? t(key as MessageKey) : action;
}

/** What an entry acted on, in words: a journey's or member's name, else the target's type and id. */
function targetText(e: AuditEntry, t: TFunction): string {
  const d = e.detail as Record<string, unknown>;
  // Sign-ins, sign-outs and password resets act on the actor's own account: the member column says who.
  if (e.action.startsWith("session.") || e.action.startsWith("totp.") || e.action === "password.reset") {
    if (e.action === "session.sign_in_failed" && d.reason === "locked") return t("audit.locked");
    if (e.action === "session.sign_in_failed" && d.reason === "totp_invalid") return t("audit.codeWrong");
    if (d.second_factor === "recovery") return t("audit.recoveryUsed");
    return "—";
  }
  const name = typeof d.name === "string" ? d.name : typeof d.email === "string" ? d.email : null;
  let text = name ?? (e.target_id ? `${e.target_type ?? ""} #${e.target_id}` : "—");
  if (e.action === "member.role_changed" && typeof d.from === "string" && typeof d.to === "string") {
    text += ` · ${t(`role.${d.from}` as MessageKey)} → ${t(`role.${d.to}` as MessageKey)}`;
  } else if ((e.action === "member.invited" || e.action === "member.joined") && typeof d.role === "string") {
    text += ` · ${t(`role.${d.role}` as MessageKey)}`;
  }
  return text;
}

/** A local calendar date (yyyy-mm-dd) as the instant it starts, plus `days`. */
function dayStart(date: string, days = 0): string | null {
  if (!date) return null;
  const [y, m, d] = date.split("-").map(Number);
  return new Date(y, m - 1, d + days).toISOString();
}

export function AuditTab() {
  const { t } = useI18n();
  const when = useDateTimeFormat();
  const [members, setMembers] = useState<Member[]>([]);
  const [member, setMember] = useState("");
  const [action, setAction] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ entries: AuditEntry[]; total: number } | null>(null);
  const [error, setError] = useState<unknown>(null);

  const filters = useMemo<AuditFilters>(
    () => ({ member: member ? Number(member) : null, action: action || null, since: dayStart(from), until: dayStart(to, 1) }),
    [member, action, from, to],
  );
  const load = useCallback(async () => {
    try {
      setData(await api.audit(filters, page, PER_PAGE));
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [filters, page]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    api.members().then((r) => setMembers(r.members), () => undefined);
  }, []);
  const reset = (set: (v: string) => void) => (v: string) => {
    set(v);
    setPage(1);
  };
  const pages = data ? Math.max(1, Math.ceil(data.total / PER_PAGE)) : 1;
  const filtered = Boolean(member || action || from || to);

  return (
    <section data-testid="audit-tab" aria-labelledby="audit-heading">
      <SectionHead id="audit-heading" title={t("audit.title")} subtitle={t("audit.subtitle")}>
        <a className="btn btn-secondary" href={`/api/audit.csv?${auditQuery(filters)}`} download data-testid="audit-export">
          <Icon name="archive" size={15} />
          {t("audit.export")}
        </a>
      </SectionHead>
      <div className="card table-card">
        <div className="table-tools audit-filters" role="search" aria-label={t("audit.filters")}>
          <label className="filter-field">
            <span>{t("audit.filter.member")}</span>
            <select value={member} data-testid="audit-filter-member" onChange={(e) => reset(setMember)(e.target.value)}>
              <option value="">{t("audit.filter.anyone")}</option>
              {members.map((m) => (
                <option key={m.user_id} value={m.user_id}>
                  {m.display_name} ({m.email})
                </option>
              ))}
            </select>
          </label>
          <label className="filter-field">
            <span>{t("audit.filter.action")}</span>
            <select value={action} data-testid="audit-filter-action" onChange={(e) => reset(setAction)(e.target.value)}>
              <option value="">{t("audit.filter.anything")}</option>
              {AUDIT_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {actionLabel(a, t)}
                </option>
              ))}
            </select>
          </label>
          <label className="filter-field filter-date">
            <span>{t("audit.filter.from")}</span>
            <input type="date" value={from} max={to || undefined} data-testid="audit-filter-from" onChange={(e) => reset(setFrom)(e.target.value)} />
          </label>
          <label className="filter-field filter-date">
            <span>{t("audit.filter.to")}</span>
            <input type="date" value={to} min={from || undefined} data-testid="audit-filter-to" onChange={(e) => reset(setTo)(e.target.value)} />
          </label>
          {filtered && (
            <button
              type="button"
              className="btn btn-sm btn-ghost filter-clear"
              data-testid="audit-filter-clear"
              onClick={() => {
                setMember("");
                setAction("");
                setFrom("");
                setTo("");
                setPage(1);
              }}
            >
              {t("audit.filter.clear")}
            </button>
          )}
        </div>
        {error != null && (
          <div className="banner banner-error" role="alert" data-testid="audit-error">
            <Icon name="alert" size={16} />
            <div className="banner-text">{accountError(error, t)}</div>
            <div className="banner-actions">
              <button type="button" className="btn btn-sm btn-secondary" data-testid="audit-retry" onClick={() => void load()}>
                {t("common.retry")}
              </button>
            </div>
          </div>
        )}
        {!data ? (
          <div className="skeleton-list" aria-busy="true">
            <div className="skeleton-row" />
          </div>
        ) : data.entries.length === 0 ? (
          <EmptyState testId="audit-empty" icon="activity" title={t("audit.empty.title")} body={t(filtered ? "audit.empty.filtered" : "audit.empty.body")} />
        ) : (
          <table className="table" data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">{t("audit.col.time")}</th>
                <th scope="col">{t("audit.col.member")}</th>
                <th scope="col">{t("audit.col.action")}</th>
                <th scope="col">{t("audit.col.target")}</th>
                <th scope="col">{t("audit.col.ip")}</th>
              </tr>
            </thead>
            <tbody>
              {data.entries.map((e) => (
                <tr key={e.id} data-testid={`audit-row-${e.id}`} data-action={e.action}>
                  <td className="muted nowrap">{when(e.created_at)}</td>
                  <td className="cell-ellipsis" title={e.actor}>{e.actor || t("audit.system")}</td>
                  <td>
                    <span className={`pill audit-pill audit-${e.action.split(".")[0]}`}>{actionLabel(e.action, t)}</span>
                  </td>
                  <td className="cell-ellipsis" title={targetText(e, t)}>{targetText(e, t)}</td>
                  <td className="mono-sm muted">{e.ip ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {data && data.total > PER_PAGE && (
          <div className="pager" data-testid="audit-pager">
            <span className="muted">{t("audit.pageOf", { page, pages, total: data.total })}</span>
            <button type="button" className="btn btn-sm btn-secondary" data-testid="audit-prev" disabled={page <= 1} onClick={() => setPage(page - 1)}>
              {t("audit.prev")}
            </button>
            <button type="button" className="btn btn-sm btn-secondary" data-testid="audit-next" disabled={page >= pages} onClick={() => setPage(page + 1)}>
              {t("audit.next")}
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
