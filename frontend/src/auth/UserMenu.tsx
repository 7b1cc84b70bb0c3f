/** The app shell's user menu: who is signed in, the current workspace (a switcher when there are several), and
 * sign-out. A disclosure button with a menu (Escape and a click outside close it). */
import { useEffect, useId, useRef, useState } from "react";
import { useNavigate } from "react-router-dom";
import { tabsFor } from "../settings/registry";
import { useT, type MessageKey } from "../i18n";
import { Icon, type IconName } from "../components/Icon";
import { useBusyAction } from "../components/useBusyAction";
import { useAuth } from "./AuthContext";

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return "?";
  const first = Array.from(parts[0])[0] ?? "";
  const last = parts.length > 1 ? (Array.from(parts[parts.length - 1])[0] ?? "") : "";
  return (first + last).toUpperCase();
}

export function UserMenu() {
  const t = useT();
  const { session, signOut, switchWorkspace } = useAuth();
  const [open, setOpen] = useState(false);
  const { busy, run } = useBusyAction();
  const ref = useRef<HTMLDivElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    const onDoc = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    document.addEventListener("mousedown", onDoc);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDoc);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  if (!session) return null;
  const { user, workspace, role, memberships } = session;
  const roleLabel = role ? t(`role.${role}` as MessageKey) : "";

  return (
    <div className="user-menu" ref={ref}>
      <button
        type="button"
        className="user-menu-button"
        data-testid="user-menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        title={t("user.menu", { name: user.display_name })}
        onClick={() => setOpen((v) => !v)}
      >
        <span className="avatar" aria-hidden="true">
          {initials(user.display_name)}
        </span>
        <span className="user-menu-text">
          <span className="user-menu-name" data-testid="user-name">
            {user.display_name}
          </span>
          <span className="user-menu-workspace" data-testid="current-workspace">
            {workspace?.name ?? t("user.noWorkspace")}
          </span>
        </span>
      </button>
      {open && (
        <div className="user-menu-panel" role="menu" id={menuId} data-testid="user-menu">
          <div className="user-menu-who" role="presentation">
            <strong>{user.display_name}</strong>
            <span className="muted">{user.email}</span>
            {roleLabel && <span className="user-menu-role">{roleLabel}</span>}
          </div>
          {memberships.length > 1 && (
            <div role="group" aria-label={t("user.workspaces")} className="user-menu-group">
              <div className="user-menu-heading" aria-hidden="true">
                {t("user.workspaces")}
              </div>
              {memberships.map((m) => {
                const current = m.workspace.id === workspace?.id;
                return (
                  <button
                    key={m.workspace.id}
                    type="button"
                    role="menuitemradio"
                    aria-checked={current}
                    className="user-menu-item"
                    data-testid={`workspace-option-${m.workspace.slug}`}
                    disabled={busy}
                    onClick={async () => {
                      if (current) return setOpen(false);
                      await run(async () => {
                        await switchWorkspace(m.workspace.id);
                        setOpen(false);
                      });
                    }}
                  >
                    <span className="user-menu-check" aria-hidden="true">
                      {current && <Icon name="check" size={14} />}
                    </span>
                    <span className="user-menu-item-text">{m.workspace.name}</span>
                    <span className="muted user-menu-item-role">{t(`role.${m.role}` as MessageKey)}</span>
                  </button>
                );
              })}
            </div>
          )}
          <MenuLink testId="account-security" icon="lock" label={t("user.security")} to="/account" onGo={() => setOpen(false)} />
          {tabsFor(role).length > 0 && (
            <MenuLink testId="workspace-settings" icon="settings" label={t("user.settings")} to="/settings" onGo={() => setOpen(false)} />
          )}
          <button
            type="button"
            role="menuitem"
            className="user-menu-item user-menu-signout"
            data-testid="sign-out"
            disabled={busy}
            // Signing out ends on the sign-in page, even when the server could not be told: stay busy.
            onClick={() => void run(() => signOut().catch(() => undefined), { keepBusyOnSuccess: true })}
          >
            {t("user.signOut")}
          </button>
        </div>
      )}
    </div>
  );
}

/** A menu item that goes to one of the app's pages (and closes the menu). */
function MenuLink(p: { testId: string; icon: IconName; label: string; to: string; onGo: () => void }) {
  const navigate = useNavigate();
  return (
    <button
      type="button"
      role="menuitem"
      className="user-menu-item"
      data-testid={p.testId}
      onClick={() => {
        p.onGo();
        navigate(p.to);
      }}
    >
      <span className="user-menu-check" aria-hidden="true">
        <Icon name={p.icon} size={14} />
      </span>
      <span className="user-menu-item-text">{p.label}</span>
    </button>
  );
}
