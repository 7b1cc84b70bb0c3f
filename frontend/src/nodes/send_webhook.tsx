/** Webhook call: POST or PUT a JSON document (a template whose values are JSON-escaped) to a URL, with up to ten
 * headers of the marketer's (an API key); Content-Type, Host and the webhook-* signature headers are Wayfinder's. */
import type { MessageKey } from "../i18n";
import { Icon } from "../components/Icon";
import { ChoiceField, TextAreaField, TextField, UnreachableNote } from "./fields";
import { enumAt, rangeAt } from "./manifest";
import { RowButtons, rowErrors } from "./messageFields";
import { str, type FormProps, type Settings, type StepModule } from "./types";

export interface Header {
  name: string;
  value: string;
}

export function asHeaders(v: unknown): Header[] {
  return Array.isArray(v) ? v.map((h) => ({ name: str(h?.name), value: str(h?.value) })) : [];
}

/** The host a URL points at, or null when it is not a full http(s) link. */
export function webhookHost(url: string): string | null {
  try {
    const u = new URL(url.trim());
    return (u.protocol === "https:" || u.protocol === "http:") && u.hostname ? u.host : null;
  } catch {
    return null;
  }
}

function Headers({ settings, onChange, t, fieldErrors, schema }: FormProps) {
  const headers = asHeaders(settings.headers);
  const { max = 10 } = rangeAt(schema, "headers");
  const set = (next: Header[]) => onChange({ ...settings, headers: next });
  const update = (i: number, patch: Partial<Header>) => set(headers.map((h, j) => (j === i ? { ...h, ...patch } : h)));
  return (
    <fieldset className={`field branches-editor webhook-headers${fieldErrors.headers ? " has-error" : ""}`} data-testid="setting-headers">
      <legend>{t("field.headers")}</legend>
      <p className="field-hint">{t("webhook.headersHint")}</p>
      {headers.map((h, i) => {
        const errors = rowErrors(fieldErrors, "headers", i);
        const row = t("webhook.header", { n: i + 1 });
        return (
          <div key={i} className="webhook-header-row" role="group" aria-label={row} data-testid={`header-${i}`}>
            <div className="branch-row webhook-header">
              <input
                type="text"
                data-testid={`header-${i}-name`}
                aria-label={`${row}: ${t("field.name")}`}
                aria-invalid={errors.name ? true : undefined}
                placeholder={t("field.name")}
                maxLength={100}
                value={h.name}
                onChange={(e) => update(i, { name: e.target.value })}
              />
              <input
                type="text"
                data-testid={`header-${i}-value`}
                aria-label={`${row}: ${t("field.value")}`}
                aria-invalid={errors.value ? true : undefined}
                placeholder={t("field.value")}
                maxLength={1000}
                value={h.value}
                onChange={(e) => update(i, { value: e.target.value })}
              />
              <RowButtons
                i={i}
                count={headers.length}
                min={0}
                testPrefix={`header-${i}`}
                labels={{ remove: "webhook.removeHeader", min: "webhook.removeHeader" }}
                t={t}
                onRemove={() => set(headers.filter((_, j) => j !== i))}
              />
            </div>
            {(errors.name || errors.value) && <div className="field-error">{errors.name || errors.value}</div>}
          </div>
        );
      })}
      {fieldErrors.headers && <div className="field-error">{fieldErrors.headers}</div>}
      <button
        type="button"
        className="btn btn-sm btn-secondary"
        data-testid="add-header-button"
        disabled={headers.length >= max}
        title={headers.length >= max ? t("webhook.maxHeaders", { n: max }) : undefined}
        onClick={() => set([...headers, { name: "", value: "" }])}
      >
        <Icon name="plus" size={14} />
        {t("webhook.addHeader")}
      </button>
    </fieldset>
  );
}

function Form(props: FormProps) {
  const { settings, onChange, t, fieldErrors, schema } = props;
  const methods = enumAt(schema, "method");
  const method = methods.includes(str(settings.method)) ? str(settings.method) : methods[0];
  return (
    <>
      <TextField
        name="url"
        label={t("field.send_webhook.url")}
        placeholder="https://"
        value={str(settings.url)}
        error={fieldErrors.url}
        onChange={(url) => onChange({ ...settings, url })}
      />
      <ChoiceField
        name="method"
        label={t("field.method")}
        value={method}
        options={methods.map((m) => ({ value: m, label: t(`httpMethod.${m}` as MessageKey) }))}
        error={fieldErrors.method}
        onChange={(m) => onChange({ ...settings, method: m })}
      />
      <Headers {...props} />
      <TextAreaField
        name="body"
        label={t("field.send_webhook.body")}
        rows={10}
        value={str(settings.body)}
        error={fieldErrors.body}
        hint={t("webhook.bodyHint")}
        onChange={(body) => onChange({ ...settings, body })}
      />
      <UnreachableNote type="send_webhook" t={t} />
    </>
  );
}

export const sendWebhook: StepModule = {
  type: "send_webhook",
  icon: "webhook",
  color: "webhook",
  summary: (s: Settings, t) => {
    const host = webhookHost(str(s.url));
    return host ? t("summary.webhook", { method: str(s.method) || "POST", host }) : t("summary.noUrl");
  },
  Form,
};
