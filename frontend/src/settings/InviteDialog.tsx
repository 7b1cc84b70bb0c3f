/** The invite dialog: an email address and a role; the server sends the invitation email. */
import { useRef, useState, type FormEvent } from "react";
import { api, PayloadError } from "../api/client";
import type { Role } from "../api/types";
import { Modal } from "../components/Modal";
import { useBusyAction } from "../components/useBusyAction";
import { useT, type MessageKey } from "../i18n";
import { accountError, ROLES } from "./accountErrors";

export function InviteDialog(p: { canInviteOwner: boolean; onClose: () => void; onInvited: (email: string, sent: boolean) => void }) {
  const t = useT();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("marketer");
  const { busy, run } = useBusyAction();
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const { onClose } = p;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!email.trim()) return;
    // Stays busy after a success: the list closes the dialog.
    await run(
      async () => {
        setError(null);
        const created = await api.invite(email.trim(), role);
        p.onInvited(created.email, created.email_sent);
      },
      {
        onError: (err) => setError(err instanceof PayloadError && err.fields.email ? t("invite.badEmail") : accountError(err, t)),
        keepBusyOnSuccess: true,
      },
    );
  };

  return (
    <Modal testId="invite-dialog" title={t("invite.title")} closeTestId="invite-close" onClose={onClose} initialFocus={input} onSubmit={submit} noValidate>
      <div className={`field${error ? " has-error" : ""}`}>
        <label htmlFor="invite-email">{t("invite.email")}</label>
        <input
          id="invite-email"
          ref={input}
          type="email"
          data-testid="invite-email"
          value={email}
          maxLength={254}
          placeholder="name@company.com"
          autoComplete="off"
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="invite-role">{t("invite.role")}</label>
        <select id="invite-role" data-testid="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r} disabled={r === "owner" && !p.canInviteOwner}>
              {t(`role.${r}` as MessageKey)}
            </option>
          ))}
        </select>
        <div className="field-hint">{t(`invite.roleHint.${role}` as MessageKey)}</div>
        {error && (
          <div className="field-error" role="alert" data-testid="invite-error">
            {error}
          </div>
        )}
      </div>
      <footer className="modal-foot">
        <button type="button" className="btn btn-ghost" data-testid="invite-cancel" onClick={onClose}>
          {t("common.cancel")}
        </button>
        <button type="submit" className="btn btn-primary" data-testid="invite-submit" disabled={!email.trim() || busy}>
          {busy ? t("invite.sending") : t("invite.send")}
        </button>
      </footer>
    </Modal>
  );
}
