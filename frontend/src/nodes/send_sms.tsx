/** Send SMS: one plain-text template, with a live count of characters and segments (each segment is billed:
 * 160 GSM-7 characters or 70 Unicode ones in one message, 153 / 67 per part once split). */
import { UnreachableNote } from "./fields";
import { TemplateField } from "./messageFields";
import { segments } from "./smsSegments";
import { readableTemplate } from "./templateText";
import { str, type FormProps, type StepModule } from "./types";

/** Segments above which the counter turns into a warning (the backend warns past the same number). */
export const LONG_SMS_SEGMENTS = 5;

/** "42 characters · 1 segment (GSM-7)" for the text as typed. */
export function smsCounter(text: string, t: FormProps["t"]): { text: string; long: boolean } {
  const s = segments(text);
  const vars = { characters: s.characters, segments: s.segments, encoding: s.encoding };
  return { text: t(s.segments === 1 ? "sms.counterOne" : "sms.counter", vars), long: s.segments > LONG_SMS_SEGMENTS };
}

function Form({ settings, onChange, t, fieldErrors }: FormProps) {
  const text = str(settings.text);
  const counter = smsCounter(text, t);
  return (
    <>
      <TemplateField
        name="text"
        label={t("field.send_sms.text")}
        rows={6}
        value={text}
        error={fieldErrors.text}
        t={t}
        onChange={(v) => onChange({ ...settings, text: v })}
      />
      <p className={`field-hint sms-counter${counter.long ? " is-warning" : ""}`} data-testid="sms-counter" aria-live="polite">
        {counter.text}
        {counter.long && ` · ${t("sms.longWarning", { n: LONG_SMS_SEGMENTS })}`}
      </p>
      <p className="field-hint">{t("sms.counterHint")}</p>
      <UnreachableNote type="send_sms" t={t} />
    </>
  );
}

export const sendSms: StepModule = {
  type: "send_sms",
  icon: "messageSquare",
  color: "sms",
  summary: (s, t) => {
    const text = readableTemplate(str(s.text), t);
    return text ? t("summary.sms", { text }) : t("summary.noText");
  },
  Form,
};
