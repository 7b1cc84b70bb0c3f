/** Update attribute: set a customer attribute to a value, add a number to it (a negative one subtracts), or
 * clear it. */
import { useState } from "react";
import type { MessageKey } from "../i18n";
import { ChoiceField, TextField } from "./fields";
import { enumAt } from "./manifest";
import { parseValue, str, type FormProps, type Settings, type StepModule } from "./types";

/** Any number, decimals and negatives included; text that is not one is kept so the backend's message shows. */
function AmountField({ settings, onChange, t, error }: { settings: Settings; onChange: (next: Settings) => void; t: FormProps["t"]; error?: string }) {
  const [raw, setRaw] = useState(str(settings.amount ?? 1));
  return (
    <TextField
      name="amount"
      label={t("field.incrementBy")}
      value={raw}
      error={error}
      hint={t("updateAttribute.incrementHint")}
      onChange={(text) => {
        setRaw(text);
        const n = Number(text.trim());
        onChange({ ...settings, amount: text.trim() !== "" && Number.isFinite(n) ? n : text });
      }}
    />
  );
}

function Form({ settings, onChange, t, fieldErrors, schema }: FormProps) {
  const operations = enumAt(schema, "operation");
  const operation = operations.includes(str(settings.operation)) ? str(settings.operation) : operations[0];
  return (
    <>
      <TextField
        name="attribute"
        label={t("field.attribute")}
        placeholder={t("field.updateAttributePlaceholder")}
        value={str(settings.attribute)}
        error={fieldErrors.attribute}
        onChange={(attribute) => onChange({ ...settings, attribute })}
      />
      <ChoiceField
        name="operation"
        label={t("field.operation")}
        value={operation}
        options={operations.map((o) => ({ value: o, label: t(`operation.${o}` as MessageKey) }))}
        error={fieldErrors.operation}
        onChange={(next) => onChange({ ...settings, operation: next })}
      />
      {operation === "set" && (
        <TextField
          name="value"
          label={t("field.newValue")}
          placeholder={t("field.valuePlaceholder")}
          value={str(settings.value)}
          error={fieldErrors.value}
          onChange={(value) => onChange({ ...settings, value: parseValue(value) })}
        />
      )}
      {operation === "increment" && <AmountField settings={settings} onChange={onChange} t={t} error={fieldErrors.amount} />}
      {operation === "clear" && <p className="field-hint">{t("updateAttribute.clearHint")}</p>}
    </>
  );
}

function summary(s: Settings, t: FormProps["t"]): string {
  const attribute = str(s.attribute).trim();
  if (!attribute) return t("summary.incomplete");
  if (s.operation === "clear") return t("summary.attributeClear", { attribute });
  if (s.operation === "increment") {
    const n = typeof s.amount === "number" ? s.amount : 1;
    return t(n < 0 ? "summary.attributeDecrement" : "summary.attributeIncrement", { attribute, n: Math.abs(n) });
  }
  return t("summary.attributeSet", { attribute, value: str(s.value) || "…" });
}

export const updateAttribute: StepModule = {
  type: "update_attribute",
  icon: "userEdit",
  color: "data",
  summary,
  Form,
};
