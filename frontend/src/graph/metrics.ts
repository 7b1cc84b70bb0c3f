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
  outputs: { id: string }[];
}

const ZERO: NodeCounts = { entered: 0, waiting: 0, moved_on: 0, exited: 0 };

/** The numbers that apply to a step: a trigger has no "waiting", a send shows sent/failed, a split its outputs;
 * customers parked by a failing step ("errored") are added whenever there are some. */
export function nodeMetrics(step: StepShape | undefined, nodeId: string, counts: NodeCounts | undefined, flow: FlowCounts | null): Metric[] {
  const base = typeMetrics(step, nodeId, counts, flow);
  const errored = counts?.errored ?? 0;
  return errored > 0 ? [...base, { key: "errored", value: errored, primary: false }] : base;
}

function typeMetrics(step: StepShape | undefined, nodeId: string, counts: NodeCounts | undefined, flow: FlowCounts | null): Metric[] {
  const c = counts ?? ZERO;
  const m = (key: MetricKey, value: number, primary = false): Metric => ({ key, value, primary });
  if (!step) return [m("entered", c.entered, true), m("waiting", c.waiting), m("moved_on", c.moved_on), m("exited", c.exited)];
  if (step.type === "event_trigger") return [m("entered", c.entered, true)];
  if (step.type === "exit") return [m("exited", c.exited, true)];
  if (step.type === "wait") return [m("waiting", c.waiting, true), m("moved_on", c.moved_on)];
  if (step.type === "send_email") {
    const sent = flow?.messages[nodeId]?.sent ?? 0;
    const failed = flow?.messages[nodeId]?.failed ?? 0;
    return [m("sent", sent, true), m("failed", failed)];
  }
  if (step.outputs.length > 1) {
    const handles = flow?.handles[nodeId] ?? {};
    return [m("entered", c.entered, true), ...step.outputs.map((o) => ({ key: o.id, value: handles[o.id] ?? 0, primary: false, output: o.id }))];
  }
  return [m("entered", c.entered, true), m("waiting", c.waiting), m("moved_on", c.moved_on)];
}

/** How many left a step through one output, and that output's share of all who left it (null when none yet). */
export function edgeSplit(flow: FlowCounts | null, source: string, handle: string | null | undefined): { count: number; percent: number | null } {
  const handles = flow?.handles[source] ?? {};
  const count = handle ? handles[handle] ?? 0 : 0;
  const total = Object.values(handles).reduce((a, b) => a + b, 0);
  return { count, percent: total > 0 ? Math.round((count / total) * 100) : null };
}
