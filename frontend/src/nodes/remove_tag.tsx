/** Remove tag: take a tag (and its weight) off the customer; a customer without it just moves on. */
import { TagNameField } from "./fields";
import { str, type FormProps, type StepModule } from "./types";

function Form({ settings, onChange, t, fieldErrors }: FormProps) {
  return (
    <>
      <TagNameField value={str(settings.tag)} error={fieldErrors.tag} t={t} onChange={(tag) => onChange({ ...settings, tag })} />
      <p className="field-hint">{t("removeTag.hint")}</p>
    </>
  );
}

export const removeTag: StepModule = {
  type: "remove_tag",
  icon: "tagOff",
  color: "data",
  summary: (s, t) => {
    const tag = str(s.tag).trim();
    return tag ? t("summary.removeTag", { tag }) : t("summary.noTag");
  },
  Form,
};
