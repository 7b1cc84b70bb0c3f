/** The "New journey" gallery's logic, apart from React: the choices (Blank + one per template), moving the choice
 * with the arrow keys across the grid, the channel icons, and which name the dialog pre-fills. */
import type { JourneyTemplate } from "../api/types";

export const BLANK = "blank";

/** The gallery's choices in order: the blank journey first, then the templates. */
export function choiceKeys(templates: JourneyTemplate[]): string[] {
  return [BLANK, ...templates.map((t) => t.key)];
}

/**
 * The index the choice moves to for a key press in a grid of `columns` columns and `count` choices (a radio
 * group: arrows move and select, wrapping at the ends; Home / End go to the first / last); null for other keys.
 */
export function moveChoice(key: string, index: number, count: number, columns: number): number | null {
  if (count <= 0) return null;
  const cols = Math.max(1, columns);
  switch (key) {
    case "ArrowRight":
      return (index + 1) % count;
    case "ArrowLeft":
      return (index - 1 + count) % count;
    case "ArrowDown":
      return index + cols < count ? index + cols : index % cols < count ? index % cols : 0;
    case "ArrowUp": {
      if (index - cols >= 0) return index - cols;
      const column = index % cols;
      const lastRowStart = Math.floor((count - 1) / cols) * cols;
      const target = lastRowStart + column;
      return target < count ? target : target - cols;
    }
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return null;
  }
}

/**
 * The name field after the marketer picks `choice`: a template's name replaces the field while it still holds what
 * the gallery put there (or nothing); a name the marketer typed stays. Blank clears a pre-filled name.
 */
export function nameAfterChoice(
  current: string,
  prefilled: string,
  choice: string,
  templates: JourneyTemplate[],
): { name: string; prefilled: string } {
  const typed = current.trim() !== "" && current !== prefilled;
  if (typed) return { name: current, prefilled };
  const template = templates.find((t) => t.key === choice);
  const next = template ? template.name : "";
  return { name: next, prefilled: next };
}
