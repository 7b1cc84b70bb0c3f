/** The journey's send steps, as the steps that read engagement with one (the engagement wait, the condition on
 * engagement) offer them: every step of a send type (the manifest gives it a `channel`) that comes before the step
 * being edited. The backend checks the same (`engagement_step_not_before`). */
import { manifestFor } from "./manifest";
import type { JourneyStepRef } from "./types";

export const isSendType = (type: string): boolean => Boolean(manifestFor(type)?.channel);

/** Send steps before this one (a step whose place is unknown, `before` unset, is offered too). */
export function messageSteps(steps: JourneyStepRef[]): JourneyStepRef[] {
  return steps.filter((s) => isSendType(s.type) && s.before !== false);
}

/** The steps from which a path leads to `nodeId`, over `edges`. */
export function ancestors(nodeId: string, edges: { source: string; target: string }[]): Set<string> {
  const into = new Map<string, string[]>();
  for (const e of edges) into.set(e.target, [...(into.get(e.target) ?? []), e.source]);
  const seen = new Set<string>();
  const todo = [...(into.get(nodeId) ?? [])];
  while (todo.length) {
    const id = todo.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    todo.push(...(into.get(id) ?? []));
  }
  return seen;
}
