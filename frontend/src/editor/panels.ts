/** The editor's closable side panels. Escape closes one at a time, the topmost first, through useShortcuts alone
 * (a panel listening for Escape itself would close together with every other). Pure, unit-tested. */

/** Topmost first: the order they stack on screen (z-index in editor.css: settings 25, customers 20, preview 15). */
export const PANELS_TOPMOST_FIRST = ["settings", "customers", "preview"] as const;
export type PanelName = (typeof PANELS_TOPMOST_FIRST)[number];

/** The panel Escape closes: the topmost one shown, or null when none is. */
export function topmostPanel(shown: Partial<Record<PanelName, boolean>>): PanelName | null {
  return PANELS_TOPMOST_FIRST.find((p) => shown[p]) ?? null;
}
