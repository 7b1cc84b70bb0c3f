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
