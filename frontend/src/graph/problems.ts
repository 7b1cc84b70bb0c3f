/** How validation problems are shown: calm "to finish" until the marketer tries to publish or touches the
 * field, loud for what they just did wrong (a loop, a doubled output); each named by its step. Pure. */
import type { LocatedError } from "../api/types";

/** Problems the marketer caused by an action (not work left unfinished): always shown loudly. */
const CAUSED = new Set(["cycle", "handle_multiple", "trigger_has_input", "dangling_edge", "unknown_handle", "duplicate_id", "invalid_template"]);

/** Whether a problem blocks publishing: every problem not marked a warning. */
export const isBlocking = (p: LocatedError): boolean => p.severity !== "warning";

/** One problems list (as `/validate` answers it) split by severity, each part in the list's order. */
export function bySeverity(problems: readonly LocatedError[]): { errors: LocatedError[]; warnings: LocatedError[] } {
  const errors: LocatedError[] = [];
  const warnings: LocatedError[] = [];
  for (const p of problems) (isBlocking(p) ? errors : warnings).push(p);
  return { errors, warnings };
}

/** A refused publish reports only what blocks it: its errors replace the known ones, the known warnings stay. */
export function withKnownWarnings(errors: readonly LocatedError[], known: readonly LocatedError[]): LocatedError[] {
  return [...errors, ...bySeverity(known).warnings];
}

export interface ShowState {
  /** A publish was attempted since the editor opened. */
  attempted: boolean;
  /** `${nodeId}:${field}` for every setting the marketer edited. */
  touched: ReadonlySet<string>;
}

export function isLoud(err: LocatedError, show: ShowState): boolean {
  if (show.attempted || CAUSED.has(err.code)) return true;
  if (err.code === "invalid_settings" && err.node_id && err.field) {
    const top = err.field.split(".")[0];
    return show.touched.has(`${err.node_id}:${err.field}`) || show.touched.has(`${err.node_id}:${top}`);
  }
  return false;
}

/** The control a problem points at, by its test id (filters.0.value → filter-0-value). */
export function fieldTestId(field: string | null | undefined): string | null {
  if (!field) return null;
  const row = /^filters\.(\d+)\.(\w+)$/.exec(field);
  if (row) return `filter-${row[1]}-${row[2]}`;
  // Action paths: a path's own field, or one of its filter rows.
  const path = /^paths\.(\d+)\.(label|event)$/.exec(field);
  if (path) return path[2] === "event" ? `setting-path-${path[1]}-event` : `path-${path[1]}-label`;
  const pathFilter = /^paths\.(\d+)\.filters\.(\d+)\.(\w+)$/.exec(field);
  if (pathFilter) return `path-${pathFilter[1]}-filter-${pathFilter[2]}-${pathFilter[3]}`;
  // LINE messages: a message's field, or one of its buttons; webhook headers.
  const button = /^messages\.(\d+)\.buttons\.(\d+)\.(label|url)$/.exec(field);
  if (button) return `message-${button[1]}-button-${button[2]}-${button[3]}`;
  const message = /^messages\.(\d+)\.(\w+)$/.exec(field);
  if (message) return `setting-message-${message[1]}-${message[2]}`;
  const header = /^headers\.(\d+)\.(name|value)$/.exec(field);
  if (header) return `header-${header[1]}-${header[2]}`;
  if (field.includes(".")) return null;
  return `setting-${field}`;
}

/** Whether a problem is on the journey's own settings (`settings.<name>…`, shown in the settings drawer). */
export function isJourneySetting(field: string | null | undefined): boolean {
  return !!field && field.startsWith("settings.");
}

/** The settings drawer's controls a journey-settings problem points at, by test id, best first (the first one
 * shown gets the focus): settings.end_at → setting-journey-end_at, settings.frequency_caps.1.limit → cap-1-limit. */
export function settingsFieldTestIds(field: string | null | undefined): string[] {
  if (!field || !isJourneySetting(field)) return [];
  const [name, sub, part] = field.slice("settings.".length).split(".");
  switch (name) {
    case "reentry":
      return ["setting-journey-reentry"];
    case "reentry_cooldown":
      return ["journey-setting-cooldown-amount", "setting-journey-reentry"];
    case "max_duration":
      return ["journey-setting-max-duration-amount", "journey-setting-max-duration-on"];
    case "start_at":
    case "end_at":
      return [`setting-journey-${name}`];
    case "quiet_hours":
      return [...(sub === "start" || sub === "end" ? [`journey-setting-quiet-${sub}`] : []), "journey-setting-quiet-start", "journey-setting-quiet-on"];
    case "frequency_caps":
      return [...(/^\d+$/.test(sub ?? "") ? [`cap-${sub}-${part ?? "limit"}`] : []), "cap-0-channel", "journey-setting-cap-add"];
    case "timezone":
      return ["journey-setting-timezone-search"];
    default:
      return [];
  }
}

export interface ProblemEntry {
  key: string;
  nodeId: string | null;
  field: string | null;
  stepName: string | null;
  /** The type of the problem's step (its fields may have names of their own). */
  stepType?: string;
  error: LocatedError;
  loud: boolean;
}

/** One entry per distinct problem, in the order the steps appear on the canvas, journey-level ones first. */
export function problemEntries(
  errors: LocatedError[],
  steps: { id: string; name: string; type?: string }[],
  edges: { id: string; source: string }[],
  show: ShowState,
): ProblemEntry[] {
  const order = new Map(steps.map((s, i) => [s.id, i]));
  const names = new Map(steps.map((s) => [s.id, s.name]));
  const types = new Map(steps.map((s) => [s.id, s.type]));
  const edgeSource = new Map(edges.map((e) => [e.id, e.source]));
  const seen = new Set<string>();
  const out: ProblemEntry[] = [];
  for (const error of errors) {
    const nodeId = error.node_id ?? (error.edge_id ? edgeSource.get(error.edge_id) ?? null : null);
    // A loop is reported once per step on it; list it once.
    const key = error.code === "cycle" ? "cycle" : `${nodeId ?? ""}|${error.field ?? ""}|${error.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const stepName = nodeId ? names.get(nodeId) ?? null : null;
    out.push({ key, nodeId, field: error.field, stepName, stepType: nodeId ? types.get(nodeId) : undefined, error, loud: isLoud(error, show) });
  }
  const rank = (e: ProblemEntry) => (e.nodeId === null ? -1 : order.get(e.nodeId) ?? steps.length);
  return out.sort((a, b) => rank(a) - rank(b));
}

/** Names of the steps on a loop, in graph order, for a message like "Wait, Condition form a loop". */
export function loopSteps(errors: LocatedError[], steps: { id: string; name: string }[]): string[] {
  const onLoop = new Set(errors.filter((e) => e.code === "cycle" && e.node_id).map((e) => e.node_id));
  return steps.filter((s) => onLoop.has(s.id)).map((s) => s.name);
}
