/** Form parts the send steps of the newer channels share: a template field with the "Insert field" menu (as the
 * email form has), and the move / remove buttons of a list's rows. */
import { useRef, type ReactNode } from "react";
import { Icon } from "../components/Icon";
import type { MessageKey } from "../i18n";
import { TextAreaField, TextField } from "./fields";
import { InsertField, insertAt } from "./send_email";
import { placeholder } from "./templateText";
import type { FormProps } from "./types";

/** A template (one line, or a textarea with `rows`) with the "Insert field" menu, inserting at the caret. */
export function TemplateField({
  name,
  label,
  value,
  error,
  rows,
  placeholder: hintText,
  hint,
  t,
  onChange,
}: {
  name: string;
  label: string;
  value: string;
  error?: string;
  rows?: number;
  placeholder?: string;
  hint?: ReactNode;
  t: FormProps["t"];
  onChange: (v: string) => void;
}) {
  const inputRef = useRef<HTMLInputElement>(null);
  const areaRef = useRef<HTMLTextAreaElement>(null);
  const insert = (path: string) => {
    const el = rows ? areaRef.current : inputRef.current;
    const next = insertAt(el, value, placeholder(path));
    onChange(next.value);
    window.requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(next.caret, next.caret);
    });
  };
  const menu = (
    <span className="insert-row">
      <InsertField name={name} label={label} t={t} onPick={insert} />
      {hint && <span>{hint}</span>}
    </span>
  );
  return rows ? (
    <TextAreaField name={name} label={label} rows={rows} value={value} error={error} inputRef={areaRef} hint={menu} onChange={onChange} />
  ) : (
    <TextField name={name} label={label} placeholder={hintText} value={value} error={error} inputRef={inputRef} hint={menu} onChange={onChange} />
  );
}

/** `items` with the item at `from` moved to `to` (unchanged when `to` is outside the list). */
export function moveItem<T>(items: T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length || from === to) return items;
  const next = [...items];
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved);
  return next;
}

/** The up / down / remove buttons of row `i` of `count` (up / down left out without `onMove`). */
export function RowButtons({
  i,
  count,
  min,
  testPrefix,
  labels,
  t,
  onMove,
  onRemove,
}: {
  i: number;
  count: number;
  min: number;
  testPrefix: string;
  labels: { up?: MessageKey; down?: MessageKey; remove: MessageKey; min: MessageKey };
  t: FormProps["t"];
  onMove?: (to: number) => void;
  onRemove: () => void;
}) {
  const n = i + 1;
  return (
    <>
      {onMove && labels.up && labels.down && (
        <>
          <button
            type="button"
            className="icon-btn ghost path-up"
            data-testid={`${testPrefix}-up`}
            aria-label={t(labels.up, { n })}
            title={t(labels.up, { n })}
            disabled={i === 0}
            onClick={() => onMove(i - 1)}
          >
            <Icon name="chevronDown" size={14} />
          </button>
          <button
            type="button"
            className="icon-btn ghost"
            data-testid={`${testPrefix}-down`}
            aria-label={t(labels.down, { n })}
            title={t(labels.down, { n })}
            disabled={i === count - 1}
            onClick={() => onMove(i + 1)}
          >
            <Icon name="chevronDown" size={14} />
          </button>
        </>
      )}
      <button
        type="button"
        className="icon-btn ghost"
        data-testid={`${testPrefix}-remove`}
        aria-label={t(labels.remove, { n })}
        title={count <= min ? t(labels.min, { n: min }) : t(labels.remove, { n })}
        disabled={count <= min}
        onClick={onRemove}
      >
        <Icon name="x" size={14} />
      </button>
    </>
  );
}

/** The errors of row `i` of list `list`, keyed by the row's own field names (`text`, `buttons.0.url` …). */
export function rowErrors(fieldErrors: Record<string, string>, list: string, i: number): Record<string, string> {
  const prefix = `${list}.${i}.`;
  return Object.fromEntries(Object.entries(fieldErrors).flatMap(([k, v]) => (k.startsWith(prefix) ? [[k.slice(prefix.length), v]] : [])));
}
