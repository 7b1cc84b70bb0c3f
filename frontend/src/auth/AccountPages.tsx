/** The pages reached from emails and from the sign-in page, shown whether or not someone is signed in:
 * /accept-invitation?token=…, /forgot-password and /reset-password?token=…. One centered card each, in the
 * sign-in page's look. */
import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { api, ApiError, PayloadError } from "../api/client";
import type { InvitationPreview } from "../api/types";
import { LanguageSwitcher } from "../components/LanguageSwitcher";
import { useBusyAction } from "../components/useBusyAction";
import { useI18n, type MessageKey } from "../i18n";
import { accountError } from "../settings/accountErrors";
import { useAuth } from "./AuthContext";
import { LoginCardHead, LoginField } from "./LoginPage";

export const ACCOUNT_PATHS = ["/accept-invitation", "/forgot-password", "/reset-password"];

function AccountCard({ testId, title, subtitle, children }: { testId: string; title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <div className="login-page" data-testid={testId}>
      <div className="login-lang">
        <LanguageSwitcher />
      </div>
      <main className="account-main">
        <section className="login-card account-card" aria-labelledby={`${testId}-title`}>
          <LoginCardHead titleId={`${testId}-title`} title={title} subtitle={subtitle} />
          {children}
        </section>
      </main>
    </div>
  );
}

/** The password policy's refusal in the user's language (the server's message otherwise). */
function passwordError(err: unknown, t: (k: MessageKey, v?: Record<string, string | number>) => string): string {
  if (err instanceof PayloadError) {
    const messages = err.fields.password;
    const text = Array.isArray(messages) ? String(messages[0]) : "";
    if (/at least/.test(text)) return t("account.password.tooShort");
    if (/commonly used/.test(text)) return t("account.password.tooCommon");
    if (/email address/.test(text)) return t("account.password.sameAsEmail");
    if (/Choose a password/.test(text)) return t("account.password.required");
    return text || t("account.password.required");
  }
  return accountError(err, t);
}

function PasswordFields({ password, setPassword, confirm, setConfirm }: { password: string; setPassword: (v: string) => void; confirm: string; setConfirm: (v: string) => void }) {
  const { t } = useI18n();
  return (
    <>
      <LoginField label={t("account.newPassword")} testId="account-password" hint={{ id: "password-hint", text: t("account.passwordHint") }}
        type="password" autoComplete="new-password" value={password} onValue={setPassword} />
      <LoginField label={t("account.confirmPassword")} testId="account-password-confirm" type="password" autoComplete="new-password" value={confirm} onValue={setConfirm} />
    </>
  );
}

function ErrorLine({ error }: { error: string | null }) {
  return error ? (
    <p className="login-error" role="alert" data-testid="account-error">
      {error}
    </p>
  ) : null;
}

export function AcceptInvitationPage() {
  const { t, lang } = useI18n();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const navigate = useNavigate();
  const { adopt, signIn, signOut, status } = useAuth();
  const [preview, setPreview] = useState<InvitationPreview | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const { busy, run } = useBusyAction();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!token) return setLoadError(t("accountErrors.invalidLink"));
    api.invitationPreview(token).then(setPreview, (err) => setLoadError(accountError(err, t)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token, status]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!preview) return;
    if (!preview.account_exists && password !== confirm) return setError(t("account.mismatch"));
    // Which step failed decides the message: the sign-in (wrong password) or the joining.
    let signingIn = preview.account_exists && !preview.signed_in_as;
    await run(
      async () => {
        setError(null);
        if (signingIn) {
          await signIn(preview.email, password);
          signingIn = false;
        }
        const session = await api.acceptInvitation(
          preview.account_exists ? { token } : { token, password, display_name: name.trim() || undefined, language: lang },
        );
        adopt(session);
        navigate("/", { replace: true });
      },
      {
        onError: (err) =>
          setError(
            !signingIn
              ? passwordError(err, t)
              : err instanceof ApiError && err.status === 401
                ? t("login.error.invalid")
                : accountError(err, t),
          ),
        // Stays busy while the app opens.
        keepBusyOnSuccess: true,
      },
    );
  };

  if (loadError) {
    return (
      <AccountCard testId="accept-page" title={t("accept.invalidTitle")}>
        <ErrorLine error={loadError} />
        <Link to="/" className="btn btn-secondary login-submit" data-testid="account-home">
          {t("account.toSignIn")}
        </Link>
      </AccountCard>
    );
  }
  if (!preview) {
    return (
      <AccountCard testId="accept-page" title={t("accept.title")}>
        <p className="muted" aria-busy="true">
          {t("common.loading")}
        </p>
      </AccountCard>
    );
  }
  const role = t(`role.${preview.role}` as MessageKey);
  const intro = preview.invited_by
    ? t("accept.introBy", { inviter: preview.invited_by, workspace: preview.workspace, role })
    : t("accept.intro", { workspace: preview.workspace, role });
  const wrongAccount = preview.signed_in_as != null && preview.signed_in_as !== preview.email;
  return (
    <AccountCard testId="accept-page" title={t("accept.title")} subtitle={intro}>
      <form onSubmit={submit} noValidate aria-label={t("accept.title")}>
        <div className="account-email" data-testid="accept-email">
          <span className="field-label">{t("login.email")}</span>
          <strong>{preview.email}</strong>
        </div>
        {wrongAccount ? (
          <>
            <p className="login-notice" role="status">
              {t("accept.wrongAccount", { current: preview.signed_in_as ?? "", email: preview.email })}
            </p>
            <button type="button" className="btn btn-secondary login-submit" data-testid="accept-sign-out" onClick={() => void signOut()}>
              {t("user.signOut")}
            </button>
          </>
        ) : preview.account_exists && !preview.signed_in_as ? (
          <>
            <p className="login-notice" role="status">
              {t("accept.signInFirst")}
            </p>
            <LoginField label={t("login.password")} testId="accept-current-password" type="password" autoComplete="current-password" value={password} onValue={setPassword} />
            <ErrorLine error={error} />
            <button type="submit" className="btn btn-primary login-submit" data-testid="accept-sign-in" disabled={busy || !password}>
              {busy ? t("accept.joining") : t("accept.signInAndJoin")}
            </button>
            <p className="login-help">
              <Link to="/forgot-password">{t("login.forgot")}</Link>
            </p>
          </>
        ) : (
          <>
            {!preview.account_exists && (
              <>
                <LoginField label={t("accept.name")} testId="accept-name" type="text" autoComplete="name" value={name} maxLength={200} onValue={setName} />
                <PasswordFields password={password} setPassword={setPassword} confirm={confirm} setConfirm={setConfirm} />
              </>
            )}
            <ErrorLine error={error} />
            <button type="submit" className="btn btn-primary login-submit" data-testid="accept-submit" disabled={busy || (!preview.account_exists && !password)}>
              {busy ? t("accept.joining") : preview.account_exists ? t("accept.join") : t("accept.create")}
            </button>
          </>
        )}
      </form>
    </AccountCard>
  );
}

