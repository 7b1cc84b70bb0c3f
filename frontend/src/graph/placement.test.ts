import { describe, expect, it } from "vitest";
import { autoConnectHandle, freeSpotBelow, GAP_Y, insideView, placeBelow, spotInView } from "./placement";

const size = { width: 248, height: 90 };

describe("placeBelow", () => {
  it("puts the new step under the selection, aligned", () => {
    const anchor = { id: "a", x: 100, y: 50, width: 248, height: 90 };
    expect(placeBelow(anchor, size, [anchor])).toEqual({ x: 100, y: 50 + 90 + GAP_Y });
  });
  it("skips down past steps already there instead of stacking on them", () => {
    const anchor = { id: "a", x: 100, y: 0, width: 248, height: 90 };
    const taken = { id: "b", x: 110, y: 154, width: 248, height: 90 };
    const spot = placeBelow(anchor, size, [anchor, taken]);
    expect(spot.y).toBe(154 + 90 + GAP_Y);
    // Clicking again lands lower still: never on top of the previous one.
    const next = placeBelow(anchor, size, [anchor, taken, { id: "c", ...spot, ...size }]);
    expect(next.y).toBeGreaterThan(spot.y + size.height);
  });
});

describe("freeSpotBelow", () => {
  it("keeps the spot when nothing is there", () => {
    expect(freeSpotBelow({ x: 0, y: 0 }, size, [{ id: "far", x: 600, y: 0, width: 248, height: 90 }])).toEqual({ x: 0, y: 0 });
  });
});

describe("autoConnectHandle", () => {
  it("connects only when exactly one output is free", () => {
    expect(autoConnectHandle(["next"], [], true)).toBe("next");
    expect(autoConnectHandle(["next"], ["next"], true)).toBeNull();
    expect(autoConnectHandle(["yes", "no"], [], true)).toBeNull();
    expect(autoConnectHandle(["yes", "no"], ["yes"], true)).toBe("no");
    expect(autoConnectHandle(["next"], [], false)).toBeNull();
  });
});

describe("spotInView", () => {
  const view = { x: 1000, y: 2000, width: 800, height: 600 };
  it("puts a clicked step at the top centre of what is on screen when that is free", () => {
    expect(spotInView(view, size, [])).toEqual({ x: 1000 + (800 - 248) / 2, y: 2000 });
  });
  it("finds free room inside the view around the steps already there", () => {
    const taken = [{ id: "a", x: 1200, y: 2000, width: 400, height: 300 }];
    const spot = spotInView(view, size, taken);
    expect(spot).not.toBeNull();
    const box = { ...(spot as { x: number; y: number }), ...size };
    expect(insideView(box, view)).toBe(true);
    expect(box.x + box.width <= 1200 || box.x >= 1600 || box.y >= 2300).toBe(true);
  });
  it("gives up when the view is full (the caller places it below and scrolls to it)", () => {
    expect(spotInView(view, size, [{ id: "all", ...view }])).toBeNull();
    expect(spotInView({ x: 0, y: 0, width: 100, height: 50 }, size, [])).toBeNull();
  });
});
