/** Members tab: the workspace's members (role select, remove) and pending invitations (revoke), and the invite
 * dialog. Owner rules as the server enforces them: only an owner grants or touches the owner role, and the last
 * owner stays; controls that would break them are disabled with the reason as their title. */
import { useCallback, useEffect, useState } from "react";
import { api } from "../api/client";
import type { Member, PendingInvitation, Role } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { Icon } from "../components/Icon";
import { SectionHead } from "../components/SectionHead";
import { useToast } from "../components/Toast";
import { useBusyAction } from "../components/useBusyAction";
import { relativeTime } from "../components/time";
import { useI18n, type MessageKey } from "../i18n";
import { accountError, ROLES } from "./accountErrors";
import { InviteDialog } from "./InviteDialog";
import { SettingsTable } from "./SettingsTable";


type Pending = { kind: "remove"; member: Member } | { kind: "revoke"; invitation: PendingInvitation } | null;

export function MembersTab() {
  const { t, lang } = useI18n();
  const { session } = useAuth();
  const toast = useToast();
  const [data, setData] = useState<{ members: Member[]; invitations: PendingInvitation[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [inviting, setInviting] = useState(false);
  const [confirm, setConfirm] = useState<Pending>(null);
  const { busy, run } = useBusyAction();

  const load = useCallback(async () => {
    try {
      setData(await api.members());
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const isOwner = session?.role === "owner";
  const owners = data?.members.filter((m) => m.role === "owner").length ?? 0;
  const lockedReason = (m: Member): string | null => {
    if (m.role === "owner" && !isOwner) return t("members.ownerOnly");
    if (m.role === "owner" && owners <= 1) return t("members.lastOwner");
    return null;
  };

  const changeRole = async (m: Member, role: Role) => {
    try {
      await api.changeRole(m.user_id, role);
      toast("success", t("members.roleChanged", { name: m.display_name, role: t(`role.${role}` as MessageKey) }));
    } catch (err) {
      toast("error", accountError(err, t));
    }
    await load();
  };

  const runConfirm = async () => {
    if (!confirm) return;
    await run(
      async () => {
        if (confirm.kind === "remove") {
          await api.removeMember(confirm.member.user_id);
          toast("success", t("members.removed", { name: confirm.member.display_name }));
        } else {
          await api.revokeInvitation(confirm.invitation.id);
          toast("success", t("members.revoked", { email: confirm.invitation.email }));
        }
      },
      { onError: (err) => toast("error", accountError(err, t)) },
    );
    // Done or failed, the dialog closes and the list is read again.
    setConfirm(null);
    await load();
  };

  return (
    <section data-testid="members-tab" aria-labelledby="members-heading">
      <SectionHead id="members-heading" title={t("members.title")} subtitle={t("members.subtitle")}>
        <button type="button" className="btn btn-primary" data-testid="invite-open" onClick={() => setInviting(true)}>
          <Icon name="plus" size={15} />
          {t("members.invite")}
        </button>
      </SectionHead>
      {error != null && (
        <div className="banner banner-error" role="alert" data-testid="members-error">
          <Icon name="alert" size={16} />
          <div className="banner-text">{accountError(error, t)}</div>
          <div className="banner-actions">
            <button type="button" className="btn btn-sm btn-secondary" data-testid="members-retry" onClick={() => void load()}>
              {t("common.retry")}
            </button>
          </div>
        </div>
      )}
      {!data ? (
        <div className="card skeleton-list" aria-busy="true">
          <div className="skeleton-row" />
        </div>
      ) : (
        <>
          <SettingsTable
            testId="members-table"
            columns={[t("members.col.member"), t("members.col.role"), t("members.col.lastSignIn")]}
            actions={t("members.col.actions")}
            actionsClassName="actions-col"
          >
            {data.members.map((m) => {
              const locked = lockedReason(m);
              const you = m.user_id === session?.user.id;
              return (
                <tr key={m.user_id} data-testid={`member-row-${m.email}`}>
                  <td>
                    <div className="row-title plain">
                      {m.display_name}
                      {you && <span className="you-tag">{t("members.you")}</span>}
                    </div>
                    <div className="row-sub">{m.email}</div>
                  </td>
                  <td className="role-cell">
                    <select
                      value={m.role}
                      aria-label={t("members.roleOf", { name: m.display_name })}
                      data-testid={`member-role-${m.email}`}
                      disabled={locked != null}
                      title={locked ?? undefined}
                      onChange={(e) => void changeRole(m, e.target.value as Role)}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r} disabled={r === "owner" && !isOwner}>
                          {t(`role.${r}` as MessageKey)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="muted">{m.last_login_at ? relativeTime(m.last_login_at, t) : t("common.never")}</td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="btn btn-sm btn-danger-ghost"
                      data-testid={`member-remove-${m.email}`}
                      aria-label={t("members.removeOf", { name: m.display_name })}
                      disabled={locked != null}
                      title={locked ?? t("members.removeOf", { name: m.display_name })}
                      onClick={() => setConfirm({ kind: "remove", member: m })}
                    >
                      <Icon name="trash" size={14} />
                      {t("members.remove")}
                    </button>
                  </td>
                </tr>
              );
            })}
          </SettingsTable>
          <h3 className="subsection-title" id="invitations-heading">
            {t("members.pending")}
            <span className="tab-count">{data.invitations.length}</span>
          </h3>
          <SettingsTable
            testId="invitations-table"
            labelledBy="invitations-heading"
            columns={[t("members.col.email"), t("members.col.role"), t("members.col.invitedBy"), t("members.col.expires")]}
            actions={t("members.col.actions")}
            actionsClassName="actions-col"
            empty={
              data.invitations.length === 0 ? (
                <p className="muted table-empty" data-testid="invitations-empty">
                  {t("members.pendingEmpty")}
                </p>
              ) : undefined
            }
          >
            {data.invitations.map((i) => (
              <tr key={i.id} data-testid={`invitation-row-${i.email}`}>
                <td className="row-title plain">{i.email}</td>
                <td>
                  <span className="pill">{t(`role.${i.role}` as MessageKey)}</span>
                </td>
                <td className="muted">{i.invited_by ?? "—"}</td>
                <td className="muted">{new Date(i.expires_at).toLocaleDateString(lang)}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="btn btn-sm btn-ghost"
                    data-testid={`invitation-revoke-${i.email}`}
                    aria-label={t("members.revokeOf", { email: i.email })}
                    disabled={i.role === "owner" && !isOwner}
                    title={i.role === "owner" && !isOwner ? t("members.ownerOnly") : undefined}
                    onClick={() => setConfirm({ kind: "revoke", invitation: i })}
                  >
                    {t("members.revoke")}
                  </button>
                </td>
              </tr>
            ))}
          </SettingsTable>
        </>
      )}
      {inviting && (
        <InviteDialog
          canInviteOwner={isOwner}
          onClose={() => setInviting(false)}
          onInvited={(email, sent) => {
            setInviting(false);
            toast(sent ? "success" : "error", sent ? t("invite.sent", { email }) : t("invite.notSent", { email }));
            void load();
          }}
        />
      )}
      {confirm && (
        <ConfirmDialog
          title={confirm.kind === "remove" ? t("members.removeTitle", { name: confirm.member.display_name }) : t("members.revokeTitle")}
          confirmLabel={confirm.kind === "remove" ? t("members.remove") : t("members.revoke")}
          icon={confirm.kind === "remove" ? "trash" : "x"}
          danger
          busy={busy}
          onConfirm={() => void runConfirm()}
          onCancel={() => setConfirm(null)}
        >
          <p>
            {confirm.kind === "remove"
              ? t("members.removeBody", { email: confirm.member.email })
              : t("members.revokeBody", { email: confirm.invitation.email })}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
