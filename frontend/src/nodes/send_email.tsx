import { useRef } from "react";
import { TextAreaField, TextField, UnreachableNote } from "./fields";
import { fieldLabel, PERSONAL_FIELDS, placeholder, readableTemplate } from "./templateText";
import { str, type FormProps, type StepModule } from "./types";

/** Insert `text` at the caret of `el` (or at the end), returning the new value. */
export function insertAt(el: HTMLInputElement | HTMLTextAreaElement | null, value: string, text: string): { value: string; caret: number } {
  const start = el?.selectionStart ?? value.length;
  const end = el?.selectionEnd ?? value.length;
  return { value: value.slice(0, start) + text + value.slice(end), caret: start + text.length };
}

/** A native select, so it works from the keyboard and with screen readers without extra code. */
export function InsertField({ name, label, t, onPick }: { name: string; label: string; t: FormProps["t"]; onPick: (path: string) => void }) {
  return (
    <select
      className="insert-field"
      data-testid={`insert-field-${name}`}
      aria-label={t("field.insertInto", { field: label })}
      value=""
      onChange={(e) => {
        if (e.target.value) onPick(e.target.value);
      }}
    >
      <option value="">{t("field.insertField")}</option>
      {PERSONAL_FIELDS.map((f) => (
        <option key={f} value={f}>
          {fieldLabel(f, t)}
        </option>
      ))}
    </select>
  );
}

function Form({ settings, onChange, t, fieldErrors }: FormProps) {
  const subjectRef = useRef<HTMLInputElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const insert = (field: "subject" | "body", path: string) => {
    const el = field === "subject" ? subjectRef.current : bodyRef.current;
    const next = insertAt(el, str(settings[field]), placeholder(path));
    onChange({ ...settings, [field]: next.value });
    window.requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(next.caret, next.caret);
    });
  };
  return (
    <>
      <TextField
        name="subject"
        label={t("field.subject")}
        placeholder={t("field.subjectPlaceholder")}
        value={str(settings.subject)}
        error={fieldErrors.subject}
        inputRef={subjectRef}
        hint={<InsertField name="subject" label={t("field.subject")} t={t} onPick={(p) => insert("subject", p)} />}
        onChange={(subject) => onChange({ ...settings, subject })}
      />
      <TextField
        name="from_name"
        label={t("field.from_name")}
        placeholder={t("field.fromNamePlaceholder")}
        value={str(settings.from_name)}
        error={fieldErrors.from_name}
        onChange={(from_name) => onChange({ ...settings, from_name })}
      />
      <TextAreaField
        name="body"
        label={t("field.body")}
        rows={10}
        value={str(settings.body)}
        error={fieldErrors.body}
        inputRef={bodyRef}
        onChange={(body) => onChange({ ...settings, body })}
        hint={
          <span className="insert-row" data-testid="template-variables-hint">
            <InsertField name="body" label={t("field.body")} t={t} onPick={(p) => insert("body", p)} />
            <span>{t("field.bodyHint")}</span>
          </span>
        }
      />
      <UnreachableNote type="send_email" t={t} />
    </>
  );
}

export const sendEmail: StepModule = {
  type: "send_email",
  icon: "mail",
  color: "email",
  previewable: true,
  summary: (s, t) => {
    const subject = readableTemplate(str(s.subject), t);
    return subject ? t("summary.email", { subject }) : t("summary.noSubject");
  },
  Form,
};
