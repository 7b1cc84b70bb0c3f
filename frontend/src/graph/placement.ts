/** Where a clicked palette step goes: the next free spot below the selection (or below the view's centre),
 * and whether to connect it. Pure, so it is unit-tested. */

export interface Box {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

// Below a step: its branch chips (≈ 24 px) and a branch label over the next step (≈ 42 px zoomed out).
export const GAP_Y = 88;
const MARGIN = 16;

function overlaps(a: { x: number; y: number; width: number; height: number }, b: Box): boolean {
  return a.x < b.x + b.width + MARGIN && b.x < a.x + a.width + MARGIN && a.y < b.y + b.height + MARGIN && b.y < a.y + a.height + MARGIN;
}

/** The first spot at or below `start` (stepping down) where a node of `size` overlaps no other node. */
export function freeSpotBelow(start: { x: number; y: number }, size: { width: number; height: number }, others: Box[]): { x: number; y: number } {
  let y = start.y;
  for (let i = 0; i < 200; i++) {
    const hit = others.find((o) => overlaps({ x: start.x, y, width: size.width, height: size.height }, o));
    if (!hit) return { x: start.x, y };
    y = hit.y + hit.height + GAP_Y;
  }
  return { x: start.x, y };
}

/** Spot for a new step under `anchor` (the selected step), aligned with it. */
export function placeBelow(anchor: Box, size: { width: number; height: number }, others: Box[]): { x: number; y: number } {
  const x = anchor.x + (anchor.width - size.width) / 2;
  return freeSpotBelow({ x, y: anchor.y + anchor.height + GAP_Y }, size, others.filter((o) => o.id !== anchor.id));
}

/** The anchor's output to connect a new step to: only when exactly one of its outputs is still free. */
export function autoConnectHandle(outputs: string[], usedHandles: string[], newHasInput: boolean): string | null {
  if (!newHasInput) return null;
  const free = outputs.filter((h) => !usedHandles.includes(h));
  return free.length === 1 ? free[0] : null;
}

/** Whether `box` lies wholly inside `view` (canvas coordinates). */
export function insideView(box: { x: number; y: number; width: number; height: number }, view: { x: number; y: number; width: number; height: number }): boolean {
  return box.x >= view.x && box.y >= view.y && box.x + box.width <= view.x + view.width && box.y + box.height <= view.y + view.height;
}

/** A free spot for a new step inside the visible part of the canvas (`view`, canvas coordinates): row by row
 * from the top, each row from the centre outwards; null when the view has no room (the caller then places it
 * below everything and brings it into view). */
export function spotInView(view: { x: number; y: number; width: number; height: number }, size: { width: number; height: number }, others: Box[], step = 24): { x: number; y: number } | null {
  const centre = view.x + (view.width - size.width) / 2;
  const maxX = view.x + view.width - size.width;
  const maxY = view.y + view.height - size.height;
  for (let y = view.y; y <= maxY; y += step) {
    for (let k = 0; ; k++) {
      const offsets = k === 0 ? [0] : [-k * step, k * step];
      const xs = offsets.map((o) => centre + o).filter((x) => x >= view.x && x <= maxX);
      if (!xs.length) break;
      for (const x of xs) {
        const spot = { x: Math.round(x), y: Math.round(y) };
        if (!others.some((o) => overlaps({ ...spot, ...size }, o))) return spot;
      }
    }
  }
  return null;
}
