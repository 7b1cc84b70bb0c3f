/** App shell: top navigation and client-side routes. */
import { lazy, Suspense } from "react";
import { createBrowserRouter, Link, NavLink, Route, RouterProvider, Routes, useLocation } from "react-router-dom";
import { ACCOUNT_PATHS, AcceptInvitationPage, ForgotPasswordPage, ResetPasswordPage } from "./auth/AccountPages";
import { AuthProvider, useAuth } from "./auth/AuthContext";
import { BrandMark, LoginPage } from "./auth/LoginPage";
import { UserMenu } from "./auth/UserMenu";
import { Icon } from "./components/Icon";
import { LanguageSwitcher } from "./components/LanguageSwitcher";
import { ToastProvider } from "./components/Toast";
import { I18nProvider, useT } from "./i18n";
import { JourneysPage } from "./pages/JourneysPage";

// The editor (React Flow, dagre, Socket.IO) and the outbox load on first visit, keeping the list page light.
const EditorPage = lazy(() => import("./editor/EditorPage").then((m) => ({ default: m.EditorPage })));
const OutboxPage = lazy(() => import("./pages/OutboxPage").then((m) => ({ default: m.OutboxPage })));
const SecurityPage = lazy(() => import("./auth/SecurityPage").then((m) => ({ default: m.SecurityPage })));
const SettingsPage = lazy(() => import("./settings/SettingsPage").then((m) => ({ default: m.SettingsPage })));

function TopNav() {
  const t = useT();
  const { pathname } = useLocation();
  return (
    <header className="topnav">
      <Link to="/" className="brand" data-testid="brand" aria-label={t("app.name")}>
        <span className="brand-mark" aria-hidden="true">
          <BrandMark />
        </span>
        <span className="brand-name">{t("app.name")}</span>
      </Link>
      <nav aria-label={t("nav.main")} className="nav-links">
        <NavLink to="/" end data-testid="nav-journeys" className={({ isActive }) => (isActive ? "active" : "")}>
          <Icon name="route" size={16} />
          {t("nav.journeys")}
        </NavLink>
        <NavLink
          to="/messages"
          data-testid="nav-outbox"
          className={({ isActive }) => (isActive || pathname.startsWith("/outbox") ? "active" : "")}
        >
          <Icon name="inbox" size={16} />
          {t("nav.messages")}
        </NavLink>
      </nav>
      {/* Always in the top bar: the editor toolbar has no room to spare at 1280 wide. */}
      <div className="topnav-right">
        <LanguageSwitcher />
        <UserMenu />
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
  const { status, workspaceGeneration } = useAuth();
  const { pathname } = useLocation();
  // Pages reached from emails (and "Forgot password?") work signed in or not.
  if (ACCOUNT_PATHS.includes(pathname)) {
    return (
      <Routes>
        <Route path="/accept-invitation" element={<AcceptInvitationPage />} />
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/reset-password" element={<ResetPasswordPage />} />
      </Routes>
    );
  }
  // Without a session the sign-in page takes the place of the app at the same URL, so signing in returns the
  // user where they were. While the session loads the app renders at once (pages show their own loading).
  if (status === "signedOut") return <LoginPage />;
  // Switching workspaces remounts every page, so nothing of the previous workspace stays shown (the session
  // arriving does not: pages that were waiting on a hung API keep their state and their Retry buttons).
  return <SignedInShell key={workspaceGeneration} />;
}

function SignedInShell() {
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
          <Route path="/messages" element={<OutboxPage />} />
          <Route path="/outbox" element={<OutboxPage />} />
          <Route path="/account" element={<SecurityPage />} />
          <Route path="/settings" element={<SettingsPage />} />
          <Route path="/settings/:tab" element={<SettingsPage />} />
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
      <AuthProvider>
        <ToastProvider>
          <RouterProvider router={router} future={{ v7_startTransition: true }} />
        </ToastProvider>
      </AuthProvider>
    </I18nProvider>
  );
}
