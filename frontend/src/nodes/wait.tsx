import type { MessageKey, TFunction } from "../i18n";
import { DurationFields } from "./fields";
import type { FormProps, StepModule } from "./types";

function Form({ settings, onChange, t, fieldErrors, schema }: FormProps) {
  return <DurationFields amountName="amount" unitName="unit" settings={settings} schema={schema} t={t} fieldErrors={fieldErrors} onChange={onChange} />;
}

/** "3 days", "1 hour": an amount with its unit, singular when it is 1. */
export function durationText(amount: unknown, unit: unknown, t: TFunction): string | null {
  if (typeof amount !== "number" || typeof unit !== "string" || !unit) return null;
  const unitKey = (amount === 1 ? `unit.${unit}.one` : `unit.${unit}`) as MessageKey;
  return `${amount} ${t(unitKey)}`;
}

export const wait: StepModule = {
  type: "wait",
  icon: "clock",
  color: "wait",
  summary: (s, t) => {
    const text = durationText(s.amount, s.unit, t);
    if (!text) return t("summary.incomplete");
    const [amount, ...unit] = text.split(" ");
    return t("summary.wait", { amount, unit: unit.join(" ") });
  },
  Form,
};
