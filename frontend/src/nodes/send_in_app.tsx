/** In-app message: a card shown the next time the customer opens the app or site, until dismissed or expired;
 * a title and a message (templates), an optional button (label and link, as a pair) and how long it stays. */
import { NumberField, TextField, UnreachableNote } from "./fields";
import { rangeAt } from "./manifest";
import { TitleAndBody } from "./send_push";
import { readableTemplate } from "./templateText";
import { str, type FormProps, type StepModule } from "./types";

function Form(props: FormProps) {
  const { settings, onChange, t, fieldErrors, schema } = props;
  const hours = rangeAt(schema, "expires_in_hours");
  return (
    <>
      <TitleAndBody {...props} bodyLabel={t("field.send_in_app.body")} />
      <TextField
        name="button_label"
        label={t("field.button_label")}
        value={str(settings.button_label)}
        error={fieldErrors.button_label}
        onChange={(button_label) => onChange({ ...settings, button_label })}
      />
      <TextField
        name="button_url"
        label={t("field.button_url")}
        placeholder="https://"
        value={str(settings.button_url)}
        error={fieldErrors.button_url}
        onChange={(button_url) => onChange({ ...settings, button_url })}
      />
      <NumberField
        name="expires_in_hours"
        label={t("field.expires_in_hours")}
        min={hours.min ?? 1}
        t={t}
        value={typeof settings.expires_in_hours === "number" ? settings.expires_in_hours : null}
        error={fieldErrors.expires_in_hours}
        hint={t("inApp.expiresHint")}
        onChange={(expires_in_hours) => onChange({ ...settings, expires_in_hours })}
      />
      <UnreachableNote type="send_in_app" t={t} />
    </>
  );
}

export const sendInApp: StepModule = {
  type: "send_in_app",
  icon: "appWindow",
  color: "inapp",
  summary: (s, t) => {
    const title = readableTemplate(str(s.title), t);
    if (!title) return t("summary.noTitle");
    return typeof s.expires_in_hours === "number" ? t("summary.inApp", { title, hours: s.expires_in_hours }) : t("summary.push", { title });
  },
  Form,
};
