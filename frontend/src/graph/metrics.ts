/** Which live numbers each step shows, and the split on branch edges. Pure, so it is unit-tested. */
import type { FlowCounts, NodeCounts } from "../api/types";

export type MetricKey = "entered" | "waiting" | "moved_on" | "exited" | "sent" | "failed" | string;

export interface Metric {
  key: MetricKey;
  value: number;
  /** The key number: shown large, and large again in the zoomed-out form. */
  primary: boolean;
  /** For output handles: the label key of that output. */
  output?: string;
}

interface StepShape {
  type: string;
  isTrigger?: boolean;
  /** The node's outputs for its current settings, in declared order. */
  outputs: { id: string }[];
}

const ZERO: NodeCounts = { entered: 0, waiting: 0, moved_on: 0, exited: 0 };
const WAITS = new Set(["wait", "wait_until"]);

/** The numbers that apply to a step: a trigger has no "waiting", a send shows sent/failed, a split its outputs,
 * a goal how many converted; a step that customers left as converted (mid-wait) says how many. */
export function nodeMetrics(step: StepShape | undefined, nodeId: string, counts: NodeCounts | undefined, flow: FlowCounts | null): Metric[] {
  const base = typeMetrics(step, nodeId, counts ?? ZERO, flow);
  // Customers parked by a failing step: shown only when there are some (in red).
  return counts?.errored ? [...base, { key: "errored", value: counts.errored, primary: false }] : base;
}

function typeMetrics(step: StepShape | undefined, nodeId: string, c: NodeCounts, flow: FlowCounts | null): Metric[] {
  const m = (key: MetricKey, value: number, primary = false): Metric => ({ key, value, primary });
  const handles = flow?.handles[nodeId] ?? {};
  const byOutput = (outputs: { id: string }[]) => outputs.map((o) => ({ key: o.id, value: handles[o.id] ?? 0, primary: false, output: o.id }));
  const converted = c.converted ? [m("converted", c.converted)] : [];
  if (!step) return [m("entered", c.entered, true), m("waiting", c.waiting), m("moved_on", c.moved_on), m("exited", c.exited)];
  if (step.isTrigger || step.type === "event_trigger") return [m("entered", c.entered, true)];
  if (step.type === "exit") return [m("exited", c.exited, true)];
  // Everyone who reaches a goal node converted; its output is only the optional final path.
  if (step.type === "goal") return [m("converted", c.entered, true)];
  if (WAITS.has(step.type)) return [m("waiting", c.waiting, true), m("moved_on", c.moved_on), ...converted];
  if (step.type === "wait_for_event") return [m("waiting", c.waiting, true), ...byOutput(step.outputs), ...converted];
  if (step.type === "send_email") {
    const sent = flow?.messages[nodeId]?.sent ?? 0;
    const failed = flow?.messages[nodeId]?.failed ?? 0;
    return [m("sent", sent, true), m("failed", failed)];
  }
  if (step.outputs.length > 1) return [m("entered", c.entered, true), ...byOutput(step.outputs), ...converted];
  return [m("entered", c.entered, true), m("waiting", c.waiting), m("moved_on", c.moved_on), ...converted];
}

/** How many left a step through one output, and that output's share of all who left it (null when none yet). */
export function edgeSplit(flow: FlowCounts | null, source: string, handle: string | null | undefined): { count: number; percent: number | null } {
  const handles = flow?.handles[source] ?? {};
  const count = handle ? handles[handle] ?? 0 : 0;
  const total = Object.values(handles).reduce((a, b) => a + b, 0);
  return { count, percent: total > 0 ? Math.round((count / total) * 100) : null };
}
