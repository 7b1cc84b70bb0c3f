/** Goal: the journey's conversion event. Whoever does it leaves at once, counted as converted; the goal's
 * optional output is a final path they take first (a "thank you for your purchase" message). */
import { FilterRows, type Filter } from "./FilterRows";
import { EventNameField } from "./fields";
import { enumAt } from "./manifest";
import { str, type FormProps, type StepModule } from "./types";

function Form({ settings, onChange, t, fieldErrors, schema }: FormProps) {
  const filters = Array.isArray(settings.filters) ? (settings.filters as Filter[]) : [];
  return (
    <>
      <div className="form-note" data-testid="goal-explainer">
        {t("goal.explainer")}
      </div>
      <EventNameField value={str(settings.event)} error={fieldErrors.event} t={t} onChange={(event) => onChange({ ...settings, event })} />
      <FilterRows
        filters={filters}
        ops={enumAt(schema, "filters.op")}
        t={t}
        errors={fieldErrors}
        legend={t("field.filtersMatch")}
        emptyHint={t("field.filtersEmptyGoal")}
        onChange={(next) => onChange({ ...settings, filters: next })}
      />
      <p className="field-hint">{t("goal.finalPathHint")}</p>
    </>
  );
}

export const goal: StepModule = {
  type: "goal",
  icon: "target",
  color: "goal",
  summary: (s, t) => {
    const event = str(s.event).trim();
    if (!event) return t("summary.noEvent");
    const n = Array.isArray(s.filters) ? s.filters.length : 0;
    return n ? t("summary.goalFilters", { event, n }) : t("summary.goal", { event });
  },
  Form,
};
