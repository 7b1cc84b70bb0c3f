/** Snapshot-based undo/redo, pure of React (useGraphState keeps one, unit-tested in history.test.ts). A snapshot
 * is everything one undo step restores: the canvas (nodes, edges) and the journey's settings. */

export class History<S> {
  private past: S[] = [];
  private future: S[] = [];
  private last: { key: string; at: number } | null = null;

  /** `limit` snapshots are kept; edits with the same key within `coalesceMs` form one step (typing a word). */
  constructor(
    private readonly limit = 100,
    private readonly coalesceMs = 1200,
  ) {}

  /** Record `current` as the state to return to before an edit; false when the edit joins the previous step. */
  checkpoint(current: S, key?: string, now = Date.now()): boolean {
    if (key && this.last?.key === key && now - this.last.at < this.coalesceMs) {
      this.last.at = now;
      return false;
    }
    this.past.push(current);
    if (this.past.length > this.limit) this.past.shift();
    this.future = [];
    this.last = key ? { key, at: now } : null;
    return true;
  }

  /** The state to go back to (null when there is none); `current` becomes redoable. */
  undo(current: S): S | null {
    const s = this.past.pop();
    if (s === undefined) return null;
    this.future.push(current);
    this.last = null;
    return s;
  }

  redo(current: S): S | null {
    const s = this.future.pop();
    if (s === undefined) return null;
    this.past.push(current);
    this.last = null;
    return s;
  }

  clear(): void {
    this.past = [];
    this.future = [];
    this.last = null;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }
}

/** The top-level settings whose values differ (JSON-compared), sorted: the coalescing key of a settings edit, so
 * typing in one field is one undo step and a change of another field is the next. */
export function changedSettings(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}
