/** /account — the signed-in user's own security: two-step sign-in with an authenticator app (TOTP). Set up
 * (QR code, the secret as text, a first code), then ten recovery codes shown once; turning it off asks for the
 * password. */
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { api, PayloadError } from "../api/client";
import { Icon } from "../components/Icon";
import { SectionHead } from "../components/SectionHead";
import { useToast } from "../components/Toast";
import { useBusyAction } from "../components/useBusyAction";
import { useI18n } from "../i18n";
import { accountError } from "../settings/accountErrors";
import { useAuth } from "./AuthContext";

type Step = { kind: "idle" } | { kind: "setup"; secret: string; qr: string } | { kind: "codes"; codes: string[] };

export function SecurityPage() {
  const { t } = useI18n();
  const { session } = useAuth();
  const toast = useToast();
  const [status, setStatus] = useState<{ enabled: boolean; recovery_codes_left: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState<Step>({ kind: "idle" });
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const { busy, run } = useBusyAction();

  const load = useCallback(async () => {
    try {
      setStatus(await api.totpStatus());
    } catch (err) {
      setError(accountError(err, t));
    }
  }, [t]);
  useEffect(() => {
    void load();
  }, [load]);

  const start = () =>
    run(
      async () => {
        setError(null);
        const e = await api.totpStart();
        setStep({ kind: "setup", secret: e.secret, qr: e.qr_svg });
        setCode("");
      },
      { onError: (err) => setError(accountError(err, t)) },
    );
  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    await run(
      async () => {
        setError(null);
        const r = await api.totpConfirm(code.replace(/\s/g, ""));
        setStep({ kind: "codes", codes: r.recovery_codes });
        await load();
      },
      { onError: (err) => setError(err instanceof PayloadError ? t("security.codeWrong") : accountError(err, t)) },
    );
  };
  const disable = async (e: FormEvent) => {
    e.preventDefault();
    await run(
      async () => {
        setError(null);
        await api.totpDisable(password);
        setPassword("");
        toast("success", t("security.turnedOff"));
        await load();
      },
      { onError: (err) => setError(err instanceof PayloadError ? t("security.passwordWrong") : accountError(err, t)) },
    );
  };

  return (
    <main className="page security-page" data-testid="security-page">
      <div className="page-head">
        <div>
          <h1>{t("security.title")}</h1>
          <p className="page-sub">{t("security.subtitle", { email: session?.user.email ?? "" })}</p>
        </div>
      </div>
      <section className="card security-card" aria-labelledby="totp-heading">
        <SectionHead
          id="totp-heading"
          title={
            <>
              {t("security.totp")}
              {status && (
                <span className={`pill ${status.enabled ? "pill-sent" : ""} totp-state`} data-testid="totp-state">
                  {status.enabled ? t("security.on") : t("security.off")}
                </span>
              )}
            </>
          }
          subtitle={t("security.totpBody")}
        >
          {status && !status.enabled && step.kind === "idle" && (
            <button type="button" className="btn btn-primary" data-testid="totp-start" disabled={busy} onClick={() => void start()}>
              <Icon name="lock" size={15} />
              {t("security.setUp")}
            </button>
          )}
        </SectionHead>
        {error && (
          <p className="login-error" role="alert" data-testid="security-error">
            {error}
          </p>
        )}
        {step.kind === "setup" && (
          <form className="totp-setup" onSubmit={confirm} aria-label={t("security.setUp")}>
            <img className="totp-qr" src={step.qr} alt={t("security.qrAlt")} data-testid="totp-qr" width={184} height={184} />
            <div className="totp-steps">
              <ol>
                <li>{t("security.step1")}</li>
                <li>
                  {t("security.step2")}
                  <code className="totp-secret" data-testid="totp-secret">
                    {step.secret.replace(/(.{4})/g, "$1 ").trim()}
                  </code>
                </li>
                <li>{t("security.step3")}</li>
              </ol>
              <label className="field">
                <span className="field-label">{t("security.code")}</span>
                <input type="text" inputMode="numeric" autoComplete="one-time-code" maxLength={8} data-testid="totp-code" value={code} onChange={(e) => setCode(e.target.value)} />
              </label>
              <div className="row-gap">
                <button type="submit" className="btn btn-primary" data-testid="totp-confirm" disabled={busy || code.trim().length < 6}>
                  {t("security.turnOn")}
                </button>
                <button type="button" className="btn btn-ghost" data-testid="totp-cancel" onClick={() => setStep({ kind: "idle" })}>
                  {t("common.cancel")}
                </button>
              </div>
            </div>
          </form>
        )}
        {step.kind === "codes" && (
          <div className="recovery" data-testid="recovery-codes">
            <p className="login-notice" role="status">
              {t("security.codesIntro")}
            </p>
            <ul className="recovery-list">
              {step.codes.map((c) => (
                <li key={c}>
                  <code>{c}</code>
                </li>
              ))}
            </ul>
            <button type="button" className="btn btn-primary" data-testid="recovery-done" onClick={() => setStep({ kind: "idle" })}>
              {t("security.codesSaved")}
            </button>
          </div>
        )}
        {status?.enabled && step.kind === "idle" && (
          <form className="totp-off" onSubmit={disable} aria-label={t("security.turnOff")}>
            <p className="muted" data-testid="recovery-left">
              {t("security.codesLeft", { n: status.recovery_codes_left })}
            </p>
            <label className="field">
              <span className="field-label">{t("security.passwordToTurnOff")}</span>
              <input type="password" autoComplete="current-password" data-testid="totp-off-password" value={password} onChange={(e) => setPassword(e.target.value)} />
            </label>
            <button type="submit" className="btn btn-danger-ghost" data-testid="totp-off" disabled={busy || !password}>
              {t("security.turnOff")}
            </button>
          </form>
        )}
      </section>
    </main>
  );
}
