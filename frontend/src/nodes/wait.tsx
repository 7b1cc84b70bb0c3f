import type { MessageKey } from "../i18n";
import { NumberField, SelectField } from "./fields";
import type { FormProps, StepDefinition } from "./types";

const UNITS = ["minutes", "hours", "days", "weeks"] as const;

function Form({ settings, onChange, t, fieldErrors }: FormProps) {
  return (
    <div className="field-row">
      <NumberField
        name="amount"
        label={t("field.amount")}
        min={1}
        t={t}
        value={typeof settings.amount === "number" ? settings.amount : null}
        error={fieldErrors.amount}
        onChange={(amount) => onChange({ ...settings, amount })}
      />
      <SelectField
        name="unit"
        label={t("field.unit")}
        value={String(settings.unit ?? "hours")}
        options={UNITS.map((u) => ({ value: u, label: t(`unit.${u}`) }))}
        error={fieldErrors.unit}
        onChange={(unit) => onChange({ ...settings, unit })}
      />
    </div>
  );
}

export const wait: StepDefinition = {
  type: "wait",
  group: "flow",
  icon: "clock",
  color: "wait",
  outputs: [{ id: "next", labelKey: "handle.next" }],
  hasInput: true,
  defaultSettings: () => ({ amount: 1, unit: "hours" }),
  summary: (s, t) => {
    const amount = typeof s.amount === "number" ? s.amount : null;
    const unit = String(s.unit ?? "hours");
    if (amount === null || !(UNITS as readonly string[]).includes(unit)) return t("summary.incomplete");
    const unitKey = (amount === 1 ? `unit.${unit}.one` : `unit.${unit}`) as MessageKey;
    return t("summary.wait", { amount, unit: t(unitKey) });
  },
  Form,
};
