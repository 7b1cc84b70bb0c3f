/** Semantic zoom and a fit view that stays readable. Pure, so it is unit-tested.
 *
 * Near (zoom ≥ FAR_ZOOM) a step shows its whole card: type, name, summary, every number. Below FAR_ZOOM that
 * 12–13 px text would be under 11 px on screen, so a step shows only its name and its key number, in type large
 * enough (FAR_NAME_PX) to stay readable down to READABLE_ZOOM. "Fit to screen" never zooms out further than
 * READABLE_ZOOM: a journey too big for the screen at that zoom is shown from its entry (top), centred on it,
 * and the minimap shows the rest. */
export const FAR_ZOOM = 0.82;
/** The far form's name size, in canvas pixels (see nodes.css `.step-far-name`). */
export const FAR_NAME_PX = 34;
/** The smallest zoom "fit to screen" uses: the far form's names render at ≥ 11 px on screen. */
export const READABLE_ZOOM = 0.33;
export const MAX_FIT_ZOOM = 1;

export const isFar = (s: { transform: [number, number, number] }) => s.transform[2] < FAR_ZOOM;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Fit-view margins in screen pixels: the minimap sits in the bottom-right corner (the right keeps it clear), the
 * zoomed-out legend at the bottom. */
export const FIT_PADDING = { top: 40, left: 48, bottom: 56, right: 196 };

/**
 * The viewport that shows `bounds` (canvas coordinates) in a `screen` of that size: everything, centred, when
 * that is possible at READABLE_ZOOM or closer; otherwise at READABLE_ZOOM, centred across and from the top (the
 * journey's entry) down.
 */
export function readableFit(
  bounds: Rect,
  screen: { width: number; height: number },
  padding: typeof FIT_PADDING = FIT_PADDING,
  /** The x (canvas) of the journey's entry: a journey too wide to show whole is centred on it. */
  entryX?: number,
): { x: number; y: number; zoom: number } {
  const room = { width: Math.max(1, screen.width - padding.left - padding.right), height: Math.max(1, screen.height - padding.top - padding.bottom) };
  const fit = Math.min(room.width / Math.max(1, bounds.width), room.height / Math.max(1, bounds.height));
  const zoom = Math.min(MAX_FIT_ZOOM, Math.max(READABLE_ZOOM, fit));
  const across = padding.left + (room.width - bounds.width * zoom) / 2 - bounds.x * zoom;
  // Too wide even so: centred on the entry (the trigger), without leaving blank space at either side.
  const wide = bounds.width * zoom > room.width;
  const leftmost = padding.left + room.width - (bounds.x + bounds.width) * zoom;
  const rightmost = padding.left - bounds.x * zoom;
  const onEntry = entryX === undefined ? rightmost : padding.left + room.width / 2 - entryX * zoom;
  const x = wide ? Math.min(rightmost, Math.max(leftmost, onEntry)) : across;
  const tall = bounds.height * zoom > room.height;
  const y = tall ? padding.top - bounds.y * zoom : padding.top + (room.height - bounds.height * zoom) / 2 - bounds.y * zoom;
  return { x, y, zoom };
}
