/** Beside the email form: the message as a chosen customer (real or sample) will get it, rendered by the
 * server's sandboxed renderer, and a "send a test" through the configured email channel. */
import { useEffect, useId, useState } from "react";
import { api } from "../api/client";
import type { EmailPreview } from "../api/types";
import { Icon } from "../components/Icon";
import { useBusyAction } from "../components/useBusyAction";
import { useT } from "../i18n";
import { translateApiError } from "../i18n/errors";

interface Props {
  settings: Record<string, unknown>;
  /** The journey's trigger event, so `event.*` shows that customer's latest such event. */
  eventName: string | null;
  onClose: () => void;
}

const str = (v: unknown) => (typeof v === "string" ? v : "");

export function EmailPreviewPane({ settings, eventName, onClose }: Props) {
  const t = useT();
  const titleId = useId();
  const [customerId, setCustomerId] = useState("");
  const [query, setQuery] = useState("");
  const [options, setOptions] = useState<{ customer_id: string; email: string | null; name: string | null }[]>([]);
  const [preview, setPreview] = useState<EmailPreview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [to, setTo] = useState("");
  const { busy: sending, run } = useBusyAction();
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const content = { subject: str(settings.subject), body: str(settings.body), from_name: str(settings.from_name) };
  const contentKey = JSON.stringify(content);

  useEffect(() => {
    let cancelled = false;
    const timer = window.setTimeout(() => {
      api
        .previewCustomers(query.trim())
        .then((r) => !cancelled && setOptions(r.customers))
        .catch(() => !cancelled && setOptions([]));
    }, 200);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [query]);

  useEffect(() => {
    let cancelled = false;
    const timer = window.setTimeout(() => {
      api
        .emailPreview({ ...JSON.parse(contentKey), customer_id: customerId || null, event_name: eventName })
        .then((p) => {
          if (cancelled) return;
          setPreview(p);
          setError(null);
        })
        .catch((err) => !cancelled && setError(err));
    }, 250);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [contentKey, customerId, eventName]);

  const sendTest = async () => {
    await run(
      async () => {
        setResult(null);
        const res = await api.emailTest({ ...content, to: to.trim(), customer_id: customerId || null, event_name: eventName });
        setResult({ ok: true, text: t("preview.testSent", { to: res.to }) });
      },
      { onError: (err) => setResult({ ok: false, text: t("preview.testFailed", { message: translateApiError(err, t) }) }) },
    );
  };

  const problem = (field: "subject" | "body") =>
    preview?.errors[field] ? (
      <div className="preview-problem" role="note" data-testid={`preview-error-${field}`}>
        <Icon name="alert" size={14} />
        {t("preview.problemGeneric", { field: t(field === "subject" ? "preview.subject" : "field.body") })}
      </div>
    ) : null;

  return (
    <section className="email-preview" role="region" aria-labelledby={titleId} data-testid="email-preview">
      <header className="email-preview-head">
        <h2 id={titleId}>{t("preview.title")}</h2>
        <button type="button" className="icon-btn" aria-label={t("preview.close")} title={t("preview.close")} data-testid="email-preview-close" onClick={onClose}>
          <Icon name="x" size={16} />
        </button>
      </header>
      <div className="email-preview-body">
        <div className="preview-as">
          <label htmlFor={`${titleId}-as`}>{t("preview.as")}</label>
          <input
            type="search"
            value={query}
            placeholder={t("preview.searchCustomer")}
            aria-label={t("preview.searchCustomer")}
            data-testid="preview-customer-search"
            onChange={(e) => setQuery(e.target.value)}
          />
          <select id={`${titleId}-as`} data-testid="preview-customer" value={customerId} onChange={(e) => setCustomerId(e.target.value)}>
            <option value="">{t("preview.sample")}</option>
            {customerId && !options.some((o) => o.customer_id === customerId) && <option value={customerId}>{customerId}</option>}
            {options.map((o) => (
              <option key={o.customer_id} value={o.customer_id}>
                {o.name ? `${o.name} · ${o.email ?? o.customer_id}` : o.email ?? o.customer_id}
              </option>
            ))}
          </select>
          {preview?.sample && <p className="muted small">{t("preview.sampleNote")}</p>}
        </div>
        {error != null && (
          <div className="banner banner-error" role="alert">
            <Icon name="alert" size={16} />
            <div className="banner-text">{translateApiError(error, t)}</div>
          </div>
        )}
        {preview && (
          <div className="mail-card" data-testid="preview-card" data-customer={preview.customer.customer_id ?? ""}>
            <dl className="mail-meta">
              <div>
                <dt>{t("preview.from")}</dt>
                <dd>{preview.from_name || "Wayfinder"}</dd>
              </div>
              <div>
                <dt>{t("preview.to")}</dt>
                <dd data-testid="preview-to">{preview.customer.email ?? "—"}</dd>
              </div>
              <div>
                <dt>{t("preview.subject")}</dt>
                <dd className="mail-subject" data-testid="preview-subject">
                  {preview.subject ?? "—"}
                </dd>
              </div>
            </dl>
            {problem("subject")}
            {problem("body")}
            {preview.body !== null && (
              // Rendered HTML is shown in a sandboxed frame: no scripts, no access to the editor.
              <iframe className="mail-frame" title={t("preview.title")} sandbox="" srcDoc={preview.body} data-testid="preview-frame" />
            )}
          </div>
        )}
        <form
          className="test-send"
          onSubmit={(e) => {
            e.preventDefault();
            void sendTest();
          }}
        >
          <h3>{t("preview.testTitle")}</h3>
          <div className="test-send-row">
            <input
              type="email"
              required
              value={to}
              placeholder="name@example.com"
              aria-label={t("preview.testTo")}
              data-testid="test-send-to"
              onChange={(e) => setTo(e.target.value)}
            />
            <button type="submit" className="btn btn-secondary" data-testid="test-send-button" disabled={sending || !to.trim()}>
              <Icon name="mail" size={15} />
              {sending ? t("preview.testSending") : t("preview.testSend")}
            </button>
          </div>
          {result && (
            <p className={result.ok ? "test-ok" : "test-failed"} role="status" data-testid="test-send-result" data-ok={result.ok ? "true" : "false"}>
              {result.text}
            </p>
          )}
        </form>
      </div>
    </section>
  );
}
