/** Condition (yes / no): a customer attribute, events in a window, engagement with an earlier send, or a tag
 * (with a minimum weight). */
import type { MessageKey } from "../i18n";
import { EventFilterRows } from "./FilterRows";
import { ChoiceField, EventNameField, NumberField, SelectField, TagNameField, TextField } from "./fields";
import { defaultAt, enumAt, rangeAt } from "./manifest";
import { messageSteps } from "./messageSteps";
import { parseValue, str, type FormProps, type JourneyStepRef, type Settings, type StepModule } from "./types";

const OP_SYMBOL: Record<string, string> = { eq: "=", neq: "≠", contains: "∋", gt: ">", gte: "≥", lt: "<", lte: "≤", exists: "" };

function Form({ settings, onChange, t, fieldErrors, schema, steps, nodeId }: FormProps) {
  const kinds = enumAt(schema, "kind");
  const kind = kinds.includes(str(settings.kind)) ? str(settings.kind) : kinds[0];
  const ops = enumAt(schema, "op");
  const switchKind = (next: string) => {
    if (next === "attribute") onChange({ kind: next, attribute: "", op: ops[0] ?? "eq", value: "" });
    else if (next === "event") onChange({ kind: next, event: "", filters: [], window: defaultAt(schema, "window") ?? "since_entry", min_count: defaultAt(schema, "min_count") ?? 1 });
    else if (next === "tag") onChange({ kind: next, tag: "", min_weight: null });
    else onChange({ kind: next, step: "", engagement: enumAt(schema, "engagement")[0] ?? "" });
  };
  return (
    <>
      <SelectField
        name="kind"
        label={t("field.kind")}
        value={kind}
        options={kinds.map((k) => ({ value: k, label: t(`kind.${k}` as MessageKey) }))}
        error={fieldErrors.kind}
        onChange={switchKind}
      />
      {kind === "attribute" && (
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
            value={str(settings.op) || ops[0]}
            options={ops.map((op) => ({ value: op, label: t(`op.${op}` as MessageKey) }))}
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
      )}
      {kind === "event" && <EventForm settings={settings} onChange={onChange} t={t} fieldErrors={fieldErrors} schema={schema} steps={steps} nodeId={nodeId} />}
      {kind === "tag" && <TagForm settings={settings} onChange={onChange} t={t} fieldErrors={fieldErrors} schema={schema} steps={steps} nodeId={nodeId} />}
      {kind === "message" && <MessageForm settings={settings} onChange={onChange} t={t} fieldErrors={fieldErrors} schema={schema} steps={steps} nodeId={nodeId} />}
    </>
  );
}

function EventForm({ settings, onChange, t, fieldErrors, schema }: FormProps) {
  const windows = enumAt(schema, "window");
  const window = str(settings.window) || str(defaultAt(schema, "window")) || windows[0];
  const count = rangeAt(schema, "min_count");
  const days = rangeAt(schema, "days");
  return (
    <>
      <EventNameField value={str(settings.event)} error={fieldErrors.event} t={t} onChange={(event) => onChange({ ...settings, event })} />
      <ChoiceField
        name="window"
        label={t("field.window")}
        value={window}
        options={windows.map((w) => ({ value: w, label: t(`window.${w}` as MessageKey) }))}
        error={fieldErrors.window}
        onChange={(next) => onChange(next === "last_days" ? { ...settings, window: next, days: typeof settings.days === "number" ? settings.days : 30 } : { ...settings, window: next, days: null })}
      />
      <div className="field-row">
        <NumberField
          name="min_count"
          label={t("field.min_count")}
          min={count.min ?? 1}
          t={t}
          value={typeof settings.min_count === "number" ? settings.min_count : null}
          error={fieldErrors.min_count}
          onChange={(min_count) => onChange({ ...settings, min_count })}
        />
        {window === "last_days" && (
          <NumberField
            name="days"
            label={t("field.days")}
            min={days.min ?? 1}
            t={t}
            value={typeof settings.days === "number" ? settings.days : null}
            error={fieldErrors.days}
            onChange={(d) => onChange({ ...settings, days: d })}
          />
        )}
      </div>
      <EventFilterRows settings={settings} schema={schema} t={t} fieldErrors={fieldErrors} emptyHint={t("field.filtersEmptyAny")} onChange={onChange} />
    </>
  );
}

