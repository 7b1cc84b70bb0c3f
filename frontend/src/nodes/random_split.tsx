/** Random split (A/B/n): 2–10 branches whose percentages add up to 100, with a live remainder. */
import { AddBranchButton, BranchRow } from "./BranchRow";
import { remainder, evenPercents, nextLetterId, unnamedBranchName } from "./branches";
import { parseWhole, useWholeNumberText } from "./fields";
import { rangeAt } from "./manifest";
import { str, type FormProps, type StepModule } from "./types";

interface Branch {
  id: string;
  label: string;
  percent: number | null;
}

function asBranches(v: unknown): Branch[] {
  return Array.isArray(v) ? v.map((b) => ({ id: str(b?.id), label: str(b?.label), percent: typeof b?.percent === "number" ? b.percent : null })) : [];
}

function Form({ settings, onChange, t, fieldErrors, schema }: FormProps) {
  const branches = asBranches(settings.branches);
  const { min = 2, max = 10 } = rangeAt(schema, "branches");
  const { total, left } = remainder(branches);
  const set = (next: Branch[]) => onChange({ ...settings, branches: next });
  const update = (i: number, patch: Partial<Branch>) => set(branches.map((b, j) => (j === i ? { ...b, ...patch } : b)));
  const state = left === 0 ? "ok" : left > 0 ? "under" : "over";
  const error = fieldErrors.branches;
  return (
    <fieldset className={`field branches-editor${error ? " has-error" : ""}`} data-testid="setting-branches">
      <legend>{t("field.branches")}</legend>
      <div className="branch-head" aria-hidden="true">
        <span>{t("branch.name")}</span>
        <span>{t("branch.share")}</span>
      </div>
      {branches.map((b, i) => (
        <BranchRow
          key={i}
          index={i}
          count={branches.length}
          min={min}
          label={b.label}
          placeholder={b.id.toUpperCase()}
          t={t}
          onLabel={(label) => update(i, { label })}
          onRemove={() => set(branches.filter((_, j) => j !== i))}
        >
          <PercentInput
            value={b.percent}
            label={`${t("branch.row", { n: i + 1 })}: ${t("branch.share")}`}
            testId={`branch-${i}-percent`}
            t={t}
            onChange={(percent) => update(i, { percent })}
          />
        </BranchRow>
      ))}
      <div className={`remainder is-${state}`} data-testid="percent-remainder" data-total={total} data-left={left} role="status" aria-live="polite">
        <div className="remainder-bar" aria-hidden="true">
          {branches.map((b, i) => (
            <span key={i} className={`tone-branch branch-${i % 10}`} style={{ width: `${Math.max(0, Math.min(100, b.percent ?? 0))}%` }} />
          ))}
        </div>
        <span className="remainder-text">
          {state === "ok" ? t("branch.sumOk") : state === "under" ? t("branch.sumUnder", { total, left }) : t("branch.sumOver", { total, over: -left })}
        </span>
      </div>
      {error && <div className="field-error">{error}</div>}
      <div className="row-gap">
        <AddBranchButton
          count={branches.length}
          max={max}
          t={t}
          onClick={() => {
            const id = nextLetterId(branches.map((b) => b.id));
            set([...branches, { id, label: id.toUpperCase(), percent: left > 0 ? left : 0 }]);
          }}
        />
        <button
          type="button"
          className="btn btn-sm btn-ghost"
          data-testid="even-split-button"
          onClick={() => {
            const p = evenPercents(branches.length);
            set(branches.map((b, i) => ({ ...b, percent: p[i] })));
          }}
        >
          {t("branch.even")}
        </button>
      </div>
    </fieldset>
  );
}

function percent(text: string): { value: number | null; problem: "notWhole" | "tooSmall" | "tooLarge" | null } {
  const p = parseWhole(text, 0);
  return p.problem === null && (p.value ?? 0) > 100 ? { value: null, problem: "tooLarge" } : p;
}

/** A whole percentage 0–100; "12.5" or 120 is refused with a message, never rounded or clipped. */
function PercentInput({ value, label, testId, t, onChange }: { value: number | null; label: string; testId: string; t: FormProps["t"]; onChange: (v: number | null) => void }) {
  const { raw, problem, onText } = useWholeNumberText(value, percent, onChange);
  const bad = problem !== null;
  return (
    <span className={`percent-input${bad ? " is-bad" : ""}`} title={bad ? t("field.percentRange") : undefined}>
      <input
        type="text"
        inputMode="numeric"
        data-testid={testId}
        aria-label={label}
        aria-invalid={bad || undefined}
        value={raw}
        onChange={(e) => onText(e.target.value)}
      />
      <span className="percent-sign" aria-hidden="true">%</span>
    </span>
  );
}

export const randomSplit: StepModule = {
  type: "random_split",
  icon: "shuffle",
  color: "split",
  summary: (s, t) => {
    const branches = asBranches(s.branches);
    if (branches.length < 2) return t("summary.incomplete");
    return t("summary.randomSplit", { parts: branches.map((b, i) => `${b.label || unnamedBranchName(b.id, i, t)} ${b.percent ?? "?"}%`).join(" · ") });
  },
  outputLabel: (o, settings, t) => {
    const i = asBranches(settings.branches).findIndex((b) => b.id === o.id);
    return unnamedBranchName(o.id, Math.max(0, i), t);
  },
  Form,
};
