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

/** `ops` are the operators the manifest allows (`filters.op` enum); `emptyHint` says what no filter means here. */
export function FilterRows({
  filters,
  onChange,
  t,
  errors,
  ops,
  emptyHint,
  legend,
}: {
  filters: Filter[];
  onChange: (f: Filter[]) => void;
  t: TFunction;
  errors: Record<string, string>;
  ops: string[];
  emptyHint?: string;
  /** What the rows are for, when not a trigger's ("only count the event when…"). */
  legend?: string;
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
            data-testid={`filter-${i}-property`}
            aria-invalid={bad(i, "property")}
            aria-label={`${t("filter.row", { n: i + 1 })}: ${t("field.property")}`}
            placeholder={t("field.propertyPlaceholder")}
            value={f.property}
            onChange={(e) => update(i, { property: e.target.value })}
          />
          <select
            data-testid={`filter-${i}-op`}
            aria-invalid={bad(i, "op")}
            aria-label={`${t("filter.row", { n: i + 1 })}: ${t("field.op")}`}
            value={f.op}
            onChange={(e) => update(i, { op: e.target.value })}
          >
            {ops.map((op) => (
              <option key={op} value={op}>
                {t(`op.${op}` as MessageKey)}
              </option>
            ))}
          </select>
          <input
            type="text"
            data-testid={`filter-${i}-value`}
            aria-invalid={bad(i, "value")}
            aria-label={`${t("filter.row", { n: i + 1 })}: ${t("field.value")}`}
            placeholder={t("field.valuePlaceholder")}
            disabled={f.op === "exists"}
            value={str(f.value)}
            onChange={(e) => update(i, { value: parseValue(e.target.value) })}
          />
          <button
            type="button"
            className="icon-btn ghost"
            data-testid={`filter-${i}-remove`}
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
        data-testid="add-filter-button"
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
