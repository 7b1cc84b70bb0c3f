import { EventNameField, SelectField, TextField } from "./fields";
import { OPS, parseValue, str, type FormProps, type Op, type StepDefinition } from "./types";

const OP_SYMBOL: Record<Op, string> = { eq: "=", neq: "≠", contains: "∋", gt: ">", gte: "≥", lt: "<", lte: "≤", exists: "" };

function Form({ settings, onChange, t, fieldErrors }: FormProps) {
  const kind = settings.kind === "event" ? "event" : "attribute";
  const switchKind = (next: string) =>
    onChange(next === "event" ? { kind: "event", event: "" } : { kind: "attribute", attribute: "", op: "eq", value: "" });
  return (
    <>
      <SelectField
        name="kind"
        label={t("field.kind")}
        value={kind}
        options={[
          { value: "attribute", label: t("kind.attribute") },
          { value: "event", label: t("kind.event") },
        ]}
        error={fieldErrors.kind}
        onChange={switchKind}
      />
      {kind === "attribute" ? (
        <>
          <TextField
            name="attribute"
            label={t("field.attribute")}
            placeholder={t("field.attributePlaceholder")}
            value={str(settings.attribute)}
            error={fieldErrors.attribute}
            onChange={(attribute) => onChange({ ...settings, attribute })}
          />
          <SelectField
            name="op"
            label={t("field.op")}
            value={String(settings.op ?? "eq")}
            options={OPS.map((op) => ({ value: op, label: t(`op.${op}`) }))}
            error={fieldErrors.op}
            onChange={(op) => onChange({ ...settings, op })}
          />
          {settings.op !== "exists" && (
            <TextField
              name="value"
              label={t("field.value")}
              placeholder={t("field.valuePlaceholder")}
              value={str(settings.value)}
              error={fieldErrors.value}
              onChange={(value) => onChange({ ...settings, value: parseValue(value) })}
            />
          )}
        </>
      ) : (
        <EventNameField value={str(settings.event)} error={fieldErrors.event} t={t} onChange={(event) => onChange({ ...settings, event })} />
      )}
    </>
  );
}

export const condition: StepDefinition = {
  type: "condition",
  icon: "split",
  color: "condition",
  summary: (s, t) => {
    if (s.kind === "event") {
      const event = str(s.event).trim();
      return event ? t("summary.conditionEvent", { event }) : t("summary.incomplete");
    }
    const attribute = str(s.attribute).trim();
    if (!attribute) return t("summary.incomplete");
    const op = (OPS as readonly string[]).includes(String(s.op)) ? (s.op as Op) : "eq";
    if (op === "exists") return t("summary.conditionAttrExists", { attribute });
    return t("summary.conditionAttr", { attribute, op: OP_SYMBOL[op], value: str(s.value) || "…" });
  },
  Form,
};
