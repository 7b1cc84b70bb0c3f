import { describe, expect, it } from "vitest";
import { changedSettings, History } from "./history";

type Snap = { nodes: string[]; settings: Record<string, unknown> };
const snap = (nodes: string[], settings: Record<string, unknown> = {}): Snap => ({ nodes, settings });

describe("History", () => {
  it("undoes and redoes a settings change like a graph change", () => {
    const h = new History<Snap>();
    let current = snap(["t"]);
    h.checkpoint(current);
    current = snap(["t", "w"]); // a step added
    h.checkpoint(current, "settings:reentry");
    current = snap(["t", "w"], { reentry: "once" }); // a journey setting changed
    expect(h.canUndo).toBe(true);

    current = h.undo(current) ?? current;
    expect(current).toEqual(snap(["t", "w"]));
    current = h.undo(current) ?? current;
    expect(current).toEqual(snap(["t"]));
    expect(h.undo(current)).toBeNull();

    current = h.redo(current) ?? current;
    current = h.redo(current) ?? current;
    expect(current).toEqual(snap(["t", "w"], { reentry: "once" }));
    expect(h.canRedo).toBe(false);
  });

  it("joins edits with the same key in a short time into one step", () => {
    const h = new History<Snap>(100, 1000);
    expect(h.checkpoint(snap([], { a: 1 }), "settings:a", 0)).toBe(true);
    expect(h.checkpoint(snap([], { a: 12 }), "settings:a", 500)).toBe(false);
    expect(h.checkpoint(snap([], { a: 123 }), "settings:b", 600)).toBe(true);
    expect(h.checkpoint(snap([], { a: 123 }), "settings:b", 5000)).toBe(true);
  });

  it("forgets the redo steps on a new edit, and the oldest past the limit", () => {
    const h = new History<number>(2);
    h.checkpoint(1);
    h.checkpoint(2);
    h.checkpoint(3);
    expect(h.undo(4)).toBe(3);
    h.checkpoint(3);
    expect(h.canRedo).toBe(false);
    expect(h.undo(4)).toBe(3);
    expect(h.undo(3)).toBe(2);
    expect(h.undo(2)).toBeNull();
  });
});

describe("changedSettings", () => {
  it("names the top-level settings that differ", () => {
    expect(changedSettings({ reentry: "always", timezone: "Asia/Taipei" }, { reentry: "once", timezone: "Asia/Taipei" })).toEqual(["reentry"]);
    expect(changedSettings({ quiet_hours: { start: "21:00" } }, { quiet_hours: { start: "22:00" }, end_at: null })).toEqual(["end_at", "quiet_hours"]);
    expect(changedSettings({}, {})).toEqual([]);
  });
});
