/** Goal: the journey's conversion event. Whoever does it leaves at once, counted as converted; the goal's
 * optional output is a final path they take first (a "thank you for your purchase" message). */
import { EventFilterRows } from "./FilterRows";
import { EventNameField } from "./fields";
import { str, type FormProps, type StepModule } from "./types";

function Form({ settings, onChange, t, fieldErrors, schema }: FormProps) {
  return (
    <>
      <div className="form-note" data-testid="goal-explainer">
        {t("goal.explainer")}
      </div>
      <EventNameField value={str(settings.event)} error={fieldErrors.event} t={t} onChange={(event) => onChange({ ...settings, event })} />
      <EventFilterRows settings={settings} schema={schema} t={t} fieldErrors={fieldErrors} emptyHint={t("field.filtersEmptyGoal")} onChange={onChange} />
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
