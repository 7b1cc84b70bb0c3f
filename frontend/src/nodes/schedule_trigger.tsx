/** Trigger: a schedule — once at a date and time, or daily / weekly on chosen weekdays / monthly on a day, at a
 * time of day in the brand's time zone. A form, never cron text. Each firing enrols the audience. */
import type { MessageKey } from "../i18n";
import { AudienceField, audienceText } from "./AudienceField";
import { ChoiceField, DateTimeInput, NumberField, WeekdayField } from "./fields";
import { enumAt, rangeAt } from "./manifest";
import { useJourneyZone, useZoneLabel } from "../timezones/JourneyZone";
import { str, type FormProps, type StepModule } from "./types";

function Form({ settings, onChange, t, fieldErrors, schema }: FormProps) {
  const zoneName = useZoneLabel(useJourneyZone());
  const repeats = enumAt(schema, "repeat");
  const repeat = repeats.includes(str(settings.repeat)) ? str(settings.repeat) : repeats[0];
  const weekdays = Array.isArray(settings.weekdays) ? settings.weekdays.map(str) : [];
  const day = rangeAt(schema, "month_day");
  return (
    <>
      <ChoiceField
        name="repeat"
        label={t("field.repeat")}
        value={repeat}
        options={repeats.map((r) => ({ value: r, label: t(`repeat.${r}` as MessageKey) }))}
        error={fieldErrors.repeat}
        onChange={(next) => onChange({ ...settings, repeat: next })}
      />
      {repeat === "once" ? (
        <DateTimeInput name="at" kind="datetime-local" label={t("field.at")} value={str(settings.at)} error={fieldErrors.at} onChange={(at) => onChange({ ...settings, at: at || null })} />
      ) : (
        <>
          {repeat === "weekly" && (
            <WeekdayField name="weekdays" label={t("field.weekdays")} days={enumAt(schema, "weekdays")} value={weekdays} t={t} error={fieldErrors.weekdays} onChange={(w) => onChange({ ...settings, weekdays: w })} />
          )}
          <div className="field-row">
            {repeat === "monthly" && (
              <NumberField
                name="month_day"
                label={t("field.month_day")}
                min={day.min ?? 1}
                t={t}
                value={typeof settings.month_day === "number" ? settings.month_day : null}
                error={fieldErrors.month_day}
                onChange={(month_day) => onChange({ ...settings, month_day })}
              />
            )}
            <DateTimeInput name="time" kind="time" label={t("field.time")} value={str(settings.time)} error={fieldErrors.time} onChange={(time) => onChange({ ...settings, time })} />
          </div>
        </>
      )}
      <p className="field-hint">{t("tz.inZone", { zone: zoneName })}</p>
      <AudienceField settings={settings} schema={schema} t={t} error={fieldErrors.audience} onChange={onChange} />
    </>
  );
}

export const scheduleTrigger: StepModule = {
  type: "schedule_trigger",
  icon: "calendarClock",
  color: "trigger",
  summary: (s, t) => {
    const time = str(s.time);
    const who = audienceText(s.audience, t);
    if (s.repeat === "once") return s.at ? t("summary.scheduleOnce", { at: str(s.at).replace("T", " "), who }) : t("summary.incomplete");
    if (s.repeat === "daily") return t("summary.scheduleDaily", { time, who });
    if (s.repeat === "weekly") {
      const days = Array.isArray(s.weekdays) ? s.weekdays.map((d) => t(`weekday.${d}.short` as MessageKey)) : [];
      return days.length ? t("summary.scheduleWeekly", { days: days.join(t("list.sep")), time, who }) : t("summary.incomplete");
    }
    if (s.repeat === "monthly") return typeof s.month_day === "number" ? t("summary.scheduleMonthly", { day: s.month_day, time, who }) : t("summary.incomplete");
    return t("summary.incomplete");
  },
  Form,
};
