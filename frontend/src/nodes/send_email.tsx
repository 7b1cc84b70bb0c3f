import { TextAreaField, TextField } from "./fields";
import { str, type FormProps, type StepModule } from "./types";

const VARIABLES = ["{{ customer.first_name }}", "{{ customer.email }}", "{{ event.product }}"];

function Form({ settings, onChange, t, fieldErrors }: FormProps) {
  return (
    <>
      <TextField
        name="subject"
        label={t("field.subject")}
        placeholder={t("field.subjectPlaceholder")}
        value={str(settings.subject)}
        error={fieldErrors.subject}
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
        onChange={(body) => onChange({ ...settings, body })}
        hint={
          <span data-testid="template-variables-hint">
            {t("field.bodyHint")}{" "}
            {VARIABLES.map((v) => (
              <code key={v} className="var-chip">
                {v}
              </code>
            ))}
          </span>
        }
      />
    </>
  );
}

export const sendEmail: StepModule = {
  type: "send_email",
  icon: "mail",
  color: "email",
  summary: (s, t) => {
    const subject = str(s.subject).trim();
    return subject ? t("summary.email", { subject }) : t("summary.noSubject");
  },
  Form,
};
