/** Action paths: wait for the first of several events (accept / decline a coupon), one output per path plus
 * "Timed out". Each path has a name the marketer types, an event with optional property filters and optional
 * "same as the starting event" properties; its output handle is the path's id, so renaming or reordering a path
 * keeps its connection. */
import { Icon } from "../components/Icon";
import { nextNumberedId } from "./branches";
import { EventNameField, TimeoutSection } from "./fields";
import { FilterRows, type Filter } from "./FilterRows";
import { enumAt, rangeAt } from "./manifest";
import { str, type FormProps, type StepModule } from "./types";
import { durationText } from "./wait";
import { SameAsTrigger } from "./wait_for_event";

export interface ActionPath {
  id: string;
  label: string;
  event: string;
  filters: Filter[];
  same_as_trigger: string[];
}

export function asPaths(v: unknown): ActionPath[] {
  return Array.isArray(v)
    ? v.map((p) => ({
        id: str(p?.id),
        label: str(p?.label),
        event: str(p?.event),
        filters: Array.isArray(p?.filters) ? (p.filters as Filter[]) : [],
        same_as_trigger: Array.isArray(p?.same_as_trigger) ? p.same_as_trigger.map(str) : [],
      }))
    : [];
}

/** `paths` with the path at `from` moved to `to` (ids, and so connections, unchanged). */
export function movePath<T>(paths: T[], from: number, to: number): T[] {
  if (to < 0 || to >= paths.length || from === to) return paths;
  const next = [...paths];
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved);
  return next;
}

/** A new, empty path with an unused id (path_1, path_2 …). */
export function newPath(paths: { id: string }[]): ActionPath {
  return { id: nextNumberedId("path", paths.map((p) => p.id)), label: "", event: "", filters: [], same_as_trigger: [] };
}

/** The errors of path `i` keyed as its rows expect them (`filters`, `filters.0.value` …). */
function pathErrors(fieldErrors: Record<string, string>, i: number): Record<string, string> {
  const prefix = `paths.${i}.`;
  return Object.fromEntries(Object.entries(fieldErrors).flatMap(([k, v]) => (k.startsWith(prefix) ? [[k.slice(prefix.length), v]] : [])));
}

function PathCard({
  path: p,
  index: i,
  count,
  min,
  errors,
  ops,
  t,
  onChange,
  onMove,
  onRemove,
}: {
  path: ActionPath;
  index: number;
  count: number;
  min: number;
  errors: Record<string, string>;
  ops: string[];
  t: FormProps["t"];
  onChange: (patch: Partial<ActionPath>) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const name = t("path.row", { n: i + 1 });
  return (
    <div className={`action-path${Object.keys(errors).length ? " has-error" : ""}`} role="group" aria-label={name} data-testid={`path-${i}`}>
      <div className="branch-row action-path-head">
        <span className={`branch-dot tone-branch branch-${i % 10}`} aria-hidden="true" />
        <input
          type="text"
          data-testid={`path-${i}-label`}
          aria-label={`${name}: ${t("path.name")}`}
          aria-invalid={errors.label ? true : undefined}
          placeholder={t("path.namePlaceholder")}
          maxLength={60}
          value={p.label}
          onChange={(e) => onChange({ label: e.target.value })}
        />
        <button
          type="button"
          className="icon-btn ghost path-up"
          data-testid={`path-${i}-up`}
          aria-label={t("path.moveUp", { n: i + 1 })}
          title={t("path.moveUp", { n: i + 1 })}
          disabled={i === 0}
          onClick={() => onMove(i - 1)}
        >
          <Icon name="chevronDown" size={14} />
        </button>
        <button
          type="button"
          className="icon-btn ghost"
          data-testid={`path-${i}-down`}
          aria-label={t("path.moveDown", { n: i + 1 })}
          title={t("path.moveDown", { n: i + 1 })}
          disabled={i === count - 1}
          onClick={() => onMove(i + 1)}
        >
          <Icon name="chevronDown" size={14} />
        </button>
        <button
          type="button"
          className="icon-btn ghost"
          data-testid={`path-${i}-remove`}
          aria-label={t("path.remove", { n: i + 1 })}
          title={count <= min ? t("path.minReached", { n: min }) : t("path.remove", { n: i + 1 })}
          disabled={count <= min}
          onClick={onRemove}
        >
          <Icon name="x" size={14} />
        </button>
      </div>
      {errors.label && <div className="field-error">{errors.label}</div>}
      <EventNameField testName={`path-${i}-event`} value={p.event} error={errors.event} t={t} onChange={(event) => onChange({ event })} />
      <FilterRows
        filters={p.filters}
        ops={ops}
        t={t}
        errors={errors}
        legend={t("field.filtersMatch")}
        emptyHint={t("field.filtersEmptyAny")}
        testPrefix={`path-${i}-filter`}
        onChange={(filters) => onChange({ filters })}
      />
      <SameAsTrigger
        value={p.same_as_trigger}
        t={t}
        error={errors.same_as_trigger}
        testPrefix={`path-${i}-same`}
        onChange={(same_as_trigger) => onChange({ same_as_trigger })}
      />
    </div>
  );
}

function Form({ settings, onChange, t, fieldErrors, schema }: FormProps) {
  const paths = asPaths(settings.paths);
  const { min = 1, max = 8 } = rangeAt(schema, "paths");
  const ops = enumAt(schema, "paths.filters.op");
  const set = (next: ActionPath[]) => onChange({ ...settings, paths: next });
  const update = (i: number, patch: Partial<ActionPath>) => set(paths.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  const listError = fieldErrors.paths;
  return (
    <>
      <fieldset className={`field branches-editor action-paths-editor${listError ? " has-error" : ""}`} data-testid="setting-paths">
        <legend>{t("field.paths")}</legend>
        <p className="field-hint">{t("path.hint")}</p>
        {paths.map((p, i) => (
          <PathCard
            key={p.id || i}
            path={p}
            index={i}
            count={paths.length}
            min={min}
            errors={pathErrors(fieldErrors, i)}
            ops={ops}
            t={t}
            onChange={(patch) => update(i, patch)}
            onMove={(to) => set(movePath(paths, i, to))}
            onRemove={() => set(paths.filter((_, j) => j !== i))}
          />
        ))}
        {listError && <div className="field-error">{listError}</div>}
        <button
          type="button"
          className="btn btn-sm btn-secondary"
          data-testid="add-path-button"
          disabled={paths.length >= max}
          title={paths.length >= max ? t("path.maxReached", { n: max }) : undefined}
          onClick={() => set([...paths, newPath(paths)])}
        >
          <Icon name="plus" size={14} />
          {t("path.add")}
        </button>
      </fieldset>
      <TimeoutSection hint={t("path.timeoutHint")} settings={settings} schema={schema} t={t} fieldErrors={fieldErrors} onChange={onChange} />
    </>
  );
}

export const actionPaths: StepModule = {
  type: "action_paths",
  icon: "route",
  color: "wait",
  summary: (s, t) => {
    const paths = asPaths(s.paths);
    const limit = durationText(s.timeout_amount, s.timeout_unit, t);
    if (!paths.length || paths.some((p) => !p.event.trim())) return t("summary.incomplete");
    if (!limit) return t("summary.actionPathsNoTimeout", { n: paths.length });
    return t("summary.actionPaths", { n: paths.length, limit });
  },
  // An unnamed path is called by its place ("Path 2" / 「路徑 2」), never by its id.
  outputLabel: (o, settings, t) => {
    const i = asPaths(settings.paths).findIndex((p) => p.id === o.id);
    return i < 0 ? null : t("path.row", { n: i + 1 });
  },
  Form,
};
