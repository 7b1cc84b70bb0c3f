/** Add tag: put a tag on the customer with a weight (標籤濃度) — add a fixed amount each visit, or make the
 * weight the number of an event's occurrences in the last N days (a daily scan: "the more oil-control
 * purchases, the higher the weight"). */
import type { MessageKey } from "../i18n";
import { EventFilterRows } from "./FilterRows";
import { ChoiceField, EventNameField, NumberField, TagNameField } from "./fields";
import { enumAt, rangeAt } from "./manifest";
import { str, type FormProps, type Settings, type StepModule } from "./types";

function Form({ settings, onChange, t, fieldErrors, schema }: FormProps) {
  const modes = enumAt(schema, "weight_by");
  const mode = modes.includes(str(settings.weight_by)) ? str(settings.weight_by) : modes[0];
  const amount = rangeAt(schema, "amount");
  const days = rangeAt(schema, "days");
  return (
    <>
      <TagNameField value={str(settings.tag)} error={fieldErrors.tag} t={t} onChange={(tag) => onChange({ ...settings, tag })} />
      <ChoiceField
        name="weight_by"
        label={t("field.weight_by")}
        value={mode}
        options={modes.map((m) => ({ value: m, label: t(`weightBy.${m}` as MessageKey) }))}
        error={fieldErrors.weight_by}
        onChange={(weight_by) => onChange({ ...settings, weight_by })}
      />
      {mode === "events" ? (
        <>
          <p className="field-hint" data-testid="add-tag-events-hint">
            {t("addTag.eventsHint")}
          </p>
          <EventNameField value={str(settings.event)} error={fieldErrors.event} t={t} onChange={(event) => onChange({ ...settings, event })} />
          <NumberField
            name="days"
            label={t("field.lastDays")}
            min={days.min ?? 1}
            t={t}
            value={typeof settings.days === "number" ? settings.days : null}
            error={fieldErrors.days}
            onChange={(d) => onChange({ ...settings, days: d })}
          />
          <EventFilterRows settings={settings} schema={schema} t={t} fieldErrors={fieldErrors} emptyHint={t("field.filtersEmptyAny")} onChange={onChange} />
        </>
      ) : (
        <NumberField
          name="amount"
          label={t("field.weightAmount")}
          min={amount.min ?? 1}
          t={t}
          value={typeof settings.amount === "number" ? settings.amount : null}
          error={fieldErrors.amount}
          hint={t("addTag.fixedHint")}
          onChange={(a) => onChange({ ...settings, amount: a })}
        />
      )}
    </>
  );
}

function summary(s: Settings, t: FormProps["t"]): string {
  const tag = str(s.tag).trim();
  if (!tag) return t("summary.noTag");
  if (s.weight_by === "events") {
    const event = str(s.event).trim();
    if (!event || typeof s.days !== "number") return t("summary.incomplete");
    return t("summary.addTagEvents", { tag, event, days: s.days });
  }
  return t("summary.addTag", { tag, n: typeof s.amount === "number" ? s.amount : 1 });
}

export const addTag: StepModule = {
  type: "add_tag",
  icon: "tag",
  color: "data",
  summary,
  Form,
};
