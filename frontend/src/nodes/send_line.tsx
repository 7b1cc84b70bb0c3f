/** Send LINE message: 1 to 5 messages sent together, in order — a text, an image, or a card with an image, a
 * title, a text and 1 to 4 link buttons. Each message is a card in the form (type, its fields, move / remove); a
 * small preview shows the bubbles as the customer sees them. */
import type { MessageKey } from "../i18n";
import { Icon } from "../components/Icon";
import { SelectField, TextField, UnreachableNote } from "./fields";
import { enumAt, rangeAt } from "./manifest";
import { moveItem, RowButtons, rowErrors, TemplateField } from "./messageFields";
import { readableTemplate } from "./templateText";
import { str, type FormProps, type Settings, type StepModule } from "./types";

export interface LineButton {
  label: string;
  url: string;
}

export interface LineMessage {
  type: string;
  text: string;
  url: string;
  preview_url: string;
  title: string;
  image_url: string;
  buttons: LineButton[];
}

const MAX_BUTTONS = 4;

export function newMessage(type = "text"): LineMessage {
  return { type, text: "", url: "", preview_url: "", title: "", image_url: "", buttons: type === "buttons" ? [{ label: "", url: "" }] : [] };
}

export function asMessages(v: unknown): LineMessage[] {
  if (!Array.isArray(v)) return [];
  return v.map((m) => ({
    type: str(m?.type) || "text",
    text: str(m?.text),
    url: str(m?.url),
    preview_url: str(m?.preview_url),
    title: str(m?.title),
    image_url: str(m?.image_url),
    buttons: Array.isArray(m?.buttons) ? m.buttons.map((b: unknown) => ({ label: str((b as LineButton)?.label), url: str((b as LineButton)?.url) })) : [],
  }));
}

/** A message switched to `type`: a card gets its first button; what the marketer typed is kept. */
export function withType(m: LineMessage, type: string): LineMessage {
  return { ...m, type, buttons: type === "buttons" && m.buttons.length === 0 ? [{ label: "", url: "" }] : m.buttons };
}

function Buttons({ m, i, errors, t, onChange }: { m: LineMessage; i: number; errors: Record<string, string>; t: FormProps["t"]; onChange: (buttons: LineButton[]) => void }) {
  const set = (j: number, patch: Partial<LineButton>) => onChange(m.buttons.map((b, k) => (k === j ? { ...b, ...patch } : b)));
  return (
    <fieldset className={`field line-buttons${errors.buttons ? " has-error" : ""}`} data-testid={`setting-message-${i}-buttons`}>
      <legend>{t("field.buttons")}</legend>
      {m.buttons.map((b, j) => {
        const row = t("line.button", { n: j + 1 });
        const label = errors[`buttons.${j}.label`];
        const url = errors[`buttons.${j}.url`];
        return (
          <div key={j} role="group" aria-label={row} data-testid={`message-${i}-button-${j}`}>
            <div className="branch-row line-button">
              <input
                type="text"
                data-testid={`message-${i}-button-${j}-label`}
                aria-label={`${row}: ${t("field.label")}`}
                aria-invalid={label ? true : undefined}
                placeholder={t("field.label")}
                maxLength={20}
                value={b.label}
                onChange={(e) => set(j, { label: e.target.value })}
              />
              <input
                type="text"
                data-testid={`message-${i}-button-${j}-url`}
                aria-label={`${row}: ${t("field.link")}`}
                aria-invalid={url ? true : undefined}
                placeholder="https://"
                value={b.url}
                onChange={(e) => set(j, { url: e.target.value })}
              />
              <RowButtons
                i={j}
                count={m.buttons.length}
                min={1}
                testPrefix={`message-${i}-button-${j}`}
                labels={{ remove: "line.removeButton", min: "line.removeButton" }}
                t={t}
                onRemove={() => onChange(m.buttons.filter((_, k) => k !== j))}
              />
            </div>
            {(label || url) && <div className="field-error">{label || url}</div>}
          </div>
        );
      })}
      {errors.buttons && <div className="field-error">{errors.buttons}</div>}
      <button
        type="button"
        className="btn btn-sm btn-secondary"
        data-testid={`add-message-${i}-button`}
        disabled={m.buttons.length >= MAX_BUTTONS}
        onClick={() => onChange([...m.buttons, { label: "", url: "" }])}
      >
        <Icon name="plus" size={14} />
        {t("line.addButton")}
      </button>
    </fieldset>
  );
}

