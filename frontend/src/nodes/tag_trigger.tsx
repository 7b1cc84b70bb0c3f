/** Trigger: a tag is added to a customer (or its weight reaches a threshold), or removed — e.g. "when a
 * customer becomes 'oily skin' with weight 3, send the oil-control offer". */
import type { MessageKey } from "../i18n";
import { AudienceField } from "./AudienceField";
import { ChoiceField, NumberField, TagNameField } from "./fields";
import { enumAt } from "./manifest";
import { str, type FormProps, type Settings, type StepModule } from "./types";

function Form({ settings, onChange, t, fieldErrors, schema }: FormProps) {
  const changes = enumAt(schema, "change");
  const change = changes.includes(str(settings.change)) ? str(settings.change) : changes[0];
  return (
    <>
      <TagNameField value={str(settings.tag)} error={fieldErrors.tag} t={t} onChange={(tag) => onChange({ ...settings, tag })} />
      <ChoiceField
        name="change"
        label={t("field.change")}
        value={change}
        options={changes.map((c) => ({ value: c, label: t(`tagChange.${c}` as MessageKey) }))}
        error={fieldErrors.change}
        onChange={(next) => onChange(next === "removed" ? { ...settings, change: next, min_weight: null } : { ...settings, change: next })}
      />
      {change === "added" && (
        <NumberField
          name="min_weight"
          label={t("field.reachesWeight")}
          min={1}
          t={t}
          value={typeof settings.min_weight === "number" ? settings.min_weight : null}
          error={fieldErrors.min_weight}
          hint={t("tagTrigger.weightHint")}
          onChange={(min_weight) => onChange({ ...settings, min_weight })}
        />
      )}
      <AudienceField settings={settings} schema={schema} t={t} error={fieldErrors.audience} onChange={onChange} />
    </>
  );
}

function summary(s: Settings, t: FormProps["t"]): string {
  const tag = str(s.tag).trim();
  if (!tag) return t("summary.noTag");
  if (s.change === "removed") return t("summary.tagRemoved", { tag });
  return typeof s.min_weight === "number" ? t("summary.tagReaches", { tag, n: s.min_weight }) : t("summary.tagAdded", { tag });
}

export const tagTrigger: StepModule = {
  type: "tag_trigger",
  icon: "tag",
  color: "trigger",
  summary,
  Form,
};
