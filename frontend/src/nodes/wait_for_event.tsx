/** Wait for an event, with a timeout: "happened" when it comes in time, "timed out" otherwise; optionally only
 * the event about the same thing (same cart_id) as the event that started the journey. */
import { Icon } from "../components/Icon";
import { EventFilterRows } from "./FilterRows";
import { EventNameField, TimeoutSection } from "./fields";
import { str, type FormProps, type StepModule } from "./types";
import { durationText } from "./wait";

/** The `same_as_trigger` properties; `testPrefix` keeps the test ids of several such lists in one form apart
 * (`<testPrefix>-<i>-property`, `add-<testPrefix>-button`, the fieldset `setting-<testPrefix>_as_trigger`). */
export function SameAsTrigger({
  value,
  t,
  error,
  onChange,
  testPrefix = "same",
}: {
  value: string[];
  t: FormProps["t"];
  error?: string;
  onChange: (v: string[]) => void;
  testPrefix?: string;
}) {
  return (
    <fieldset className={`field same-as-trigger${error ? " has-error" : ""}`} data-testid={`setting-${testPrefix}_as_trigger`}>
      <legend>{t("field.same_as_trigger")}</legend>
      <p className="field-hint">{t("field.sameAsTriggerHint")}</p>
      {value.map((p, i) => (
        <div className="filter-row same-row" key={i} role="group" aria-label={t("sameAs.row", { n: i + 1 })}>
          <span className="same-prefix">{t("sameAs.prefix")}</span>
          <input
            type="text"
            data-testid={`${testPrefix}-${i}-property`}
            aria-label={t("sameAs.row", { n: i + 1 })}
            placeholder={t("sameAs.placeholder")}
            value={p}
            onChange={(e) => onChange(value.map((x, j) => (j === i ? e.target.value : x)))}
          />
          <button
            type="button"
            className="icon-btn ghost"
            data-testid={`${testPrefix}-${i}-remove`}
            aria-label={t("sameAs.remove", { n: i + 1 })}
            title={t("sameAs.remove", { n: i + 1 })}
            onClick={() => onChange(value.filter((_, j) => j !== i))}
          >
            <Icon name="x" size={14} />
          </button>
        </div>
      ))}
      {error && <div className="field-error">{error}</div>}
      <button type="button" className="btn btn-sm btn-secondary" data-testid={`add-${testPrefix}-button`} onClick={() => onChange([...value, value.length ? "" : "cart_id"])}>
        <Icon name="plus" size={14} />
        {t("sameAs.add")}
      </button>
    </fieldset>
  );
}

function Form({ settings, onChange, t, fieldErrors, schema }: FormProps) {
  const same = Array.isArray(settings.same_as_trigger) ? settings.same_as_trigger.map(str) : [];
  return (
    <>
      <EventNameField value={str(settings.event)} error={fieldErrors.event} t={t} onChange={(event) => onChange({ ...settings, event })} />
      <TimeoutSection hint={t("field.timeoutHint")} settings={settings} schema={schema} t={t} fieldErrors={fieldErrors} onChange={onChange} />
      <SameAsTrigger value={same} t={t} error={fieldErrors.same_as_trigger} onChange={(next) => onChange({ ...settings, same_as_trigger: next })} />
      <EventFilterRows settings={settings} schema={schema} t={t} fieldErrors={fieldErrors} emptyHint={t("field.filtersEmptyAny")} onChange={onChange} />
    </>
  );
}

export const waitForEvent: StepModule = {
  type: "wait_for_event",
  icon: "hourglassEvent",
  color: "wait",
  summary: (s, t) => {
    const event = str(s.event).trim();
    const limit = durationText(s.timeout_amount, s.timeout_unit, t);
    if (!event) return t("summary.noEvent");
    if (!limit) return t("summary.waitForEventNoTimeout", { event });
    const same = Array.isArray(s.same_as_trigger) ? s.same_as_trigger.map(str).filter(Boolean) : [];
    return same.length
      ? t("summary.waitForEventSame", { event, limit, props: same.join(", ") })
      : t("summary.waitForEvent", { event, limit });
  },
  Form,
};