export function ForgotPasswordPage() {
  const { t } = useI18n();
  const [email, setEmail] = useState("");
  const { busy, run } = useBusyAction();
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!email.trim()) return setError(t("forgot.missing"));
    await run(
      async () => {
        setError(null);
        await api.requestPasswordReset(email.trim());
        setSent(true);
      },
      { onError: (err) => setError(err instanceof ApiError && err.status === 429 ? t("login.error.tooMany") : accountError(err, t)) },
    );
  };

  return (
    <AccountCard testId="forgot-page" title={t("forgot.title")} subtitle={sent ? undefined : t("forgot.subtitle")}>
      {sent ? (
        <>
          <p className="login-notice" role="status" data-testid="forgot-sent">
            {t("forgot.sent", { email: email.trim() })}
          </p>
          <Link to="/" className="btn btn-secondary login-submit" data-testid="account-home">
            {t("account.toSignIn")}
          </Link>
        </>
      ) : (
        <form onSubmit={submit} noValidate aria-label={t("forgot.title")}>
          <LoginField label={t("login.email")} testId="forgot-email" type="email" autoComplete="username" value={email} onValue={setEmail} autoFocus />
          <ErrorLine error={error} />
          <button type="submit" className="btn btn-primary login-submit" data-testid="forgot-submit" disabled={busy}>
            {busy ? t("forgot.sending") : t("forgot.submit")}
          </button>
          <p className="login-help">
            <Link to="/" data-testid="forgot-back">
              {t("account.backToSignIn")}
            </Link>
          </p>
        </form>
      )}
    </AccountCard>
  );
}

export function ResetPasswordPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [email, setEmail] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const { busy, run } = useBusyAction();
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!token) return setLoadError(t("accountErrors.invalidResetLink"));
    api.checkResetLink(token).then(
      (r) => setEmail(r.email),
      (err) => setLoadError(err instanceof ApiError && err.code === "invalid_link" ? t("accountErrors.invalidResetLink") : accountError(err, t)),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password !== confirm) return setError(t("account.mismatch"));
    await run(
      async () => {
        setError(null);
        await api.confirmPasswordReset(token, password);
        setDone(true);
      },
      { onError: (err) => setError(passwordError(err, t)) },
    );
  };

  if (loadError || done) {
    return (
      <AccountCard testId="reset-page" title={done ? t("reset.doneTitle") : t("reset.invalidTitle")}>
        {done ? (
          <p className="login-notice" role="status" data-testid="reset-done">
            {t("reset.done")}
          </p>
        ) : (
          <ErrorLine error={loadError} />
        )}
        <a href="/" className="btn btn-primary login-submit" data-testid="account-home">
          {t("account.toSignIn")}
        </a>
      </AccountCard>
    );
  }
  return (
    <AccountCard testId="reset-page" title={t("reset.title")} subtitle={email ? t("reset.subtitle", { email }) : t("common.loading")}>
      <form onSubmit={submit} noValidate aria-label={t("reset.title")}>
        <PasswordFields password={password} setPassword={setPassword} confirm={confirm} setConfirm={setConfirm} />
        <ErrorLine error={error} />
        <button type="submit" className="btn btn-primary login-submit" data-testid="reset-submit" disabled={busy || !password || !email}>
          {busy ? t("reset.saving") : t("reset.submit")}
        </button>
      </form>
    </AccountCard>
  );
}
