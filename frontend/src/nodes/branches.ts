/** Pure helpers for the split forms' branch lists (unit-tested in branches.test.ts). */

export interface PercentBranch {
  id: string;
  label: string;
  percent: number | null;
}

/** Sum of the percentages typed so far and what is left to reach 100 (negative: over). */
export function remainder(branches: { percent: unknown }[]): { total: number; left: number } {
  const total = branches.reduce((a, b) => a + (typeof b.percent === "number" ? b.percent : 0), 0);
  return { total, left: 100 - total };
}

/** Whole percentages as even as possible, the first ones taking the extra points (3 → 34, 33, 33). */
export function evenPercents(n: number): number[] {
  const base = Math.floor(100 / n);
  return Array.from({ length: n }, (_, i) => base + (i < 100 - base * n ? 1 : 0));
}

/** The next unused branch id for random splits: a, b, c … */
export function nextLetterId(taken: string[]): string {
  for (let i = 0; i < 26; i++) {
    const id = String.fromCharCode(97 + i);
    if (!taken.includes(id)) return id;
  }
  return nextNumberedId("branch", taken);
}

/** What an unnamed branch is called: a random split's letter ("A"), else "Branch 2" / "分支 2" by its place —
 * never its id ("branch_1"). `t` translates `branch.row`. */
export function unnamedBranchName(id: string, index: number, t: (key: "branch.row", vars: { n: number }) => string): string {
  return /^[a-z]$/i.test(id) ? id.toUpperCase() : t("branch.row", { n: index + 1 });
}

/** The next unused id "branch_1", "branch_2" … */
export function nextNumberedId(prefix: string, taken: string[]): string {
  for (let i = 1; ; i++) if (!taken.includes(`${prefix}_${i}`)) return `${prefix}_${i}`;
}

/** Values typed as "female, F" → ["female", "F"]; numbers stay numbers. */
export function parseValues(text: string): (string | number)[] {
  return text
    .split(/[,，、]/)
    .map((v) => v.trim())
    .filter((v) => v !== "")
    .map((v) => (/^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v));
}

/** A branch's values as chips: what the marketer entered, without the empty placeholder of a new branch. */
export function chipsOf(values: unknown[]): (string | number)[] {
  return values.filter((v): v is string | number => (typeof v === "string" && v.trim() !== "") || typeof v === "number");
}

/** The values saved for these chips: the backend wants at least one, so no chip is saved as `[""]` (as a new
 * branch starts), which the editor shows as no chip. */
export function savedValues(chips: (string | number)[]): (string | number)[] {
  return chips.length ? chips : [""];
}

/** Chips after committing typed text ("female, F" adds two; numbers stay numbers); a value already there is not
 * added twice. */
export function addChips(chips: (string | number)[], text: string): (string | number)[] {
  const out = [...chips];
  for (const v of parseValues(text)) if (!out.some((c) => String(c) === String(v))) out.push(v);
  return out;
}

/** Typed text split at its last separator: what before it is complete (becomes chips), the rest is still being
 * typed. */
export function splitTyped(text: string): { complete: string; rest: string } {
  const m = /^(.*)[,，、](.*)$/s.exec(text);
  return m ? { complete: m[1], rest: m[2] } : { complete: "", rest: text };
}
