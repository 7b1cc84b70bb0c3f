import { describe, expect, it } from "vitest";
import { viewportShift } from "./bannerInset";

describe("viewportShift", () => {
  it("keeps steps where they were on screen when the banner strip grows, if they stay in view", () => {
    expect(viewportShift(52, 300, 16)).toBe(-52);
  });
  it("never pushes the topmost step above the canvas's top edge: it moves down just enough", () => {
    expect(viewportShift(52, 48, 16)).toBe(-32); // the step ends 16 px below the new top edge
    expect(viewportShift(52, 10, 16)).toBe(0); // already close to the edge: the canvas simply moves down
  });
  it("keeps steps where they were when the strip shrinks", () => {
    expect(viewportShift(-52, 40, 16)).toBe(52);
    expect(viewportShift(30, null, 16)).toBe(-30);
  });
});
