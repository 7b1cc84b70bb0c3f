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
  /** A send step's channel (the manifest's `channel`): its messages are counted, whatever the channel. */
  channel?: string | null;
  /** The node's outputs for its current settings, in declared order. */
  outputs: { id: string }[];
}

const ZERO: NodeCounts = { entered: 0, waiting: 0, moved_on: 0, exited: 0 };
const WAITS = new Set(["wait", "wait_until"]);
// Waits with an output per outcome (the event came / which path / timed out).
const EVENT_WAITS = new Set(["wait_for_event", "wait_for_engagement", "action_paths"]);

/** The numbers that apply to a step. The key number means the same on every step: how many customers entered
 * it (a wait that everybody has passed still shows them; an exit's entered are those who finished there, a
 * goal's those who converted). The breakdown follows the type: a wait says who is waiting and who moved on, a
 * send what was sent or failed, a split or a condition its outputs; a step that customers left as converted
 * (mid-wait) says how many. */
export function nodeMetrics(step: StepShape | undefined, nodeId: string, counts: NodeCounts | undefined, flow: FlowCounts | null): Metric[] {
  const c = counts ?? ZERO;
  const base = [{ key: "entered", value: c.entered, primary: true }, ...breakdown(step, nodeId, c, flow)];
  // Customers parked by a failing step: shown only when there are some (in red).
  return counts?.errored ? [...base, { key: "errored", value: counts.errored, primary: false }] : base;
}

/** The key number of a step (the one the zoomed-out form shows). */
export const primaryMetric = (metrics: Metric[]): Metric => metrics.find((m) => m.primary) ?? { key: "entered", value: 0, primary: true };

function breakdown(step: StepShape | undefined, nodeId: string, c: NodeCounts, flow: FlowCounts | null): Metric[] {
  const m = (key: MetricKey, value: number): Metric => ({ key, value, primary: false });
  const handles = flow?.handles[nodeId] ?? {};
  const byOutput = (outputs: { id: string }[]) => outputs.map((o) => ({ key: o.id, value: handles[o.id] ?? 0, primary: false, output: o.id }));
  const converted = c.converted ? [m("converted", c.converted)] : [];
  if (!step) return [m("waiting", c.waiting), m("moved_on", c.moved_on), m("exited", c.exited)];
  // Entering a trigger, an exit or a goal is all there is to say about it.
  if (step.isTrigger || step.type === "event_trigger" || step.type === "exit" || step.type === "goal") return [];
  if (WAITS.has(step.type)) return [m("waiting", c.waiting), m("moved_on", c.moved_on), ...converted];
  if (EVENT_WAITS.has(step.type)) return [m("waiting", c.waiting), ...byOutput(step.outputs), ...converted];
  if (step.channel) {
    const sent = flow?.messages[nodeId]?.sent ?? 0;
    const failed = flow?.messages[nodeId]?.failed ?? 0;
    // "unknown": a worker stopped mid-send (may have arrived); shown only when there are any.
    const unknown = flow?.messages[nodeId]?.unknown ?? 0;
    return [m("sent", sent), m("failed", failed), ...(unknown ? [m("unknown", unknown)] : [])];
  }
  if (step.outputs.length > 1) return [...byOutput(step.outputs), ...converted];
  return [m("waiting", c.waiting), m("moved_on", c.moved_on), ...converted];
}

/** How many left a step through one output, and that output's share of all who left it (null when none yet). */
export function edgeSplit(flow: FlowCounts | null, source: string, handle: string | null | undefined): { count: number; percent: number | null } {
  const handles = flow?.handles[source] ?? {};
  const count = handle ? handles[handle] ?? 0 : 0;
  const total = Object.values(handles).reduce((a, b) => a + b, 0);
  return { count, percent: total > 0 ? Math.round((count / total) * 100) : null };
}
