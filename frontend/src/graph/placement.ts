/** Where a clicked palette step goes: the next free spot below the selection (or below the view's centre),
 * and whether to connect it. Pure, so it is unit-tested. */

export interface Box {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export const GAP_Y = 64;
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
