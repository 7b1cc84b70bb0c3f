import type { Viewport } from "@xyflow/react";
import { describe, expect, it } from "vitest";
import { moveViewport, settleViewport, viewportMoveStarted } from "./viewportMove";

/** Records setViewport calls; an animated one resolves only when `finish` is called (as xyflow's at its end). */
function recorder() {
  const calls: [Viewport, { duration?: number } | undefined][] = [];
  let finish = () => {};
  const setViewport = (v: Viewport, o?: { duration?: number }) => {
    calls.push([v, o]);
    return o?.duration ? new Promise<boolean>((resolve) => (finish = () => resolve(true))) : Promise.resolve(true);
  };
  return { calls, setViewport, finish: () => finish() };
}
const TO = { x: 224, y: 33, zoom: 0.33 };
/** A canvas's store as each useStoreApi() call wraps it: a new object around the same getState. */
function canvas() {
  const getState = () => ({});
  return () => ({ getState });
}

describe("settleViewport", () => {
  it("ends a running move at its destination, at once, and only once", () => {
    const key = canvas()();
    const flow = recorder();
    void moveViewport(key, flow, TO, 300);
    viewportMoveStarted(key, false); // its animation begins
    expect(settleViewport(key, flow)).toBe(true);
    expect(flow.calls).toEqual([[TO, { duration: 300 }], [TO, undefined]]);
    expect(settleViewport(key, flow)).toBe(false);
  });
  it("leaves the view alone once the move has ended", async () => {
    const key = canvas()();
    const flow = recorder();
    const moved = moveViewport(key, flow, TO, 300);
    viewportMoveStarted(key, false);
    flow.finish();
    await moved;
    expect(settleViewport(key, flow)).toBe(false);
  });
  it("forgets a move the user or another move interrupted, and an instant move", () => {
    const key = canvas()();
    const flow = recorder();
    void moveViewport(key, flow, TO, 300);
    viewportMoveStarted(key, true); // the user pans before it even began
    expect(settleViewport(key, flow)).toBe(false);
    void moveViewport(key, flow, TO, 300);
    viewportMoveStarted(key, false);
    viewportMoveStarted(key, false); // a zoom button's move (or an instant one) interrupts it
    expect(settleViewport(key, flow)).toBe(false);
    void moveViewport(key, flow, TO, 0);
    expect(settleViewport(key, flow)).toBe(false);
    expect(flow.calls.map(([, o]) => o)).toEqual([{ duration: 300 }, { duration: 300 }, undefined]);
  });
  it("knows a canvas by its store, whichever hook's wrapper is passed, and keeps each canvas's move to itself", () => {
    const flow = recorder();
    const one = canvas();
    void moveViewport(one(), flow, TO, 300);
    expect(settleViewport(canvas()(), flow)).toBe(false);
    expect(settleViewport(one(), flow)).toBe(true);
  });
});
