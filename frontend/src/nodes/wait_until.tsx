/** Wait until a time of day, a time on chosen weekdays, or a date and time — in the customer's time zone when
 * known, else the brand's. */
import type { MessageKey } from "../i18n";
import { ChoiceField, DateTimeInput, WeekdayField } from "./fields";
import { enumAt } from "./manifest";
import { useJourneyZone, ZoneNote } from "../timezones/JourneyZone";
import { str, type FormProps, type StepModule } from "./types";

function Form({ settings, onChange, t, fieldErrors, schema }: FormProps) {
  const zone = useJourneyZone();
  const modes = enumAt(schema, "mode");
  const mode = modes.includes(str(settings.mode)) ? str(settings.mode) : modes[0];
  const days = enumAt(schema, "weekdays");
  const weekdays = Array.isArray(settings.weekdays) ? settings.weekdays.map(str) : [];
  return (
    <>
      <ChoiceField
        name="mode"
        label={t("field.waitUntilMode")}
        value={mode}
        options={modes.map((m) => ({ value: m, label: t(`waitUntil.${m}` as MessageKey) }))}
        error={fieldErrors.mode}
        onChange={(next) => onChange({ ...settings, mode: next })}
      />
      {mode === "weekday" && (
        <WeekdayField name="weekdays" label={t("field.weekdays")} days={days} value={weekdays} t={t} error={fieldErrors.weekdays} onChange={(w) => onChange({ ...settings, weekdays: w })} />
      )}
      <div className="field-row">
        {mode === "date" && (
          <DateTimeInput name="date" kind="date" label={t("field.date")} value={str(settings.date)} error={fieldErrors.date} zone={null} onChange={(d) => onChange({ ...settings, date: d || null })} />
        )}
        <DateTimeInput name="time" kind="time" label={t("field.time")} value={str(settings.time)} error={fieldErrors.time} zone={null} onChange={(time) => onChange({ ...settings, time })} />
      </div>
      <p className="field-hint zone-hint" data-testid="wait-until-zone">
        <ZoneNote zone={zone} customer />
      </p>
    </>
  );
}

export const waitUntil: StepModule = {
  type: "wait_until",
  icon: "calendarClock",
  color: "wait",
  summary: (s, t) => {
    const time = str(s.time);
    if (!time) return t("summary.incomplete");
    if (s.mode === "date") return s.date ? t("summary.waitUntilDate", { date: str(s.date), time }) : t("summary.incomplete");
    if (s.mode === "weekday") {
      const days = Array.isArray(s.weekdays) ? s.weekdays.map((d) => t(`weekday.${d}.short` as MessageKey)) : [];
      return days.length ? t("summary.waitUntilWeekday", { days: days.join(t("list.sep")), time }) : t("summary.incomplete");
    }
    return t("summary.waitUntilTime", { time });
  },
  Form,
};
