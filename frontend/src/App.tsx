/** App shell: top navigation and client-side routes. */
import { lazy, Suspense } from "react";
import { createBrowserRouter, Link, NavLink, Route, RouterProvider, Routes, useLocation } from "react-router-dom";
import { Icon } from "./components/Icon";
import { LanguageSwitcher } from "./components/LanguageSwitcher";
import { ToastProvider } from "./components/Toast";
import { I18nProvider, useT } from "./i18n";
import { JourneysPage } from "./pages/JourneysPage";

// The editor (React Flow, dagre, Socket.IO) and the outbox load on first visit, keeping the list page light.
const EditorPage = lazy(() => import("./editor/EditorPage").then((m) => ({ default: m.EditorPage })));
const OutboxPage = lazy(() => import("./pages/OutboxPage").then((m) => ({ default: m.OutboxPage })));

function TopNav() {
  const t = useT();
  return (
    <header className="topnav">
      <Link to="/" className="brand" data-testid="brand" aria-label={t("app.name")}>
        <span className="brand-mark" aria-hidden="true">
          <svg viewBox="0 0 32 32" width="26" height="26">
            <rect width="32" height="32" rx="8" fill="currentColor" />
            <path d="M9 22c3-8 11-4 14-12" stroke="#fff" strokeWidth="3" fill="none" strokeLinecap="round" />
            <circle cx="9" cy="22" r="2.5" fill="#fff" />
            <circle cx="23" cy="10" r="2.5" fill="#fff" />
          </svg>
        </span>
        <span className="brand-name">{t("app.name")}</span>
      </Link>
      <nav aria-label={t("nav.main")} className="nav-links">
        <NavLink to="/" end data-testid="nav-journeys" className={({ isActive }) => (isActive ? "active" : "")}>
          <Icon name="route" size={16} />
          {t("nav.journeys")}
        </NavLink>
        <NavLink to="/outbox" data-testid="nav-outbox" className={({ isActive }) => (isActive ? "active" : "")}>
          <Icon name="inbox" size={16} />
          {t("nav.outbox")}
        </NavLink>
      </nav>
      {/* Always in the top bar: the editor toolbar has no room to spare at 1280 wide. */}
      <div className="topnav-right">
        <LanguageSwitcher />
      </div>
    </header>
  );
}

function NotFound() {
  const t = useT();
  return (
    <main className="page page-center" data-testid="not-found-page">
      <div className="empty-state">
        <h2>{t("common.notFound")}</h2>
        <Link to="/" className="btn btn-primary">
          {t("common.backHome")}
        </Link>
      </div>
    </main>
  );
}

function PageLoading() {
  const t = useT();
  return (
    <main className="page page-center" data-testid="page-loading" aria-busy="true">
      <p className="muted">{t("common.loading")}</p>
    </main>
  );
}

function Shell() {
  const { pathname } = useLocation();
  // The editor is a full-height workspace whose toolbar carries the language switcher.
  const inEditor = pathname.startsWith("/journeys/");
  return (
    <div className={`app${inEditor ? " app-editor" : ""}`}>
      <TopNav />
      <Suspense fallback={<PageLoading />}>
        <Routes>
          <Route path="/" element={<JourneysPage />} />
          <Route path="/journeys/:id" element={<EditorPage />} />
          <Route path="/outbox" element={<OutboxPage />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </div>
  );
}

// A data router (rather than <BrowserRouter>) so the editor can block in-app navigation and browser back
// while work is unsaved (useBlocker only works inside one).
const router = createBrowserRouter([{ path: "*", element: <Shell /> }]);

export function App() {
  return (
    <I18nProvider>
      <ToastProvider>
        <RouterProvider router={router} future={{ v7_startTransition: true }} />
      </ToastProvider>
    </I18nProvider>
  );
}