function TagForm({ settings, onChange, t, fieldErrors }: FormProps) {
  return (
    <>
      <TagNameField value={str(settings.tag)} error={fieldErrors.tag} t={t} onChange={(tag) => onChange({ ...settings, tag })} />
      <NumberField
        name="min_weight"
        label={t("field.min_weight")}
        min={0}
        t={t}
        value={typeof settings.min_weight === "number" ? settings.min_weight : null}
        error={fieldErrors.min_weight}
        hint={t("field.minWeightHint")}
        onChange={(min_weight) => onChange({ ...settings, min_weight })}
      />
    </>
  );
}

function MessageForm({ settings, onChange, t, fieldErrors, schema, steps }: FormProps) {
  const sends = messageSteps(steps);
  const engagements = enumAt(schema, "engagement");
  const chosen = str(settings.step);
  const missing = chosen && !sends.some((s) => s.id === chosen);
  return (
    <>
      <SelectField
        name="step"
        label={t("field.step")}
        value={chosen}
        options={[
          { value: "", label: sends.length ? t("field.stepChoose") : t("field.stepNone") },
          ...sends.map((s) => ({ value: s.id, label: s.name })),
          ...(missing ? [{ value: chosen, label: t("field.stepMissing") }] : []),
        ]}
        error={fieldErrors.step}
        hint={sends.length ? undefined : t("field.stepNoneHint")}
        onChange={(step) => onChange({ ...settings, step })}
      />
      <ChoiceField
        name="engagement"
        label={t("field.engagement")}
        value={str(settings.engagement)}
        options={engagements.map((e) => ({ value: e, label: t(`engagement.${e}` as MessageKey) }))}
        error={fieldErrors.engagement}
        onChange={(engagement) => onChange({ ...settings, engagement })}
      />
    </>
  );
}

function summary(s: Settings, t: FormProps["t"], steps: JourneyStepRef[] = []): string {
  if (s.kind === "event") {
    const event = str(s.event).trim();
    if (!event) return t("summary.incomplete");
    const n = typeof s.min_count === "number" ? s.min_count : 1;
    if (s.window === "last_days") {
      if (typeof s.days !== "number") return t("summary.incomplete");
      return t(n > 1 ? "summary.conditionEventDaysMany" : "summary.conditionEventDays", { event, n, days: s.days });
    }
    return n > 1 ? t("summary.conditionEventMany", { event, n }) : t("summary.conditionEvent", { event });
  }
  if (s.kind === "tag") {
    const tag = str(s.tag).trim();
    if (!tag) return t("summary.incomplete");
    return typeof s.min_weight === "number" ? t("summary.conditionTagWeight", { tag, n: s.min_weight }) : t("summary.conditionTag", { tag });
  }
  if (s.kind === "message") {
    const step = steps.find((x) => x.id === s.step);
    const engagement = str(s.engagement);
    if (!s.step || !engagement) return t("summary.incomplete");
    return t("summary.conditionMessage", { step: step?.name ?? str(s.step), engagement: t(`engagement.${engagement}` as MessageKey) });
  }
  const attribute = str(s.attribute).trim();
  if (!attribute) return t("summary.incomplete");
  const op = str(s.op) || "eq";
  if (op === "exists") return t("summary.conditionAttrExists", { attribute });
  return t("summary.conditionAttr", { attribute, op: OP_SYMBOL[op] ?? op, value: str(s.value) || "…" });
}

export const condition: StepModule = {
  type: "condition",
  icon: "split",
  color: "condition",
  summary,
  Form,
};
