/** Wait for engagement with an earlier message: "engaged" when the customer opens it / clicks in it / clicks a
 * chosen link in time (or already did), "timeout" otherwise. */
import type { MessageKey } from "../i18n";
import { ChoiceField, SelectField, TextField, TimeoutSection } from "./fields";
import { enumAt } from "./manifest";
import { messageSteps } from "./messageSteps";
import { str, type FormProps, type JourneyStepRef, type Settings, type StepModule } from "./types";
import { durationText } from "./wait";

function Form({ settings, onChange, t, fieldErrors, schema, steps }: FormProps) {
  const sends = messageSteps(steps);
  const chosen = str(settings.message_step);
  const missing = chosen && !sends.some((s) => s.id === chosen);
  const engagements = enumAt(schema, "engagement");
  const engagement = str(settings.engagement) || engagements[0];
  return (
    <>
      <SelectField
        name="message_step"
        label={t("field.message_step")}
        value={chosen}
        options={[
          { value: "", label: sends.length ? t("field.stepChoose") : t("field.stepNone") },
          ...sends.map((s) => ({ value: s.id, label: s.name })),
          ...(missing ? [{ value: chosen, label: t("field.stepMissing") }] : []),
        ]}
        error={fieldErrors.message_step}
        hint={sends.length ? undefined : t("field.stepNoneHint")}
        onChange={(message_step) => onChange({ ...settings, message_step })}
      />
      <ChoiceField
        name="engagement"
        label={t("field.waitEngagement")}
        value={engagement}
        options={engagements.map((e) => ({ value: e, label: t(`engagement.${e}` as MessageKey) }))}
        error={fieldErrors.engagement}
        onChange={(next) => onChange({ ...settings, engagement: next, url_contains: next === "clicked_link" ? str(settings.url_contains) : "" })}
      />
      {engagement === "clicked_link" && (
        <TextField
          name="url_contains"
          label={t("field.url_contains")}
          placeholder={t("field.urlContainsPlaceholder")}
          value={str(settings.url_contains)}
          error={fieldErrors.url_contains}
          onChange={(url_contains) => onChange({ ...settings, url_contains })}
        />
      )}
      <TimeoutSection hint={t("field.engagementTimeoutHint")} settings={settings} schema={schema} t={t} fieldErrors={fieldErrors} onChange={onChange} />
    </>
  );
}

/** "Up to 2 days for “Welcome” to be opened"; names the step by its name, the link by its part. */
export function summary(s: Settings, t: FormProps["t"], steps: JourneyStepRef[] = []): string {
  const id = str(s.message_step);
  if (!id) return t("summary.incomplete");
  const step = steps.find((x) => x.id === id)?.name ?? id;
  const engagement = str(s.engagement) || "opened";
  const url = str(s.url_contains).trim();
  if (engagement === "clicked_link" && !url) return t("summary.incomplete");
  const limit = durationText(s.timeout_amount, s.timeout_unit, t);
  if (!limit) return t("summary.waitEngagementNoTimeout", { step });
  if (engagement === "clicked_link") return t("summary.waitEngagementLink", { step, limit, url });
  return t(engagement === "clicked" ? "summary.waitEngagementClicked" : "summary.waitEngagementOpened", { step, limit });
}

export const waitForEngagement: StepModule = {
  type: "wait_for_engagement",
  icon: "mail",
  color: "wait",
  summary,
  Form,
};
