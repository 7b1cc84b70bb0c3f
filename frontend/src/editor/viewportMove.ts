/** Animated viewport moves (fit to screen, bringing a new step into view) and where they are heading.
 *
 * A step clicked in the palette goes into free room in the view. While such a move still runs (auto-layout
 * fits the journey over 300 ms, from zoom 1 to about a third), the view on screen is one frame of the
 * animation, and the rest of the move then carries the new step out of sight. `settleViewport` ends the move
 * at its destination first, so the step is placed in the view that stays. */
import type { Viewport } from "@xyflow/react";

interface Mover {
  setViewport: (viewport: Viewport, options?: { duration?: number }) => Promise<boolean>;
}

/** A canvas: its xyflow store (`useStoreApi()`). That hook gives each caller its own wrapper object around the
 * one store, so a canvas is known by the store's `getState`, the same function in every wrapper. */
export interface CanvasStore {
  getState: () => unknown;
}

/** Per canvas: the running move's destination, and whether its animation began. */
const heading = new WeakMap<object, { to: Viewport; started: boolean }>();

/** Moves the viewport of `canvas` to `to`, animated over `duration` ms (0: at once). */
export function moveViewport(canvas: CanvasStore, flow: Mover, to: Viewport, duration: number): Promise<boolean> {
  const key = canvas.getState;
  heading.delete(key);
  if (!(duration > 0)) return flow.setViewport(to);
  const move = { to, started: false };
  heading.set(key, move);
  // Resolves when the animation has ended (never when something interrupted it: see viewportMoveStarted).
  return flow.setViewport(to, { duration }).finally(() => {
    if (heading.get(key) === move) heading.delete(key);
  });
}

/** Every start of a viewport move on `canvas` (xyflow's onMoveStart): the recorded move's own animation
 * beginning, or anything else — the user panning or zooming, a zoom button, an instant move — which interrupts
 * it, so its destination no longer counts. */
export function viewportMoveStarted(canvas: CanvasStore, byUser: boolean): void {
  const key = canvas.getState;
  const move = heading.get(key);
  if (move && !byUser && !move.started) move.started = true;
  else heading.delete(key);
}

/** Ends a move still running on `canvas` at its destination, at once; true when there was one. */
export function settleViewport(canvas: CanvasStore, flow: Mover): boolean {
  const key = canvas.getState;
  const move = heading.get(key);
  if (!move) return false;
  heading.delete(key);
  void flow.setViewport(move.to);
  return true;
}

/** The viewport that shows flow point `centre` in the middle of a canvas of `size`, at `zoom`. */
export function centredOn(centre: { x: number; y: number }, zoom: number, size: { width: number; height: number }): Viewport {
  return { x: size.width / 2 - centre.x * zoom, y: size.height / 2 - centre.y * zoom, zoom };
}
