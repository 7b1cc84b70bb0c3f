/** App push (FCM): a title and a message (templates), an optional image and the deep link the app opens. */
import { TextField, UnreachableNote } from "./fields";
import { TemplateField } from "./messageFields";
import { readableTemplate } from "./templateText";
import { str, type FormProps, type Settings, type StepModule } from "./types";

/** A notification's summary: its title as the customer reads it. */
export function titleSummary(s: Settings, t: FormProps["t"]): string {
  const title = readableTemplate(str(s.title), t);
  return title ? t("summary.push", { title }) : t("summary.noTitle");
}

/** The title and message every notification has. */
export function TitleAndBody({ settings, onChange, t, fieldErrors, bodyLabel }: FormProps & { bodyLabel: string }) {
  return (
    <>
      <TemplateField name="title" label={t("field.title")} value={str(settings.title)} error={fieldErrors.title} t={t} onChange={(title) => onChange({ ...settings, title })} />
      <TemplateField name="body" label={bodyLabel} rows={4} value={str(settings.body)} error={fieldErrors.body} t={t} onChange={(body) => onChange({ ...settings, body })} />
    </>
  );
}

function Form(props: FormProps) {
  const { settings, onChange, t, fieldErrors } = props;
  return (
    <>
      <TitleAndBody {...props} bodyLabel={t("field.send_push.body")} />
      <TextField
        name="image_url"
        label={t("field.image_url")}
        placeholder="https://"
        value={str(settings.image_url)}
        error={fieldErrors.image_url}
        onChange={(image_url) => onChange({ ...settings, image_url })}
      />
      <TextField
        name="deep_link"
        label={t("field.deep_link")}
        placeholder={t("field.deepLinkPlaceholder")}
        value={str(settings.deep_link)}
        error={fieldErrors.deep_link}
        onChange={(deep_link) => onChange({ ...settings, deep_link })}
      />
      <UnreachableNote type="send_push" t={t} />
    </>
  );
}

export const sendPush: StepModule = {
  type: "send_push",
  icon: "smartphone",
  color: "push",
  summary: titleSummary,
  Form,
};
