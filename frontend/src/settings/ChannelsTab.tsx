/** /settings/channels — the workspace's provider accounts: which SMS gateway, LINE channel, push project … each
 * channel sends through. Listed by channel with the provider and a default badge; added and edited in a dialog
 * with the provider's own fields (GET /api/channel-providers). Credentials are write-only: the inputs are
 * password fields, empty when editing, and an empty one keeps the stored value. */
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { api } from "../api/client";
import type { ChannelAccount, ChannelAccountInput, ChannelProvider } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { EmptyState } from "../components/EmptyState";
import { Modal } from "../components/Modal";
import { Icon } from "../components/Icon";
import { SectionHead } from "../components/SectionHead";
import { useToast } from "../components/Toast";
import { useConfirmedAction } from "../components/useConfirmedAction";
import { useBusyAction } from "../components/useBusyAction";
import { hasKey, useI18n, type MessageKey, type TFunction } from "../i18n";
import { translateApiError } from "../i18n/errors";
import { ManagedList } from "./ManagedList";
import { SettingsTable } from "./SettingsTable";

const MANAGERS = new Set(["owner", "admin"]);

/** A channel's name in the UI ("SMS", "app push"), else the channel id. */
export function channelLabel(channel: string, t: TFunction): string {
  const key = `channel.${channel}`;
  return hasKey(key) ? t(key as MessageKey) : channel;
}

/** A provider field's label ("Auth token"), else the field's name. */
export function fieldLabel(field: string, t: TFunction): string {
  const key = `channels.field.${field}`;
  return hasKey(key) ? t(key as MessageKey) : field;
}

export interface AccountForm {
  channel: string;
  provider: string;
  name: string;
  settings: Record<string, string>;
  credentials: Record<string, string>;
  isDefault: boolean;
}

export function emptyForm(provider: ChannelProvider | undefined): AccountForm {
  return {
    channel: provider?.channel ?? "",
    provider: provider?.provider ?? "",
    name: "",
    settings: {},
    credentials: {},
    isDefault: false,
  };
}

export function formOf(account: ChannelAccount): AccountForm {
  return {
    channel: account.channel,
    provider: account.provider,
    name: account.name,
    settings: { ...account.settings },
    credentials: {},
    isDefault: account.is_default,
  };
}

/** The request body: a new account sends every credential typed; an edit sends credentials only when one was
 * typed, then the typed ones over the names already set (the API replaces them whole: an untouched credential
 * cannot be re-sent, so an edit that types none keeps them all). Empty settings are left out. */
export function accountBody(form: AccountForm, provider: ChannelProvider | undefined, editing: ChannelAccount | null): ChannelAccountInput {
  const fields = provider?.settings ?? Object.keys(form.settings);
  const settings: Record<string, string> = {};
  for (const f of fields) {
    const value = (form.settings[f] ?? "").trim();
    if (value) settings[f] = value;
  }
  const typed: Record<string, string> = {};
  for (const f of provider?.credentials ?? Object.keys(form.credentials)) {
    if (form.credentials[f]) typed[f] = form.credentials[f];
  }
  const body: ChannelAccountInput = { name: form.name.trim(), settings };
  if (!editing) {
    return { ...body, channel: form.channel, provider: form.provider, credentials: typed, is_default: form.isDefault || undefined };
  }
  if (Object.keys(typed).length > 0) body.credentials = typed;
  if (form.isDefault && !editing.is_default) body.is_default = true;
  return body;
}

/** Whether saving an edit with these typed credentials drops stored ones the user did not retype. */
export function dropsCredentials(form: AccountForm, editing: ChannelAccount | null): string[] {
  if (!editing) return [];
  const typed = Object.keys(form.credentials).filter((f) => form.credentials[f]);
  if (typed.length === 0) return [];
  return editing.credential_fields.filter((f) => !typed.includes(f));
}

