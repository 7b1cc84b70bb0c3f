/** The sign-in page: shown instead of the app when there is no session; the URL stays, so signing in returns
 * the user to the page they were on. */
import { useState, type FormEvent, type InputHTMLAttributes, type ReactNode } from "react";
import { Link } from "react-router-dom";
import { ApiError, PayloadError } from "../api/client";
import { LanguageSwitcher } from "../components/LanguageSwitcher";
import { useBusyAction } from "../components/useBusyAction";
import { useT } from "../i18n";
import { useAuth } from "./AuthContext";

export function BrandMark({ size = 26 }: { size?: number }) {
  return (
    <svg viewBox="0 0 32 32" width={size} height={size} aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="currentColor" />
      <path d="M9 22c3-8 11-4 14-12" stroke="#fff" strokeWidth="3" fill="none" strokeLinecap="round" />
      <circle cx="9" cy="22" r="2.5" fill="#fff" />
      <circle cx="23" cy="10" r="2.5" fill="#fff" />
    </svg>
  );
}

/** The head of the sign-in card and of the account pages' cards: the brand, the title (`titleId`, for the card's
 * aria-labelledby) and an optional line under it. */
export function LoginCardHead({ titleId, title, subtitle }: { titleId: string; title: string; subtitle?: ReactNode }) {
  const t = useT();
  return (
    <>
      <div className="login-brand">
        <span className="brand-mark">
          <BrandMark size={32} />
        </span>
        <span className="login-brand-name">{t("app.name")}</span>
      </div>
      <h1 id={titleId} className="login-title">
        {title}
      </h1>
      {subtitle && <p className="login-subtitle muted">{subtitle}</p>}
    </>
  );
}

/** A labelled input of the sign-in and account pages, with an optional hint under it that the input is described by. */
export function LoginField({
  label,
  testId,
  hint,
  onValue,
  ...input
}: { label: string; testId: string; hint?: { id: string; text: string }; onValue: (value: string) => void } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input className="input" data-testid={testId} aria-describedby={hint?.id} onChange={(e) => onValue(e.target.value)} {...input} />
      {hint && (
        <span className="field-hint" id={hint.id}>
          {hint.text}
        </span>
      )}
    </label>
  );
}

export function LoginPage() {
  const t = useT();
  const { signIn, endedReason } = useAuth();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { busy, run } = useBusyAction();
  const [error, setError] = useState<string | null>(null);
  // Two-step sign-in: after a right password the server asks for the authenticator app's code.
  const [needsCode, setNeedsCode] = useState(false);
  const [code, setCode] = useState("");

  async function submit(e: FormEvent) {
    e.preventDefault();
    // Stays busy after a success: the app replaces this page.
    await run(
      async () => {
        setError(null);
        await signIn(email, password, needsCode ? code.trim() : undefined);
      },
      { onError: showError, keepBusyOnSuccess: true },
    );
  }

  function showError(err: unknown) {
    const reason = err instanceof ApiError ? (err.body as { reason?: string } | null)?.reason : undefined;
    if (reason === "totp_required") {
      setNeedsCode(true);
      setError(null);
    } else if (reason === "totp_invalid") setError(t("login.error.code"));
    else if (err instanceof PayloadError) setError(t(needsCode ? "login.error.code" : "login.error.missing"));
    else if (err instanceof ApiError && err.status === 401) setError(t("login.error.invalid"));
    else if (err instanceof ApiError && err.status === 429) {
      const wait = Number((err.body as { retry_after?: number } | null)?.retry_after) || null;
      setError(wait ? t("login.error.tooManyWait", { minutes: Math.ceil(wait / 60) }) : t("login.error.tooMany"));
    } else setError(t("login.error.unavailable"));
  }

  const notice = endedReason === "expired" ? t("login.expired") : endedReason === "revoked" ? t("login.revoked") : null;
  return (
    <div className="login-page" data-testid="login-page">
      <div className="login-lang">
        <LanguageSwitcher />
      </div>
      <main className="login-main">
        <section className="login-intro" aria-hidden="true">
          <div className="login-flow">
            <span className="login-step login-step-trigger">{t("login.art.trigger")}</span>
            <span className="login-link" />
            <span className="login-step login-step-wait">{t("login.art.wait")}</span>
            <span className="login-link" />
            <span className="login-step login-step-send">{t("login.art.send")}</span>
          </div>
          <p className="login-pitch">{t("login.pitch")}</p>
        </section>
        <form className="login-card" onSubmit={submit} aria-labelledby="login-title" noValidate>
          <LoginCardHead titleId="login-title" title={t("login.title")} subtitle={t("login.subtitle")} />
          {notice && (
            <p className="login-notice" role="status" data-testid="login-notice">
              {notice}
            </p>
          )}
          <LoginField label={t("login.email")} testId="login-email" type="email" name="email" autoComplete="username" value={email} onValue={setEmail} required autoFocus />
          <LoginField label={t("login.password")} testId="login-password" type="password" name="password" autoComplete="current-password" value={password} onValue={setPassword} required />
          {needsCode && (
            <LoginField label={t("login.code")} testId="login-code" hint={{ id: "login-code-hint", text: t("login.codeHint") }}
              type="text" inputMode="numeric" name="code" autoComplete="one-time-code" value={code} maxLength={32} onValue={setCode} autoFocus />
          )}
          <div className="login-forgot">
            <Link to="/forgot-password" data-testid="login-forgot">
              {t("login.forgot")}
            </Link>
          </div>
          {error && (
            <p className="login-error" role="alert" data-testid="login-error">
              {error}
            </p>
          )}
          <button type="submit" className="btn btn-primary login-submit" data-testid="login-submit" disabled={busy}>
            {busy ? t("login.signingIn") : t("login.submit")}
          </button>
          <p className="login-help muted">{t("login.help")}</p>
        </form>
      </main>
    </div>
  );
}
