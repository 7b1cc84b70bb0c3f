/** Trigger: relative to a date — N days / hours before or after a campaign date or a customer's date attribute
 * (birthday, renewal), at a chosen time (the countdown of S2). */
import type { MessageKey } from "../i18n";
import { AudienceField } from "./AudienceField";
import { ChoiceField, DateTimeInput, NumberField, SelectField, TextField } from "./fields";
import { enumAt } from "./manifest";
import { useJourneyZone, useZoneLabel } from "../timezones/JourneyZone";
import { str, type FormProps, type StepModule } from "./types";

function Form({ settings, onChange, t, fieldErrors, schema }: FormProps) {
  const zoneName = useZoneLabel(useJourneyZone());
  const anchors = enumAt(schema, "anchor");
  const anchor = anchors.includes(str(settings.anchor)) ? str(settings.anchor) : anchors[0];
  const units = enumAt(schema, "unit");
  const directions = enumAt(schema, "direction");
  return (
    <>
      <ChoiceField
        name="anchor"
        label={t("field.anchor")}
        value={anchor}
        options={anchors.map((a) => ({ value: a, label: t(`anchor.${a}` as MessageKey) }))}
        error={fieldErrors.anchor}
        onChange={(next) => onChange({ ...settings, anchor: next })}
      />
      {anchor === "date" ? (
        <DateTimeInput name="date" kind="date" label={t("field.campaignDate")} value={str(settings.date)} error={fieldErrors.date} onChange={(d) => onChange({ ...settings, date: d || null })} />
      ) : (
        <>
          <TextField
            name="attribute"
            label={t("field.dateAttribute")}
            placeholder={t("field.dateAttributePlaceholder")}
            value={str(settings.attribute)}
            error={fieldErrors.attribute}
            onChange={(attribute) => onChange({ ...settings, attribute: attribute || null })}
          />
          <label className="check-row">
            <input type="checkbox" data-testid="setting-yearly" checked={settings.yearly === true} onChange={(e) => onChange({ ...settings, yearly: e.target.checked })} />
            <span>{t("field.yearly")}</span>
          </label>
        </>
      )}
      <div className="field-row three">
        <NumberField
          name="offset"
          label={t("field.offset")}
          min={0}
          t={t}
          value={typeof settings.offset === "number" ? settings.offset : null}
          error={fieldErrors.offset}
          onChange={(offset) => onChange({ ...settings, offset })}
        />
        <SelectField
          name="unit"
          label={t("field.unit")}
          value={str(settings.unit) || units[0]}
          options={units.map((u) => ({ value: u, label: t(`unit.${u}` as MessageKey) }))}
          error={fieldErrors.unit}
          onChange={(unit) => onChange({ ...settings, unit })}
        />
        <SelectField
          name="direction"
          label={t("field.direction")}
          value={str(settings.direction) || directions[0]}
          options={directions.map((d) => ({ value: d, label: t(`direction.${d}` as MessageKey) }))}
          error={fieldErrors.direction}
          onChange={(direction) => onChange({ ...settings, direction })}
        />
      </div>
      <DateTimeInput name="time" kind="time" label={t("field.time")} value={str(settings.time)} error={fieldErrors.time} onChange={(time) => onChange({ ...settings, time })} />
      <p className="field-hint">{t("tz.inZone", { zone: zoneName })}</p>
      <AudienceField settings={settings} schema={schema} t={t} error={fieldErrors.audience} onChange={onChange} />
    </>
  );
}

export const relativeDateTrigger: StepModule = {
  type: "relative_date_trigger",
  icon: "calendarCountdown",
  color: "trigger",
  summary: (s, t) => {
    const what = s.anchor === "attribute" ? str(s.attribute) : str(s.date);
    if (!what || typeof s.offset !== "number") return t("summary.incomplete");
    const unit = t((s.offset === 1 ? `unit.${s.unit}.one` : `unit.${s.unit}`) as MessageKey);
    return t("summary.relativeDate", { n: s.offset, unit, dir: t(`direction.${s.direction}` as MessageKey), what, time: str(s.time) });
  },
  Form,
};