function MessageCard({
  m,
  i,
  count,
  min,
  types,
  errors,
  t,
  onChange,
  onMove,
  onRemove,
}: {
  m: LineMessage;
  i: number;
  count: number;
  min: number;
  types: string[];
  errors: Record<string, string>;
  t: FormProps["t"];
  onChange: (patch: Partial<LineMessage>) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const name = t("line.message", { n: i + 1 });
  const field = (f: string) => `message-${i}-${f}`;
  return (
    <div className={`action-path line-message${Object.keys(errors).length ? " has-error" : ""}`} role="group" aria-label={name} data-testid={`message-${i}`}>
      <div className="branch-row action-path-head">
        <span className="branch-dot" aria-hidden="true" />
        <strong className="line-message-name">{name}</strong>
        <RowButtons
          i={i}
          count={count}
          min={min}
          testPrefix={`message-${i}`}
          labels={{ up: "line.moveUp", down: "line.moveDown", remove: "line.remove", min: "line.minReached" }}
          t={t}
          onMove={onMove}
          onRemove={onRemove}
        />
      </div>
      <SelectField
        name={field("type")}
        label={t("field.type")}
        value={m.type}
        options={types.map((v) => ({ value: v, label: t(`lineType.${v}` as MessageKey) }))}
        error={errors.type}
        onChange={(type) => onChange(withType(m, type))}
      />
      {m.type === "image" && (
        <>
          <TextField name={field("url")} label={t("field.url")} placeholder="https://" value={m.url} error={errors.url} onChange={(url) => onChange({ url })} />
          <TextField
            name={field("preview_url")}
            label={t("field.preview_url")}
            placeholder="https://"
            value={m.preview_url}
            error={errors.preview_url}
            hint={t("field.previewHint")}
            onChange={(preview_url) => onChange({ preview_url })}
          />
        </>
      )}
      {m.type === "buttons" && (
        <>
          <TextField name={field("image_url")} label={t("field.image_url")} placeholder="https://" value={m.image_url} error={errors.image_url} onChange={(image_url) => onChange({ image_url })} />
          <TextField name={field("title")} label={t("field.title")} value={m.title} error={errors.title} onChange={(title) => onChange({ title })} />
        </>
      )}
      {(m.type === "text" || m.type === "buttons") && (
        <TemplateField
          name={field("text")}
          label={t("field.text")}
          rows={m.type === "text" ? 4 : 3}
          value={m.text}
          error={errors.text}
          hint={m.type === "buttons" ? t("line.cardTextHint") : undefined}
          t={t}
          onChange={(text) => onChange({ text })}
        />
      )}
      {m.type === "buttons" && <Buttons m={m} i={i} errors={errors} t={t} onChange={(buttons) => onChange({ buttons })} />}
    </div>
  );
}

/** The bubbles as a customer sees them in the chat (texts with personal fields shown as chips). Images are drawn as
 * placeholders: the editor loads nothing from other sites (its content security policy allows none). */
function Preview({ messages, t }: { messages: LineMessage[]; t: FormProps["t"] }) {
  return (
    <div className="line-preview" aria-label={t("line.preview")} data-testid="line-preview">
      {messages.map((m, i) =>
        m.type === "image" ? (
          <div key={i} className="line-bubble line-bubble-image">
            <Icon name="layers" size={18} />
            <span>{t("lineType.image")}</span>
          </div>
        ) : m.type === "buttons" ? (
          <div key={i} className="line-bubble line-bubble-card">
            {m.image_url && (
              <span className="line-bubble-hero" aria-hidden="true">
                <Icon name="layers" size={18} />
              </span>
            )}
            {m.title && <strong>{m.title}</strong>}
            <span>{readableTemplate(m.text, t)}</span>
            {m.buttons.map((b, j) => (
              <span key={j} className="line-bubble-button">
                {b.label || "…"}
              </span>
            ))}
          </div>
        ) : (
          <div key={i} className="line-bubble">
            {readableTemplate(m.text, t) || "…"}
          </div>
        ),
      )}
    </div>
  );
}

function Form({ settings, onChange, t, fieldErrors, schema }: FormProps) {
  const messages = asMessages(settings.messages);
  const { min = 1, max = 5 } = rangeAt(schema, "messages");
  const types = enumAt(schema, "messages.type");
  const set = (next: LineMessage[]) => onChange({ ...settings, messages: next });
  const update = (i: number, patch: Partial<LineMessage>) => set(messages.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  return (
    <>
      <fieldset className={`field branches-editor line-messages${fieldErrors.messages ? " has-error" : ""}`} data-testid="setting-messages">
        <legend>{t("field.messages")}</legend>
        <p className="field-hint">{t("line.hint")}</p>
        {messages.map((m, i) => (
          <MessageCard
            key={i}
            m={m}
            i={i}
            count={messages.length}
            min={min}
            types={types}
            errors={rowErrors(fieldErrors, "messages", i)}
            t={t}
            onChange={(patch) => update(i, patch)}
            onMove={(to) => set(moveItem(messages, i, to))}
            onRemove={() => set(messages.filter((_, j) => j !== i))}
          />
        ))}
        {fieldErrors.messages && <div className="field-error">{fieldErrors.messages}</div>}
        <button
          type="button"
          className="btn btn-sm btn-secondary"
          data-testid="add-message-button"
          disabled={messages.length >= max}
          title={messages.length >= max ? t("line.maxReached", { n: max }) : undefined}
          onClick={() => set([...messages, newMessage()])}
        >
          <Icon name="plus" size={14} />
          {t("line.add")}
        </button>
      </fieldset>
      {messages.length > 0 && <Preview messages={messages} t={t} />}
      <UnreachableNote type="send_line" t={t} />
    </>
  );
}

/** The first text a customer reads (a card's title or text), else null (only images). */
function firstText(messages: LineMessage[], t: FormProps["t"]): string | null {
  for (const m of messages) {
    const text = m.type === "buttons" ? m.title || readableTemplate(m.text, t) : m.type === "text" ? readableTemplate(m.text, t) : "";
    if (text) return text;
  }
  return null;
}

export const sendLine: StepModule = {
  type: "send_line",
  icon: "messageCircle",
  color: "line",
  summary: (s: Settings, t) => {
    const messages = asMessages(s.messages);
    if (!messages.length) return t("summary.incomplete");
    const first = firstText(messages, t);
    if (first) return t("summary.line", { n: messages.length, first });
    return messages.some((m) => m.type === "image" && m.url) ? t("summary.lineImage", { n: messages.length }) : t("summary.incomplete");
  },
  Form,
};
