/** The body of a settings list that only owners and admins manage (API keys, channel accounts): "not allowed" for
 * everyone else, then the load error with Retry, a skeleton while loading, the empty state, or the list itself. */
import type { ReactNode } from "react";
import { EmptyState } from "../components/EmptyState";
import { LoadError } from "../components/LoadError";
import { useI18n } from "../i18n";

export function ManagedList<T>(p: {
  /** Names the test ids (`keys-not-allowed`, `keys-error`, `keys-retry`) and the "not allowed" messages. */
  name: "keys" | "channels";
  canManage: boolean;
  error: unknown;
  onRetry: () => void;
  rows: T[] | null;
  /** Shown in a card when there are no rows. */
  empty: ReactNode;
  children: (rows: T[]) => ReactNode;
}) {
  const { t } = useI18n();
  if (!p.canManage) {
    return (
      <div className="card">
        <EmptyState testId={`${p.name}-not-allowed`} icon="lock" title={t(`${p.name}.notAllowed.title`)} body={t(`${p.name}.onlyAdmins`)} />
      </div>
    );
  }
  if (p.error != null) return <LoadError error={p.error} testId={p.name} onRetry={p.onRetry} />;
  if (p.rows == null) {
    return (
      <div className="card skeleton-list" aria-busy="true">
        <div className="skeleton-row" />
      </div>
    );
  }
  if (p.rows.length === 0) return <div className="card">{p.empty}</div>;
  return <>{p.children(p.rows)}</>;
}
