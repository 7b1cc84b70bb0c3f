/** One message as the customer saw it: the mail in a sandboxed frame, an SMS bubble on a phone, LINE bubbles, a
 * notification card (app push, web push), an in-app card, or the webhook call (method, URL, body). */
import { Icon } from "../components/Icon";
import type { MessageDetail } from "../api/types";
import { useI18n } from "../i18n";
import { emailSender, emailSrcDoc, lineBubbles, notificationCard, prettyJson } from "./messageLog";

const str = (v: unknown): string => (typeof v === "string" ? v : "");

export function MessagePreview({ message }: { message: MessageDetail }) {
  const { t } = useI18n();
  const payload = message.payload;
  if (!payload) {
    const waiting = message.status === "pending" || message.status === "sending";
    return (
      <p className="log-preview-none muted" data-testid="message-preview-none">
        <Icon name="info" size={14} />
        {t(waiting ? "log.notRendered" : "log.noContent")}
      </p>
    );
  }
  switch (message.channel) {
    case "email":
      return <EmailPreview message={message} />;
    case "sms":
      return (
        <div className="phone" data-testid="message-preview-sms">
          <div className="phone-head">
            <span className="phone-avatar" aria-hidden="true">
              <Icon name="messageSquare" size={14} />
            </span>
            <span>{t("log.sms.thread")}</span>
          </div>
          <div className="phone-body">
            <div className="sms-bubble">{str(payload.text)}</div>
            <span className="phone-note">{t("log.sms.chars", { n: [...str(payload.text)].length })}</span>
          </div>
        </div>
      );
    case "line":
      return <LinePreview payload={payload} />;
    case "push":
    case "webpush":
    case "in_app":
      return <CardPreview channel={message.channel} payload={payload} />;
    case "webhook":
      return (
        <div className="webhook-call" data-testid="message-preview-webhook">
          <div className="webhook-line">
            <span className="webhook-method">{str(payload.method) || "POST"}</span>
            <code className="webhook-url" title={message.to}>{message.to}</code>
          </div>
          <pre className="webhook-body" aria-label={t("log.webhook.body")}>{prettyJson(payload.body)}</pre>
        </div>
      );
    default:
      return <pre className="webhook-body">{prettyJson(JSON.stringify(payload))}</pre>;
  }
}

function EmailPreview({ message }: { message: MessageDetail }) {
  const { t } = useI18n();
  const sender = emailSender(message.payload);
  return (
    <div className="log-email" data-testid="message-preview-email">
      <dl className="log-email-head">
        <dt>{t("outbox.subject")}</dt>
        <dd className="log-email-subject">{str(message.payload?.subject) || t("outbox.noSubject")}</dd>
        {sender && (
          <>
            <dt>{t("outbox.from")}</dt>
            <dd>{sender}</dd>
          </>
        )}
        <dt>{t("outbox.to")}</dt>
        <dd>{message.to}</dd>
      </dl>
      <iframe title={t("outbox.preview")} data-testid="message-preview-frame" sandbox="" srcDoc={emailSrcDoc(message.payload)} />
    </div>
  );
}

function LinePreview({ payload }: { payload: Record<string, unknown> }) {
  const { t } = useI18n();
  return (
    <div className="line-preview log-line" data-testid="message-preview-line" aria-label={t("log.line.chat")}>
      {lineBubbles(payload).map((b, i) => {
        if (b.type === "image")
          return (
            <div key={i} className="line-bubble line-bubble-image" title={b.url}>
              <Icon name="layers" size={14} />
              {t("log.line.image")}
            </div>
          );
        if (b.type === "buttons")
          return (
            <div key={i} className="line-bubble line-bubble-card">
              {b.imageUrl && (
                <span className="line-bubble-hero" title={b.imageUrl} aria-label={t("log.line.image")}>
                  <Icon name="layers" size={16} />
                </span>
              )}
              {b.title && <strong>{b.title}</strong>}
              <span>{b.text}</span>
              {b.buttons.map((button, j) => (
                <span key={j} className="line-bubble-button" title={button.url}>
                  {button.label}
                </span>
              ))}
            </div>
          );
        return (
          <div key={i} className="line-bubble">
            {b.text}
          </div>
        );
      })}
    </div>
  );
}

function CardPreview({ channel, payload }: { channel: string; payload: Record<string, unknown> }) {
  const { t } = useI18n();
  const card = notificationCard(channel, payload);
  const inApp = channel === "in_app";
  return (
    <div className={inApp ? "inapp-stage" : "lock-screen"} data-testid={`message-preview-${channel}`}>
      <div className={inApp ? "inapp-card" : "notif-card"}>
        {!inApp && (
          <div className="notif-head">
            <span className="notif-app" aria-hidden="true">
              <Icon name={channel === "webpush" ? "globe" : "bell"} size={12} />
            </span>
            <span>{t(channel === "webpush" ? "log.webpush.source" : "log.push.source")}</span>
            <span className="notif-now">{t("log.push.now")}</span>
          </div>
        )}
        <div className="notif-main">
          <div className="notif-text">
            <strong className="notif-title">{card.title}</strong>
            <span className="notif-body">{card.body}</span>
          </div>
          {card.image && (
            <span className="notif-image" title={card.image} aria-label={t("log.line.image")}>
              <Icon name="layers" size={16} />
            </span>
          )}
        </div>
        {card.button && <span className="inapp-button">{card.button}</span>}
        {card.link && (
          <span className="notif-link" title={card.link}>
            <Icon name="chevronRight" size={12} />
            {card.link}
          </span>
        )}
      </div>
    </div>
  );
}
