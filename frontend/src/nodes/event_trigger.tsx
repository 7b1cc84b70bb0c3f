import { AudienceField } from "./AudienceField";
import { FilterRows, type Filter } from "./FilterRows";
import { EventNameField } from "./fields";
import { enumAt } from "./manifest";
import { str, type FormProps, type StepModule } from "./types";

function Form({ settings, onChange, t, fieldErrors, schema }: FormProps) {
  const filters = Array.isArray(settings.filters) ? (settings.filters as Filter[]) : [];
  return (
    <>
      <EventNameField value={str(settings.event)} error={fieldErrors.event} t={t} onChange={(event) => onChange({ ...settings, event })} />
      <FilterRows filters={filters} ops={enumAt(schema, "filters.op")} t={t} errors={fieldErrors} onChange={(next) => onChange({ ...settings, filters: next })} />
      <AudienceField settings={settings} schema={schema} t={t} error={fieldErrors.audience} onChange={onChange} />
    </>
  );
}

export const eventTrigger: StepModule = {
  type: "event_trigger",
  icon: "bolt",
  color: "trigger",
  summary: (s, t) => {
    const event = str(s.event).trim();
    if (!event) return t("summary.noEvent");
    const n = Array.isArray(s.filters) ? s.filters.length : 0;
    return n ? t("summary.eventFilters", { event, n }) : t("summary.event", { event });
  },
  Form,
};
