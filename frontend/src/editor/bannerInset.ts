/** The banners above the canvas (problems, connection, conflict) take their own strip at its top, so they never
 * cover a step. When that strip grows or shrinks, the canvas below moves; the viewport is moved back by as much,
 * so the steps stay where they were on screen — except that the topmost step is never pushed above the canvas's
 * new top edge (it then moves down just enough to stay in view). */
import { useReactFlow } from "@xyflow/react";
import { useEffect } from "react";

/** Room kept between the canvas's top edge and the topmost step, in screen pixels. */
export const TOP_MARGIN = 24;

/**
 * What to add to the viewport's y when the strip changes height by `delta` (screen px; positive: it grew).
 * `topmostY` is where the topmost step is, in screen px from the canvas's top edge before the change (null: no
 * step). Pure, unit-tested.
 */
export function viewportShift(delta: number, topmostY: number | null, margin = TOP_MARGIN): number {
  if (delta <= 0 || topmostY === null) return -delta;
  return 0 - Math.max(0, Math.min(delta, topmostY - margin));
}

/** Keeps the steps in place (and in view) while the banner strip `strip` changes height. */
export function useSteadyCanvasUnderBanners(strip: HTMLElement | null) {
  const flow = useReactFlow();
  useEffect(() => {
    if (!strip || typeof ResizeObserver === "undefined") return;
    let height = strip.getBoundingClientRect().height;
    const observer = new ResizeObserver(() => {
      const next = strip.getBoundingClientRect().height;
      const delta = next - height;
      height = next;
      if (Math.abs(delta) < 0.5) return;
      const { x, y, zoom } = flow.getViewport();
      const nodes = flow.getNodes();
      const topmost = nodes.length ? Math.min(...nodes.map((n) => n.position.y)) * zoom + y : null;
      const dy = viewportShift(delta, topmost);
      if (dy !== 0) void flow.setViewport({ x, y: y + dy, zoom });
    });
    observer.observe(strip);
    return () => observer.disconnect();
  }, [strip, flow]);
}
