/** Labelled form controls used by the step forms; each carries `data-testid="setting-<name>"`. */
import { useId, type ReactNode } from "react";
import type { FormProps } from "./types";

interface Base {
  name: string;
  label: string;
  error?: string;
  hint?: ReactNode;
}

function Wrap({ id, label, error, hint, children }: { id: string; label: string; error?: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <div className={`field${error ? " has-error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <div className="field-hint">{hint}</div>}
      {error && (
        <div className="field-error" id={`${id}-error`} role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

export function TextField(props: Base & { value: string; onChange: (v: string) => void; placeholder?: string; list?: string }) {
  const id = useId();
  return (
    <Wrap id={id} {...props}>
      <input
        id={id}
        type="text"
        data-testid={`setting-${props.name}`}
        value={props.value}
        placeholder={props.placeholder}
        list={props.list}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </Wrap>
  );
}

export function NumberField(props: Base & { value: number | null; min?: number; onChange: (v: number | null) => void }) {
  const id = useId();
  return (
    <Wrap id={id} {...props}>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        data-testid={`setting-${props.name}`}
        min={props.min}
        step={1}
        value={props.value ?? ""}
        aria-invalid={props.error ? true : undefined}
        onChange={(e) => {
          const n = parseInt(e.target.value, 10);
          props.onChange(Number.isFinite(n) ? n : null);
        }}
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

export function TextAreaField(props: Base & { value: string; rows?: number; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <Wrap id={id} {...props}>
      <textarea
        id={id}
        className="mono"
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

/** Suggestions for event names used by the demo traffic generator and typical shops. */
export const KNOWN_EVENTS = ["cart_updated", "purchase", "email_opened", "email_clicked", "signed_up", "page_viewed"];

function KnownEventsList({ id }: { id: string }) {
  return (
    <datalist id={id}>
      {KNOWN_EVENTS.map((e) => (
        <option key={e} value={e} />
      ))}
    </datalist>
  );
}

/** The `event` setting: a text field suggesting the event names the demo and most shops send. */
export function EventNameField({ value, error, t, onChange }: { value: string; error?: string; t: FormProps["t"]; onChange: (v: string) => void }) {
  const listId = useId();
  return (
    <>
      <TextField
        name="event"
        label={t("field.event")}
        placeholder={t("field.eventPlaceholder")}
        value={value}
        list={listId}
        error={error}
        onChange={onChange}
      />
      <KnownEventsList id={listId} />
    </>
  );
}
