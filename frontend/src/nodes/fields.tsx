/** Labelled form controls used by the step forms; each carries `data-testid="setting-<name>"`. */
import { useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from "react";
import { api } from "../api/client";
import type { EventName, TagName } from "../api/types";
import { relativeTime } from "../components/time";
import { useJourneyZone, ZoneNote } from "../timezones/JourneyZone";
import { useI18n, type MessageKey } from "../i18n";
import { enumAt, outputsFor, rangeAt, type JsonSchema } from "./manifest";
import type { FormProps, Settings } from "./types";

interface Base {
  name: string;
  label: string;
  error?: string;
  hint?: ReactNode;
}

/** A field's error under it, with the id its input or fieldset is described by (`${id}-error`). */
function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <div className="field-error" id={`${id}-error`} role="alert">
      {error}
    </div>
  ) : null;
}

function Wrap({ id, label, error, hint, children }: { id: string; label: string; error?: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <div className={`field${error ? " has-error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <div className="field-hint">{hint}</div>}
      <FieldError id={id} error={error} />
    </div>
  );
}

export function TextField(
  props: Base & { value: string; onChange: (v: string) => void; placeholder?: string; list?: string; inputRef?: RefObject<HTMLInputElement> },
) {
  const id = useId();
  return (
    <Wrap id={id} {...props}>
      <input
        ref={props.inputRef}
        id={id}
        type="text"
        data-testid={`setting-${props.name}`}
        value={props.value}
        // A value longer than the box (a long subject) is readable whole in the tooltip.
        title={props.value || undefined}
        placeholder={props.placeholder}
        list={props.list}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </Wrap>
  );
}

/** Whole numbers only: "1.5" or "2e3" is refused with a message and never silently becomes another number. */
export function parseWhole(raw: string, min?: number): { value: number | null; problem: null | "notWhole" | "tooSmall" } {
  const text = raw.trim();
  if (text === "") return { value: null, problem: null };
  if (!/^-?\d+$/.test(text)) return { value: null, problem: "notWhole" };
  const n = Number(text);
  if (!Number.isSafeInteger(n)) return { value: null, problem: "notWhole" };
  if (min !== undefined && n < min) return { value: null, problem: "tooSmall" };
  return { value: n, problem: null };
}

/** The state of a whole-number text input: the text as typed, and why `check` refused it (null: it was accepted
 * and passed to `onChange`). Refused text stays as typed, never rounded or replaced; otherwise the text follows
 * `value` when it changes from outside (undo, paste, "split evenly"). */
export function useWholeNumberText<P extends string>(
  value: number | null | undefined,
  check: (text: string) => { value: number | null; problem: P | null },
  onChange: (v: number | null) => void,
): { raw: string; problem: P | null; onText: (text: string) => void } {
  const shown = value === null || value === undefined ? "" : String(value);
  const [raw, setRaw] = useState(shown);
  const [problem, setProblem] = useState<P | null>(null);
  useEffect(() => {
    if (problem === null) setRaw(shown);
  }, [shown, problem]);
  const onText = (text: string) => {
    setRaw(text);
    const parsed = check(text);
    setProblem(parsed.problem);
    if (parsed.problem === null) onChange(parsed.value);
  };
  return { raw, problem, onText };
}

export function NumberField(props: Base & { value: number | null; min?: number; t: FormProps["t"]; onChange: (v: number | null) => void }) {
  const id = useId();
  const { raw, problem, onText } = useWholeNumberText(props.value, (text) => parseWhole(text, props.min), props.onChange);
  const local = problem === "notWhole" ? props.t("field.notWhole") : problem === "tooSmall" ? props.t("field.tooSmall", { min: props.min ?? 0 }) : undefined;
  const error = local ?? props.error;
  return (
    <Wrap id={id} {...props} error={error}>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        data-testid={`setting-${props.name}`}
        value={raw}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onText(e.target.value)}
      />
    </Wrap>
  );
}

export function SelectField(
  props: Base & { value: string; options: { value: string; label: string }[]; onChange: (v: string) => void },
) {
  const id = useId();
  return (
    <Wrap id={id} {...props}>
      <select
        id={id}
        data-testid={`setting-${props.name}`}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Wrap>
  );
}

export function TextAreaField(props: Base & { value: string; rows?: number; onChange: (v: string) => void; inputRef?: RefObject<HTMLTextAreaElement> }) {
  const id = useId();
  return (
    <Wrap id={id} {...props}>
      <textarea
        ref={props.inputRef}
        id={id}
        data-testid={`setting-${props.name}`}
        rows={props.rows ?? 8}
        value={props.value}
        spellCheck={false}
        aria-invalid={props.error ? true : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </Wrap>
  );
}

/** A workspace list the step forms suggest from, fetched once for every field that shows it: asked again when
 * older than 30 s (a tag added by a journey shows up soon) or after a failure (the next time a field opens). */
const SUGGESTIONS_TTL_MS = 30_000;
function cachedSuggestions<T>(fetch: () => Promise<T[]>): () => T[] | null {
  let promise: Promise<T[]> | null = null;
  let at = 0;
  return function useSuggestions() {
    const [items, setItems] = useState<T[] | null>(null);
    useEffect(() => {
      let cancelled = false;
      if (Date.now() - at > SUGGESTIONS_TTL_MS) promise = null;
      at = promise ? at : Date.now();
      promise ??= fetch().catch((err) => {
        promise = null;
        throw err;
      });
      promise.then((n) => !cancelled && setItems(n)).catch(() => !cancelled && setItems(null));
      return () => {
        cancelled = true;
      };
    }, []);
    return items;
  };
}

/** The event names the workspace has received (counts, last seen). */
const useEventNames = cachedSuggestions<EventName>(() => api.eventNames().then((r) => r.events));
/** The workspace's tags. */
const useTagNames = cachedSuggestions<TagName>(() => api.tags().then((r) => r.tags));

/** The `event` setting: suggests the names this workspace has seen; a name never seen yet is flagged, since a
 * typo would make a journey that never starts. */
export function EventNameField({
  value,
  error,
  t,
  onChange,
  testName = "event",
}: {
  value: string;
  error?: string;
  t: FormProps["t"];
  onChange: (v: string) => void;
  /** Its test id is `setting-<testName>`: "event", or one per row when a form has several (action paths). */
  testName?: string;
}) {
  const listId = useId();
  const names = useEventNames();
  const { lang } = useI18n();
  const name = value.trim();
  const seen = names?.find((n) => n.name === name);
  const hint =
    !name || names === null ? undefined : seen ? (
      <span data-testid="event-seen" className="event-seen">
        {t("field.eventSeen", { n: seen.count.toLocaleString(lang), when: relativeTime(seen.last_seen, t) })}
      </span>
    ) : (
      <span data-testid="event-unseen" className="event-unseen">
        {t("field.eventUnseen")}
      </span>
    );
  return (
    <>
      <TextField
        name={testName}
        label={t("field.event")}
        placeholder={t("field.eventPlaceholder")}
        value={value}
        list={listId}
        error={error}
        hint={hint}
        onChange={onChange}
      />
      <datalist id={listId} data-testid="event-options">
        {(names ?? []).map((n) => (
          <option key={n.name} value={n.name} label={t("field.eventOption", { n: n.count.toLocaleString(lang), when: relativeTime(n.last_seen, t) })} />
        ))}
      </datalist>
    </>
  );
}

/** The `tag` setting: suggests the workspace's tags with how many customers carry each. */
export function TagNameField({ value, error, t, onChange }: { value: string; error?: string; t: FormProps["t"]; onChange: (v: string) => void }) {
  const listId = useId();
  const tags = useTagNames();
  const { lang } = useI18n();
  return (
    <>
      <TextField name="tag" label={t("field.tag")} placeholder={t("field.tagPlaceholder")} value={value} list={listId} error={error} onChange={onChange} />
      <datalist id={listId} data-testid="tag-options">
        {(tags ?? []).map((tag) => (
          <option key={tag.name} value={tag.name} label={t("field.tagOption", { n: tag.customers.toLocaleString(lang) })} />
        ))}
      </datalist>
    </>
  );
}

/** The time limit of a step that waits for something (`timeout_amount` / `timeout_unit`), under its hint. */
export function TimeoutSection({
  hint,
  settings,
  schema,
  t,
  fieldErrors,
  onChange,
}: Pick<FormProps, "settings" | "schema" | "t" | "fieldErrors" | "onChange"> & { hint: string }) {
  return (
    <div className="form-section">
      <h4 className="form-section-title">{t("field.timeout")}</h4>
      <p className="field-hint">{hint}</p>
      <DurationFields
        amountName="timeout_amount"
        unitName="timeout_unit"
        amountLabel={t("field.timeout_amount")}
        settings={settings}
        schema={schema}
        t={t}
        fieldErrors={fieldErrors}
        onChange={onChange}
      />
    </div>
  );
}

/** An amount and a unit side by side ("wait 3 days", "time out after 1 day"); units from the manifest. */
export function DurationFields({
  amountName,
  unitName,
  settings,
  schema,
  t,
  fieldErrors,
  onChange,
  amountLabel,
}: {
  amountName: string;
  unitName: string;
  settings: Settings;
  schema: JsonSchema;
  t: FormProps["t"];
  fieldErrors: Record<string, string>;
  onChange: (next: Settings) => void;
  amountLabel?: string;
}) {
  const units = enumAt(schema, unitName);
  const { min } = rangeAt(schema, amountName);
  const amount = settings[amountName];
  return (
    <div className="field-row">
      <NumberField
        name={amountName}
        label={amountLabel ?? t("field.amount")}
        min={min ?? 1}
        t={t}
        value={typeof amount === "number" ? amount : null}
        error={fieldErrors[amountName]}
        onChange={(v) => onChange({ ...settings, [amountName]: v })}
      />
      <SelectField
        name={unitName}
        label={t("field.unit")}
        value={String(settings[unitName] ?? units[0] ?? "")}
        options={units.map((u) => ({ value: u, label: t(`unit.${u}` as MessageKey) }))}
        error={fieldErrors[unitName]}
        onChange={(v) => onChange({ ...settings, [unitName]: v })}
      />
    </div>
  );
}

/** Whether a segmented choice's labels fit side by side in its width. When they do not (English phrases such as
 * "clicked a specific link" at the settings panel's width), the options stack one per line rather than one of
 * them wrapping alone onto a second row. Measured, because the labels' widths depend on the language; a label
 * keeps its one-line width in both layouts, so stacking does not change the answer (no back and forth). */
function useFitsInRow(ref: RefObject<HTMLDivElement>, labels: string): boolean {
  const [fits, setFits] = useState(true);
  useLayoutEffect(() => {
    const row = ref.current;
    if (!row) return;
    const px = (v: string) => parseFloat(v) || 0;
    const measure = () => {
      const box = getComputedStyle(row);
      const room = row.clientWidth - px(box.paddingLeft) - px(box.paddingRight);
      let need = 0;
      for (const segment of Array.from(row.children) as HTMLElement[]) {
        const s = getComputedStyle(segment);
        need += (segment.querySelector("span")?.offsetWidth ?? 0) + px(s.paddingLeft) + px(s.paddingRight);
      }
      setFits(need <= room + 0.5);
    };
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(measure);
    observer.observe(row);
    return () => observer.disconnect();
  }, [ref, labels]);
  return fits;
}

/** A small set of exclusive choices shown as a segmented control (radio buttons underneath). */
export function ChoiceField({
  name,
  label,
  value,
  options,
  error,
  onChange,
}: Base & { value: string; options: { value: string; label: string }[]; onChange: (v: string) => void }) {
  const id = useId();
  const row = useRef<HTMLDivElement>(null);
  const fits = useFitsInRow(row, options.map((o) => o.label).join("\n"));
  return (
    <fieldset className={`field choice-field${error ? " has-error" : ""}`} data-testid={`setting-${name}`} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{label}</legend>
      <div ref={row} className={`segmented${fits ? "" : " is-stacked"}`} role="radiogroup" aria-label={label} data-layout={fits ? "row" : "stacked"}>
        {options.map((o) => (
          <label key={o.value} className={`segment${o.value === value ? " is-on" : ""}`} data-testid={`setting-${name}-${o.value}`}>
            <input type="radio" name={`${id}-${name}`} value={o.value} checked={o.value === value} onChange={() => onChange(o.value)} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      <FieldError id={id} error={error} />
    </fieldset>
  );
}

/** Weekday toggles (Mon…Sun); the allowed values come from the manifest's enum. */
export function WeekdayField({
  name,
  label,
  days,
  value,
  error,
  t,
  onChange,
}: Base & { days: string[]; value: string[]; t: FormProps["t"]; onChange: (v: string[]) => void }) {
  const id = useId();
  return (
    <fieldset className={`field${error ? " has-error" : ""}`} data-testid={`setting-${name}`}>
      <legend>{label}</legend>
      <div className="weekday-toggles" role="group" aria-label={label}>
        {days.map((d) => {
          const on = value.includes(d);
          return (
            <button
              key={d}
              type="button"
              className={`weekday${on ? " is-on" : ""}`}
              aria-pressed={on}
              aria-label={t(`weekday.${d}` as MessageKey)}
              title={t(`weekday.${d}` as MessageKey)}
              data-testid={`setting-${name}-${d}`}
              onClick={() => onChange(on ? value.filter((x) => x !== d) : days.filter((x) => x === d || value.includes(x)))}
            >
              {t(`weekday.${d}.short` as MessageKey)}
            </button>
          );
        })}
      </div>
      <FieldError id={id} error={error} />
    </fieldset>
  );
}

/** A native date / time / date-time input (the browser's own picker, localised), with the time zone it is in
 * named beside it: the journey's (or `zone`), or the customer's with the journey's as fallback (`customerZone`);
 * `zone={null}` when the form names the zone once for several fields. */
export function DateTimeInput(
  props: Base & { kind: "date" | "time" | "datetime-local"; value: string; onChange: (v: string) => void; zone?: string | null; customerZone?: boolean },
) {
  const id = useId();
  const journeyZone = useJourneyZone();
  return (
    <Wrap id={id} {...props}>
      <div className="datetime-row">
        <input
          id={id}
          type={props.kind}
          data-testid={`setting-${props.name}`}
          value={props.value}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={[props.error ? `${id}-error` : "", props.zone === null ? "" : `${id}-zone`].filter(Boolean).join(" ") || undefined}
          onChange={(e) => props.onChange(e.target.value)}
        />
        {props.zone !== null && (
          <span id={`${id}-zone`}>
            <ZoneNote zone={props.zone ?? journeyZone} customer={props.customerZone} testId={`setting-${props.name}-zone`} />
          </span>
        )}
      </div>
    </Wrap>
  );
}

/** Where customers without the channel's address or consent go: shown on every send step whose manifest gives it an
 * `unreachable` output, and on no other (a webhook posts to its own URL, an in-app message waits for the app). */
export function UnreachableNote({ type, t }: { type: string; t: FormProps["t"] }) {
  if (!outputsFor(type, {}).some((o) => o.id === "unreachable")) return null;
  return (
    <p className="field-hint" data-testid="unreachable-hint">
      {t("send.unreachableHint")}
    </p>
  );
}
