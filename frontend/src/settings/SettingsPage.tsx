/** /settings/<tab>: the workspace settings area (members, audit log, …), one tab per registry entry. */
import { Suspense } from "react";
import { Navigate, NavLink, useParams } from "react-router-dom";
import { useAuth } from "../auth/AuthContext";
import { EmptyState } from "../components/EmptyState";
import { Icon } from "../components/Icon";
import { useT } from "../i18n";
import { tabsFor } from "./registry";

export function SettingsPage() {
  const t = useT();
  const { session } = useAuth();
  const { tab: current } = useParams();
  const tabs = tabsFor(session?.role);
  if (session && tabs.length === 0) {
    return (
      <main className="page" data-testid="settings-page">
        <div className="card">
          <EmptyState testId="settings-forbidden" icon="lock" title={t("wsSettings.forbidden.title")} body={t("wsSettings.forbidden.body")} />
        </div>
      </main>
    );
  }
  const active = tabs.find((tab) => tab.id === current);
  if (!active) return tabs.length ? <Navigate to={`/settings/${tabs[0].id}`} replace /> : null;
  const Page = active.page;
  return (
    <main className="page settings-page" data-testid="settings-page">
      <div className="page-head">
        <div>
          <h1>{t("wsSettings.title")}</h1>
          <p className="page-sub">{t("wsSettings.subtitle", { workspace: session?.workspace?.name ?? "" })}</p>
        </div>
      </div>
      <nav className="tabs" aria-label={t("wsSettings.title")}>
        {tabs.map((tab) => (
          <NavLink
            key={tab.id}
            to={`/settings/${tab.id}`}
            data-testid={`settings-tab-${tab.id}`}
            className={({ isActive }) => (isActive ? "active" : "")}
          >
            <Icon name={tab.icon} size={15} />
            {t(tab.label)}
          </NavLink>
        ))}
      </nav>
      <Suspense fallback={<div className="card skeleton-list" aria-busy="true"><div className="skeleton-row" /></div>}>
        <Page />
      </Suspense>
    </main>
  );
}
