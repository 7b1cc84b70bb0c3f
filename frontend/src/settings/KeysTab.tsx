/** /settings/keys — the workspace's API keys: list, create (the whole key shown once), revoke. */
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { api } from "../api/client";
import type { ApiKey, KeyScope, NewApiKey } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { EmptyState } from "../components/EmptyState";
import { Modal } from "../components/Modal";
import { Icon } from "../components/Icon";
import { SectionHead } from "../components/SectionHead";
import { relativeTime } from "../components/time";
import { useConfirmedAction } from "../components/useConfirmedAction";
import { useBusyAction } from "../components/useBusyAction";
import { useI18n, type MessageKey } from "../i18n";
import { translateApiError } from "../i18n/errors";
import { useDateTimeFormat } from "../timezones/JourneyZone";
import { ManagedList } from "./ManagedList";
import { SettingsTable } from "./SettingsTable";

const SCOPES: KeyScope[] = ["track", "read", "write"];
const MANAGERS = new Set(["owner", "admin"]);

export function KeysTab() {
  const { t } = useI18n();
  const { session } = useAuth();
  const canManage = MANAGERS.has(session?.role ?? "");
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);

  const load = useCallback(async () => {
    try {
      setKeys((await api.listKeys()).keys);
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, []);
  useEffect(() => {
    if (canManage) void load();
  }, [load, canManage]);

  const revoke = useConfirmedAction((key: ApiKey) => api.revokeKey(key.id), (key) => t("keys.revoked", { name: key.name }), load);
  const revoking = revoke.row;

  const newKey = (
    <button type="button" className="btn btn-primary" data-testid="keys-empty-new" onClick={() => setCreating(true)}>
      <Icon name="plus" size={16} />
      {t("keys.new")}
    </button>
  );
  const noKeys = <EmptyState testId="keys-empty" icon="lock" title={t("keys.empty.title")} body={t("keys.empty.body")} action={newKey} />;
  return (
    <section data-testid="keys-page" aria-labelledby="keys-heading">
      <SectionHead id="keys-heading" title={t("keys.title")} subtitle={t("keys.subtitle")}>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="keys-new"
          disabled={!canManage}
          title={canManage ? undefined : t("keys.onlyAdmins")}
          onClick={() => setCreating(true)}
        >
          <Icon name="plus" size={16} />
          {t("keys.new")}
        </button>
      </SectionHead>
      <ManagedList name="keys" canManage={canManage} error={error} onRetry={() => void load()} rows={keys} empty={noKeys}>
        {(rows) => <KeyTable keys={rows} onRevoke={revoke.ask} />}
      </ManagedList>
      {canManage && <UsageHint />}
      {creating && (
        <CreateKeyDialog
          onClose={() => setCreating(false)}
          onCreated={() => void load()}
        />
      )}
      {revoking && (
        <ConfirmDialog {...revoke.dialog} icon="trash" danger title={t("keys.revoke.title", { name: revoking.name })} confirmLabel={t("keys.revoke.confirm")} busyLabel={t("keys.revoke.busy")}>
          {t("keys.revoke.body", { prefix: revoking.prefix })}
        </ConfirmDialog>
      )}
    </section>
  );
}

function KeyTable({ keys, onRevoke }: { keys: ApiKey[]; onRevoke: (key: ApiKey) => void }) {
  const { t } = useI18n();
  const when = useDateTimeFormat();
  return (
    <SettingsTable
      testId="keys-table"
      className="keys-table"
      columns={[t("keys.col.name"), t("keys.col.scopes"), t("keys.col.createdBy"), t("keys.col.lastUsed")]}
      actions={t("keys.col.actions")}
    >
      {keys.map((k) => (
        <tr key={k.id} data-testid={`key-row-${k.id}`} data-revoked={k.revoked_at ? "true" : "false"} className={k.revoked_at ? "is-revoked" : ""}>
          <td>
            <div className="row-title plain">{k.name}</div>
            <code className="key-prefix" data-testid={`key-prefix-${k.id}`}>
              {k.prefix}_…
            </code>
          </td>
          <td>
            <div className="key-scopes">
              {k.scopes.map((s) => (
                <span key={s} className={`pill pill-scope-${s}`}>
                  {t(`keys.scope.${s}` as MessageKey)}
                </span>
              ))}
            </div>
          </td>
          <td>
            <div className="row-title plain">{k.created_by?.display_name ?? "—"}</div>
            <div className="key-created-at" title={when(k.created_at)}>
              {when(k.created_at)}
            </div>
          </td>
          <td title={k.last_used_at ? when(k.last_used_at) : undefined} data-testid={`key-last-used-${k.id}`}>
            {relativeTime(k.last_used_at, t)}
          </td>
          <td className="key-actions">
            {k.revoked_at ? (
              <span className="badge badge-archived" data-testid={`key-revoked-${k.id}`} title={when(k.revoked_at)}>
                {t("keys.status.revoked")}
              </span>
            ) : (
              <button
                type="button"
                className="btn btn-sm btn-danger-ghost"
                data-testid={`key-revoke-${k.id}`}
                aria-label={t("keys.revoke.aria", { name: k.name })}
                onClick={() => onRevoke(k)}
              >
                <Icon name="trash" size={14} />
                {t("keys.revoke.button")}
              </button>
            )}
          </td>
        </tr>
      ))}
    </SettingsTable>
  );
}

function UsageHint() {
  const { t } = useI18n();
  const origin = window.location.origin;
  return (
    <section className="card keys-usage" data-testid="keys-usage" aria-labelledby="keys-usage-title">
      <h2 id="keys-usage-title">{t("keys.usage.title")}</h2>
      <p className="muted">{t("keys.usage.body")}</p>
      <pre className="code-block">
        {`curl -X POST ${origin}/api/events \\
  -H "Authorization: Bearer wf_live_…" \\
  -H "Content-Type: application/json" \\
  -d '{"event_id": "order-1001", "customer_id": "amy", "name": "order_completed"}'`}
      </pre>
    </section>
  );
}

function CreateKeyDialog({ onClose, onCreated }: { onClose: () => void; onCreated: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<KeyScope[]>(["track"]);
  const { busy, run } = useBusyAction();
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<NewApiKey | null>(null);
  const [copied, setCopied] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const toggle = (scope: KeyScope) =>
    setScopes((now) => (now.includes(scope) ? now.filter((s) => s !== scope) : SCOPES.filter((s) => s === scope || now.includes(s))));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || scopes.length === 0) return;
    await run(
      async () => {
        setError(null);
        setCreated(await api.createKey(name.trim(), scopes));
        onCreated();
      },
      { onError: (err) => setError(translateApiError(err, t)) },
    );
  };

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied(true);
    } catch {
      // No clipboard permission (e.g. plain http): select the text so Ctrl+C copies it.
      const field = document.getElementById("new-key-value") as HTMLInputElement | null;
      field?.select();
    }
  };

  if (created) {
    return (
      // Once the key is shown, only "I have copied it" closes the dialog: a stray Escape must not lose the key.
      <Modal key="created" testId="key-created-dialog" className="keys-modal" title={t("keys.created.title", { name: created.name })}>
        <div className="banner banner-warning" role="note" data-testid="key-created-warning">
          <Icon name="alert" size={16} />
          <div className="banner-text">{t("keys.created.warning")}</div>
        </div>
        <div className="field">
          <label htmlFor="new-key-value">{t("keys.created.label")}</label>
          <div className="key-copy-row">
            <input id="new-key-value" data-testid="key-created-value" readOnly value={created.key} onFocus={(e) => e.currentTarget.select()} />
            <button type="button" className="btn btn-secondary" data-testid="key-copy" onClick={() => void copy()}>
              <Icon name={copied ? "check" : "copy"} size={15} />
              {copied ? t("keys.created.copied") : t("keys.created.copy")}
            </button>
          </div>
        </div>
        <footer className="modal-foot">
          <button type="button" className="btn btn-primary" data-testid="key-created-done" onClick={onClose}>
            {t("keys.created.done")}
          </button>
        </footer>
      </Modal>
    );
  }

  return (
    <Modal key="create" testId="key-create-dialog" className="keys-modal" title={t("keys.create.title")} closeTestId="key-create-close" onClose={onClose} initialFocus={input} onSubmit={submit}>
      <div className="field">
        <label htmlFor="key-name">{t("keys.create.name")}</label>
        <input
          id="key-name"
          ref={input}
          data-testid="key-name"
          value={name}
          maxLength={100}
          placeholder={t("keys.create.namePlaceholder")}
          onChange={(e) => setName(e.target.value)}
        />
        <div className="field-hint">{t("keys.create.nameHint")}</div>
      </div>
      <fieldset className="field key-scope-field">
        <legend>{t("keys.create.scopes")}</legend>
        {SCOPES.map((s) => (
          <label key={s} className="key-scope-option">
            <input type="checkbox" data-testid={`key-scope-${s}`} checked={scopes.includes(s)} onChange={() => toggle(s)} />
            <span>
              <span className="key-scope-name">{t(`keys.scope.${s}` as MessageKey)}</span>
              <span className="key-scope-help">{t(`keys.scope.${s}.help` as MessageKey)}</span>
            </span>
          </label>
        ))}
        {scopes.length === 0 && <div className="field-error">{t("keys.create.pickScope")}</div>}
      </fieldset>
      {error && (
        <div className="field-error" role="alert" data-testid="key-create-error">
          {error}
        </div>
      )}
      <footer className="modal-foot">
        <button type="button" className="btn btn-ghost" data-testid="key-create-cancel" onClick={onClose}>
          {t("common.cancel")}
        </button>
        <button type="submit" className="btn btn-primary" data-testid="key-create-submit" disabled={!name.trim() || scopes.length === 0 || busy}>
          {busy ? t("keys.create.busy") : t("keys.create.submit")}
        </button>
      </footer>
    </Modal>
  );
}
