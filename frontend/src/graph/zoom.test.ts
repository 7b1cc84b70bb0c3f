import { describe, expect, it } from "vitest";
import { FAR_NAME_PX, FAR_ZOOM, FIT_PADDING, MAX_FIT_ZOOM, READABLE_ZOOM, readableFit } from "./zoom";

const screen = { width: 760, height: 600 }; // the canvas of a 1280×720 window, roughly

describe("readableFit", () => {
  it("zoomed out as far as it goes, names still render at 11 px or more", () => {
    expect(FAR_NAME_PX * READABLE_ZOOM).toBeGreaterThanOrEqual(11);
    expect(READABLE_ZOOM).toBeLessThan(FAR_ZOOM);
  });

  it("shows a small journey whole and centred, never magnified past 100 %", () => {
    const v = readableFit({ x: 0, y: 0, width: 300, height: 200 }, screen);
    expect(v.zoom).toBe(MAX_FIT_ZOOM);
    const left = v.x;
    const right = screen.width - (v.x + 300 * v.zoom);
    expect(left - FIT_PADDING.left).toBeCloseTo(right - FIT_PADDING.right);
  });

  it("fits a journey that can be read whole at a smaller zoom", () => {
    const v = readableFit({ x: 100, y: 50, width: 1000, height: 1000 }, screen);
    const room = Math.min(760 - FIT_PADDING.left - FIT_PADDING.right, 600 - FIT_PADDING.top - FIT_PADDING.bottom);
    expect(v.zoom).toBeCloseTo(room / 1000);
    expect(v.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
  });

  it("a journey too big to read whole starts at its entry, at the readable zoom", () => {
    const bounds = { x: -400, y: 20, width: 3000, height: 4000 };
    const v = readableFit(bounds, screen);
    expect(v.zoom).toBe(READABLE_ZOOM);
    // The top of the journey (its trigger) sits just under the top margin, its left edge at the left margin.
    expect(v.y + bounds.y * v.zoom).toBeCloseTo(FIT_PADDING.top);
    expect(v.x + bounds.x * v.zoom).toBeCloseTo(FIT_PADDING.left);
  });

  it("a journey too wide to show whole is centred on its entry, never past its edges", () => {
    const bounds = { x: 0, y: 0, width: 3000, height: 4000 };
    const centre = (v: { x: number; zoom: number }, x: number) => v.x + x * v.zoom;
    const middle = FIT_PADDING.left + (screen.width - FIT_PADDING.left - FIT_PADDING.right) / 2;
    expect(centre(readableFit(bounds, screen, FIT_PADDING, 1500), 1500)).toBeCloseTo(middle);
    // An entry near the left edge: the journey's left edge stays at the margin (no blank space before it).
    expect(readableFit(bounds, screen, FIT_PADDING, 100).x).toBeCloseTo(FIT_PADDING.left);
    // Near the right edge: the right edge stays at the right margin.
    const v = readableFit(bounds, screen, FIT_PADDING, 2950);
    expect(v.x + 3000 * v.zoom).toBeCloseTo(screen.width - FIT_PADDING.right);
  });

  it("a tall but narrow journey is centred across and starts at the top", () => {
    const bounds = { x: 0, y: 0, width: 300, height: 5000 };
    const v = readableFit(bounds, screen);
    expect(v.zoom).toBe(READABLE_ZOOM);
    expect(v.y).toBeCloseTo(FIT_PADDING.top);
    const left = v.x - FIT_PADDING.left;
    const right = screen.width - FIT_PADDING.right - (v.x + 300 * v.zoom);
    expect(left).toBeCloseTo(right);
  });
});
