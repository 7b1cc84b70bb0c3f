/** Trigger: manual / API enrolment of given customers (POST /api/journeys/<id>/enrol), with the audience filter. */
import { AudienceField, audienceText } from "./AudienceField";
import type { FormProps, StepModule } from "./types";

function Form({ settings, onChange, t, fieldErrors, schema }: FormProps) {
  return (
    <>
      <div className="form-note is-neutral" data-testid="manual-explainer">
        {t("manual.explainer")}
      </div>
      <AudienceField settings={settings} schema={schema} t={t} error={fieldErrors.audience} onChange={onChange} />
    </>
  );
}

export const manualTrigger: StepModule = {
  type: "manual_trigger",
  icon: "users",
  color: "trigger",
  summary: (s, t) => t("summary.manual", { who: audienceText(s.audience, t) }),
  Form,
};
