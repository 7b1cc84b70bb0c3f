/** Multi-way split by a customer attribute's value: one branch per list of values (women / men) and the
 * mandatory "everyone else" branch, which the backend appends as the `default` output. */
import { AddBranchButton, BranchRow } from "./BranchRow";
import { chipsOf, nextNumberedId, savedValues, unnamedBranchName } from "./branches";
import { TextField } from "./fields";
import { rangeAt } from "./manifest";
import { str, type FormProps, type StepModule } from "./types";
import { ValueChips } from "./ValueChips";

interface Branch {
  id: string;
  label: string;
  values: unknown[];
}

function asBranches(v: unknown): Branch[] {
  return Array.isArray(v) ? v.map((b) => ({ id: str(b?.id), label: str(b?.label), values: Array.isArray(b?.values) ? b.values : [] })) : [];
}

const valuesText = (values: unknown[]) => chipsOf(values).map(String).join(", ");

function Form({ settings, onChange, t, fieldErrors, schema }: FormProps) {
  const branches = asBranches(settings.branches);
  const { max = 9 } = rangeAt(schema, "branches");
  const set = (next: Branch[]) => onChange({ ...settings, branches: next });
  const update = (i: number, patch: Partial<Branch>) => set(branches.map((b, j) => (j === i ? { ...b, ...patch } : b)));
  const branchErrors = Object.entries(fieldErrors).filter(([k]) => k === "branches" || k.startsWith("branches."));
  return (
    <>
      <TextField
        name="attribute"
        label={t("field.splitAttribute")}
        placeholder={t("field.splitAttributePlaceholder")}
        value={str(settings.attribute)}
        error={fieldErrors.attribute}
        onChange={(attribute) => onChange({ ...settings, attribute })}
      />
      <fieldset className={`field branches-editor${branchErrors.length ? " has-error" : ""}`} data-testid="setting-branches">
        <legend>{t("field.branches")}</legend>
        {branches.map((b, i) => (
          <BranchRow
            key={i}
            index={i}
            count={branches.length}
            min={1}
            className="split-row"
            label={b.label}
            placeholder={t("branch.namePlaceholder", { n: i + 1 })}
            t={t}
            onLabel={(label) => update(i, { label })}
            onRemove={() => set(branches.filter((_, j) => j !== i))}
          >
            <ValueChips
              chips={chipsOf(b.values)}
              testId={`branch-${i}-values`}
              label={`${t("branch.row", { n: i + 1 })}: ${t("branch.values")}`}
              placeholder={t("branch.valuesPlaceholder")}
              hint={t("branch.valuesHint")}
              removeLabel={(value) => t("branch.valueRemove", { value, n: i + 1 })}
              onChange={(chips) => update(i, { values: savedValues(chips) })}
            />
          </BranchRow>
        ))}
        <div className="branch-row split-row is-default" data-testid="branch-default">
          <span className="branch-dot tone-neutral" aria-hidden="true" />
          <span className="default-name">{t("handle.default")}</span>
          <span className="default-hint">{t("branch.defaultHint")}</span>
        </div>
        <p className="field-hint branch-hint">{t("branch.valuesHint")}</p>
        {branchErrors.map(([k, msg]) => (
          <div className="field-error" key={k}>
            {msg}
          </div>
        ))}
        <AddBranchButton
          count={branches.length}
          max={max}
          t={t}
          onClick={() => set([...branches, { id: nextNumberedId("branch", branches.map((b) => b.id)), label: "", values: [""] }])}
        />
      </fieldset>
    </>
  );
}

export const split: StepModule = {
  type: "split",
  icon: "branches",
  color: "split",
  summary: (s, t) => {
    const attribute = str(s.attribute).trim();
    const branches = asBranches(s.branches);
    if (!attribute) return t("summary.incomplete");
    return t("summary.split", { attribute, n: branches.length + 1 });
  },
  // An unnamed branch is called by its values ("female"), else by its place ("Branch 1"); the default branch by
  // its translation.
  outputLabel: (o, settings, t) => {
    const branches = asBranches(settings.branches);
    const i = branches.findIndex((x) => x.id === o.id);
    if (i < 0) return null;
    return valuesText(branches[i].values) || unnamedBranchName(o.id, i, t);
  },
  Form,
};
