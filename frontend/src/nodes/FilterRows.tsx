/** Repeatable "property / operator / value" rows for trigger filters. */
import { Icon } from "../components/Icon";
import type { MessageKey, TFunction } from "../i18n";
import { enumAt } from "./manifest";
import { parseValue, str, type FormProps } from "./types";

export interface Filter {
  property: string;
  op: string;
  value?: unknown;
}

/** An operator select and its value ("equals" "Kaohsiung"), as filter rows and audience conditions show them;
 * the value is disabled for `exists`. Their test ids are `<testId>-op` / `-value`, their labels `<label>: …`. */
export function OpValueInputs({
  ops,
  op,
  value,
  testId,
  label,
  invalid,
  t,
  onChange,
}: {
  ops: string[];
  op: string;
  value: unknown;
  testId: string;
  label: string;
  invalid?: { op?: true; value?: true };
  t: TFunction;
  onChange: (patch: { op?: string; value?: unknown }) => void;
}) {
  return (
    <>
      <select
        data-testid={`${testId}-op`}
        aria-invalid={invalid?.op}
        aria-label={`${label}: ${t("field.op")}`}
        value={op}
        onChange={(e) => onChange({ op: e.target.value })}
      >
        {ops.map((o) => (
          <option key={o} value={o}>
            {t(`op.${o}` as MessageKey)}
          </option>
        ))}
      </select>
      <input
        type="text"
        data-testid={`${testId}-value`}
        aria-invalid={invalid?.value}
        aria-label={`${label}: ${t("field.value")}`}
        placeholder={t("field.valuePlaceholder")}
        disabled={op === "exists"}
        value={str(value)}
        title={str(value) || undefined}
        onChange={(e) => onChange({ value: parseValue(e.target.value) })}
      />
    </>
  );
}

/** `ops` are the operators the manifest allows (`filters.op` enum); `emptyHint` says what no filter means here. */
export function FilterRows({
  filters,
  onChange,
  t,
  errors,
  ops,
  emptyHint,
  legend,
  testPrefix = "filter",
}: {
  filters: Filter[];
  onChange: (f: Filter[]) => void;
  t: TFunction;
  errors: Record<string, string>;
  ops: string[];
  emptyHint?: string;
  /** What the rows are for, when not a trigger's ("only count the event when…"). */
  legend?: string;
  /** Test ids are `<testPrefix>-<i>-property` … and `add-<testPrefix>-button`: several rows in one form stay apart. */
  testPrefix?: string;
}) {
  const error = errors.filters;
  const bad = (i: number, part: string) => (errors[`filters.${i}.${part}`] ? true : undefined);
  const update = (i: number, patch: Partial<Filter>) => onChange(filters.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  return (
    <fieldset className={`field filter-rows${error ? " has-error" : ""}`}>
      <legend>{legend ?? t("field.filters")}</legend>
      {filters.length === 0 && <p className="field-hint">{emptyHint ?? t("field.filtersEmpty")}</p>}
      {filters.map((f, i) => (
        <div className="filter-row" key={i} role="group" aria-label={t("filter.row", { n: i + 1 })}>
          <input
            type="text"
            data-testid={`${testPrefix}-${i}-property`}
            aria-invalid={bad(i, "property")}
            aria-label={`${t("filter.row", { n: i + 1 })}: ${t("field.property")}`}
            placeholder={t("field.propertyPlaceholder")}
            value={f.property}
            onChange={(e) => update(i, { property: e.target.value })}
          />
          <OpValueInputs
            ops={ops}
            op={f.op}
            value={f.value}
            testId={`${testPrefix}-${i}`}
            label={t("filter.row", { n: i + 1 })}
            invalid={{ op: bad(i, "op"), value: bad(i, "value") }}
            t={t}
            onChange={(patch) => update(i, patch)}
          />
          <button
            type="button"
            className="icon-btn ghost"
            data-testid={`${testPrefix}-${i}-remove`}
            aria-label={t("filter.remove", { n: i + 1 })}
            title={t("filter.remove", { n: i + 1 })}
            onClick={() => onChange(filters.filter((_, j) => j !== i))}
          >
            <Icon name="x" size={14} />
          </button>
        </div>
      ))}
      {error && <div className="field-error">{error}</div>}
      {Object.entries(errors)
        .filter(([k]) => k.startsWith("filters."))
        .map(([k, msg]) => (
          <div className="field-error" key={k}>
            {msg}
          </div>
        ))}
      <button
        type="button"
        className="btn btn-sm btn-secondary"
        data-testid={`add-${testPrefix}-button`}
        onClick={() => onChange([...filters, { property: "", op: ops[0] ?? "eq", value: "" }])}
      >
        <Icon name="plus" size={14} />
        {t("filter.add")}
      </button>
    </fieldset>
  );
}

/** A step's `filters` setting as rows that narrow which events count ("only count the event when…"), with the
 * operators its schema allows; `emptyHint` says what no filter means for this step. */
export function EventFilterRows({
  settings,
  schema,
  t,
  fieldErrors,
  emptyHint,
  onChange,
}: Pick<FormProps, "settings" | "schema" | "t" | "fieldErrors" | "onChange"> & { emptyHint: string }) {
  const filters = Array.isArray(settings.filters) ? (settings.filters as Filter[]) : [];
  return (
    <FilterRows
      filters={filters}
      ops={enumAt(schema, "filters.op")}
      t={t}
      errors={fieldErrors}
      legend={t("field.filtersMatch")}
      emptyHint={emptyHint}
      onChange={(next) => onChange({ ...settings, filters: next })}
    />
  );
}
