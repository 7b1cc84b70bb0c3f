/** Web push: a title and a message (templates), the page a click opens and an optional icon. */
import { TextField, UnreachableNote } from "./fields";
import { TitleAndBody, titleSummary } from "./send_push";
import { str, type FormProps, type StepModule } from "./types";

function Form(props: FormProps) {
  const { settings, onChange, t, fieldErrors } = props;
  return (
    <>
      <TitleAndBody {...props} bodyLabel={t("field.send_webpush.body")} />
      <TextField
        name="url"
        label={t("field.send_webpush.url")}
        placeholder="https://"
        value={str(settings.url)}
        error={fieldErrors.url}
        onChange={(url) => onChange({ ...settings, url })}
      />
      <TextField name="icon" label={t("field.icon")} placeholder="https://" value={str(settings.icon)} error={fieldErrors.icon} onChange={(icon) => onChange({ ...settings, icon })} />
      <UnreachableNote type="send_webpush" t={t} />
    </>
  );
}

export const sendWebPush: StepModule = {
  type: "send_webpush",
  icon: "bell",
  color: "push",
  summary: titleSummary,
  Form,
};