export function ChannelsTab() {
  const { t } = useI18n();
  const { session } = useAuth();
  const canManage = MANAGERS.has(session?.role ?? "");
  const [accounts, setAccounts] = useState<ChannelAccount[] | null>(null);
  const [providers, setProviders] = useState<ChannelProvider[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<ChannelAccount | "new" | null>(null);
  const toast = useToast();

  const load = useCallback(async () => {
    try {
      const [list, known] = await Promise.all([api.channelAccounts(), api.channelProviders()]);
      setAccounts(list.accounts);
      setProviders(known.providers);
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, []);
  useEffect(() => {
    if (canManage) void load();
  }, [load, canManage]);

  const makeDefault = async (account: ChannelAccount) => {
    try {
      await api.updateChannelAccount(account.id, { is_default: true });
      toast("success", t("channels.defaultSet", { name: account.name }));
      await load();
    } catch (err) {
      toast("error", translateApiError(err, t));
    }
  };

  const remove = useConfirmedAction(
    (account: ChannelAccount) => api.deleteChannelAccount(account.id),
    (account) => t("channels.deleted", { name: account.name }),
    load,
  );
  const deleting = remove.row;

  const noAccounts = <EmptyState testId="channels-empty" icon="bell" title={t("channels.empty.title")} body={t("channels.empty.body")} />;
  return (
    <section data-testid="channels-page" aria-labelledby="channels-heading">
      <SectionHead id="channels-heading" title={t("channels.title")} subtitle={t("channels.subtitle")}>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="channels-new"
          disabled={!canManage || providers.length === 0}
          title={canManage ? undefined : t("channels.onlyAdmins")}
          onClick={() => setEditing("new")}
        >
          <Icon name="plus" size={16} />
          {t("channels.new")}
        </button>
      </SectionHead>
      <ManagedList name="channels" canManage={canManage} error={error} onRetry={() => void load()} rows={accounts} empty={noAccounts}>
        {(rows) => <AccountList accounts={rows} onEdit={setEditing} onDelete={remove.ask} onDefault={(a) => void makeDefault(a)} />}
      </ManagedList>
      {editing && (
        <AccountDialog
          providers={providers}
          editing={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            toast("success", t("channels.saved", { name: saved.name }));
            setEditing(null);
            void load();
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          {...remove.dialog}
          icon="trash"
          danger
          title={t("channels.delete.title", { name: deleting.name })}
          confirmLabel={t("channels.delete.confirm")}
          busyLabel={t("channels.delete.busy")}
        >
          {deleting.is_default ? t("channels.delete.bodyDefault", { channel: channelLabel(deleting.channel, t) }) : t("channels.delete.body")}
        </ConfirmDialog>
      )}
    </section>
  );
}

export function AccountList({
  accounts,
  onEdit,
  onDelete,
  onDefault,
}: {
  accounts: ChannelAccount[];
  onEdit: (account: ChannelAccount) => void;
  onDelete: (account: ChannelAccount) => void;
  onDefault: (account: ChannelAccount) => void;
}) {
  const { t } = useI18n();
  const channels = [...new Set(accounts.map((a) => a.channel))];
  return (
    <SettingsTable
      testId="channels-table"
      className="channels-table"
      columns={[t("channels.col.channel"), t("channels.col.name"), t("channels.col.provider")]}
      actions={t("channels.col.actions")}
    >
      {channels.flatMap((channel) =>
        accounts
          .filter((a) => a.channel === channel)
          .map((a, i) => (
            <tr key={a.id} data-testid={`channel-account-${a.id}`} data-channel={channel}>
              <td>{i === 0 ? <strong>{channelLabel(channel, t)}</strong> : null}</td>
              <td>
                <span className="row-title plain">{a.name}</span>{" "}
                {a.is_default && (
                  <span className="badge badge-published" data-testid={`channel-default-${a.id}`}>
                    {t("channels.default")}
                  </span>
                )}
              </td>
              <td>
                <code>{a.provider}</code>
              </td>
              <td className="key-actions">
                {!a.is_default && (
                  <button
                    type="button"
                    className="btn btn-sm btn-ghost"
                    data-testid={`channel-make-default-${a.id}`}
                    aria-label={t("channels.makeDefault.aria", { name: a.name })}
                    onClick={() => onDefault(a)}
                  >
                    {t("channels.makeDefault")}
                  </button>
                )}
                <button
                  type="button"
                  className="btn btn-sm btn-secondary"
                  data-testid={`channel-edit-${a.id}`}
                  aria-label={t("channels.edit.aria", { name: a.name })}
                  onClick={() => onEdit(a)}
                >
                  {t("channels.edit")}
                </button>
                <button
                  type="button"
                  className="btn btn-sm btn-danger-ghost"
                  data-testid={`channel-delete-${a.id}`}
                  aria-label={t("channels.delete.aria", { name: a.name })}
                  onClick={() => onDelete(a)}
                >
                  <Icon name="trash" size={14} />
                </button>
              </td>
            </tr>
          )),
      )}
    </SettingsTable>
  );
}

export function AccountDialog({
  providers,
  editing,
  onClose,
  onSaved,
}: {
  providers: ChannelProvider[];
  editing: ChannelAccount | null;
  onClose: () => void;
  onSaved: (account: ChannelAccount) => void;
}) {
  const { t } = useI18n();
  const [form, setForm] = useState<AccountForm>(() => (editing ? formOf(editing) : emptyForm(providers[0])));
  const { busy, run } = useBusyAction();
  const [error, setError] = useState<string | null>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const provider = providers.find((p) => p.channel === form.channel && p.provider === form.provider);
  const channels = [...new Set(providers.map((p) => p.channel))];
  const dropped = dropsCredentials(form, editing);

  const pickChannel = (channel: string) => {
    const first = providers.find((p) => p.channel === channel);
    setForm((f) => ({ ...f, channel, provider: first?.provider ?? "", settings: {}, credentials: {} }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!form.name.trim()) return;
    await run(
      async () => {
        setError(null);
        const body = accountBody(form, provider, editing);
        onSaved(editing ? await api.updateChannelAccount(editing.id, body) : await api.createChannelAccount(body));
      },
      { onError: (err) => setError(translateApiError(err, t)) },
    );
  };

  const title = editing ? t("channels.dialog.editTitle", { name: editing.name }) : t("channels.dialog.newTitle");
  return (
    <Modal testId="channel-dialog" className="keys-modal" title={title} closeTestId="channel-dialog-close" onClose={onClose} initialFocus={nameInput} onSubmit={submit}>
      <div className="field">
        <label htmlFor="channel-channel">{t("channels.dialog.channel")}</label>
        <select id="channel-channel" data-testid="channel-channel" value={form.channel} disabled={editing != null} onChange={(e) => pickChannel(e.target.value)}>
          {channels.map((c) => (
            <option key={c} value={c}>
              {channelLabel(c, t)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="channel-provider">{t("channels.dialog.provider")}</label>
        <select
          id="channel-provider"
          data-testid="channel-provider"
          value={form.provider}
          disabled={editing != null}
          onChange={(e) => setForm((f) => ({ ...f, provider: e.target.value, settings: {}, credentials: {} }))}
        >
          {providers
            .filter((p) => p.channel === form.channel)
            .map((p) => (
              <option key={p.provider} value={p.provider}>
                {p.provider}
              </option>
            ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="channel-name">{t("channels.dialog.name")}</label>
        <input
          id="channel-name"
          ref={nameInput}
          data-testid="channel-name"
          value={form.name}
          maxLength={120}
          onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))}
        />
      </div>
      {(provider?.credentials ?? []).map((field) => {
        const isSet = editing?.credential_fields.includes(field) ?? false;
        return (
          <div className="field" key={`c-${field}`}>
            <label htmlFor={`channel-credential-${field}`}>{fieldLabel(field, t)}</label>
            <input
              id={`channel-credential-${field}`}
              data-testid={`channel-credential-${field}`}
              type="password"
              autoComplete="new-password"
              value={form.credentials[field] ?? ""}
              placeholder={isSet ? t("channels.dialog.keepSecret") : ""}
              onChange={(e) => setForm((f) => ({ ...f, credentials: { ...f.credentials, [field]: e.target.value } }))}
            />
          </div>
        );
      })}
      {(provider?.settings ?? []).map((field) => (
        <div className="field" key={`s-${field}`}>
          <label htmlFor={`channel-setting-${field}`}>{fieldLabel(field, t)}</label>
          <input
            id={`channel-setting-${field}`}
            data-testid={`channel-setting-${field}`}
            value={form.settings[field] ?? ""}
            maxLength={2000}
            onChange={(e) => setForm((f) => ({ ...f, settings: { ...f.settings, [field]: e.target.value } }))}
          />
        </div>
      ))}
      {provider && provider.credentials.length === 0 && provider.settings.length === 0 && (
        <p className="muted" data-testid="channel-no-fields">
          {t("channels.dialog.noFields")}
        </p>
      )}
      {dropped.length > 0 && (
        <div className="banner banner-warning" role="note" data-testid="channel-drops-credentials">
          <Icon name="alert" size={16} />
          <div className="banner-text">{t("channels.dialog.replaceAll", { fields: dropped.map((f) => fieldLabel(f, t)).join(", ") })}</div>
        </div>
      )}
      <label className="key-scope-option">
        <input
          type="checkbox"
          data-testid="channel-default"
          checked={form.isDefault}
          disabled={editing?.is_default ?? false}
          onChange={(e) => setForm((f) => ({ ...f, isDefault: e.target.checked }))}
        />
        <span>{t("channels.dialog.default")}</span>
      </label>
      {error && (
        <div className="field-error" role="alert" data-testid="channel-dialog-error">
          {error}
        </div>
      )}
      <footer className="modal-foot">
        <button type="button" className="btn btn-ghost" data-testid="channel-dialog-cancel" onClick={onClose}>
          {t("common.cancel")}
        </button>
        <button type="submit" className="btn btn-primary" data-testid="channel-dialog-save" disabled={!form.name.trim() || !provider || busy}>
          {busy ? t("channels.dialog.saving") : t("channels.dialog.save")}
        </button>
      </footer>
    </Modal>
  );
}
