import { describe, expect, it } from "vitest";
import type { FlowCounts } from "../api/types";
import { edgeSplit, nodeMetrics, primaryMetric } from "./metrics";

const counts = { entered: 10, waiting: 3, moved_on: 6, exited: 1 };
const flow: FlowCounts = {
  journey_id: 1,
  handles: { check: { yes: 3, no: 6 }, mail: { next: 4 } },
  messages: { mail: { sent: 4, failed: 1, pending: 0 } },
};
const one = [{ id: "next" }];

describe("nodeMetrics", () => {
  it("shows only what applies to each step type", () => {
    expect(nodeMetrics({ type: "event_trigger", outputs: one }, "t", counts, flow).map((m) => m.key)).toEqual(["entered"]);
    expect(nodeMetrics({ type: "wait", outputs: one }, "w", counts, flow).map((m) => [m.key, m.value])).toEqual([
      ["entered", 10],
      ["waiting", 3],
      ["moved_on", 6],
    ]);
    expect(nodeMetrics({ type: "send_email", channel: "email", outputs: one }, "mail", counts, flow).map((m) => [m.key, m.value])).toEqual([
      ["entered", 10],
      ["sent", 4],
      ["failed", 1],
    ]);
    expect(nodeMetrics({ type: "exit", outputs: [] }, "x", counts, flow)).toEqual([{ key: "entered", value: 10, primary: true }]);
  });

  it("keys every step type on how many entered it, so a wait everybody passed does not read 0", () => {
    const passed = { entered: 40, waiting: 0, moved_on: 40, exited: 0 };
    for (const type of ["event_trigger", "wait", "wait_until", "wait_for_event", "action_paths", "condition", "split", "random_split", "send_email", "goal", "exit"]) {
      const outputs = type === "condition" ? [{ id: "yes" }, { id: "no" }] : one;
      const metrics = nodeMetrics({ type, channel: type === "send_email" ? "email" : null, outputs }, "n", passed, null);
      expect(primaryMetric(metrics), type).toEqual({ key: "entered", value: 40, primary: true });
      expect(metrics.filter((m) => m.primary), type).toHaveLength(1);
    }
  });

  it("shows every send step's deliveries, whatever its channel, not its outputs", () => {
    const sendOutputs = [{ id: "next" }, { id: "unreachable" }];
    const tallies: FlowCounts = {
      journey_id: 1,
      handles: { sms: { next: 7, unreachable: 2 } },
      messages: { sms: { sent: 5, failed: 1, pending: 1, unknown: 0 }, hook: { sent: 0, failed: 0, pending: 0, unknown: 2 } },
    };
    expect(nodeMetrics({ type: "send_sms", channel: "sms", outputs: sendOutputs }, "sms", counts, tallies).map((m) => [m.key, m.value])).toEqual([
      ["entered", 10],
      ["sent", 5],
      ["failed", 1],
    ]);
    expect(nodeMetrics({ type: "send_webhook", channel: "webhook", outputs: one }, "hook", counts, tallies).map((m) => [m.key, m.value])).toEqual([
      ["entered", 10],
      ["sent", 0],
      ["failed", 0],
      ["unknown", 2],
    ]);
    // A step with the same outputs but no channel is not a send step: it splits by its outputs.
    expect(nodeMetrics({ type: "other", outputs: sendOutputs }, "sms", counts, tallies).map((m) => m.key)).toEqual(["entered", "next", "unreachable"]);
  });

  it("splits a condition by its outputs in declared order", () => {
    const metrics = nodeMetrics({ type: "condition", outputs: [{ id: "yes" }, { id: "no" }] }, "check", counts, flow);
    expect(metrics.map((m) => [m.key, m.value, m.primary])).toEqual([
      ["entered", 10, true],
      ["yes", 3, false],
      ["no", 6, false],
    ]);
  });

  it("adds customers parked by a failing step, only when there are some", () => {
    const keys = (n: number) => nodeMetrics({ type: "wait", outputs: one }, "w", { ...counts, errored: n }, flow).map((m) => m.key);
    expect(keys(0)).toEqual(["entered", "waiting", "moved_on"]);
    expect(keys(2)).toEqual(["entered", "waiting", "moved_on", "errored"]);
  });

  it("has exactly one primary number and zeros before any data", () => {
    const metrics = nodeMetrics({ type: "send_email", channel: "email", outputs: one }, "new", undefined, null);
    expect(metrics.filter((m) => m.primary)).toHaveLength(1);
    expect(metrics.every((m) => m.value === 0)).toBe(true);
  });
});

describe("edgeSplit", () => {
  it("gives the count and the rounded share of the output", () => {
    expect(edgeSplit(flow, "check", "yes")).toEqual({ count: 3, percent: 33 });
    expect(edgeSplit(flow, "check", "no")).toEqual({ count: 6, percent: 67 });
  });
  it("has no percentage before anyone left the step", () => {
    expect(edgeSplit(flow, "other", "yes")).toEqual({ count: 0, percent: null });
    expect(edgeSplit(null, "check", "yes")).toEqual({ count: 0, percent: null });
  });
});

describe("flow-and-time steps", () => {
  const flow4: FlowCounts = { journey_id: 1, handles: { split: { women: 5, men: 3, kids: 1, default: 1 }, wfe: { happened: 2, timed_out: 1 } }, messages: {} };
  it("a 4-way split shows one number per branch and each branch edge its share", () => {
    const outputs = [{ id: "women" }, { id: "men" }, { id: "kids" }, { id: "default" }];
    expect(nodeMetrics({ type: "split", outputs }, "split", { ...counts, entered: 10 }, flow4).map((m) => [m.key, m.value])).toEqual([
      ["entered", 10],
      ["women", 5],
      ["men", 3],
      ["kids", 1],
      ["default", 1],
    ]);
    expect(edgeSplit(flow4, "split", "women")).toEqual({ count: 5, percent: 50 });
    expect(edgeSplit(flow4, "split", "default")).toEqual({ count: 1, percent: 10 });
  });

  it("a wait for an event shows waiting, its two outcomes, and who left it converted", () => {
    const outputs = [{ id: "happened" }, { id: "timed_out" }];
    expect(nodeMetrics({ type: "wait_for_event", outputs }, "wfe", { ...counts, converted: 4 }, flow4).map((m) => [m.key, m.value])).toEqual([
      ["entered", 10],
      ["waiting", 3],
      ["happened", 2],
      ["timed_out", 1],
      ["converted", 4],
    ]);
    expect(nodeMetrics({ type: "wait_for_event", outputs }, "wfe", counts, flow4).map((m) => m.key)).not.toContain("converted");
  });

  it("action paths show waiting, one number per path in the marketer's order, timed out, and converted", () => {
    const outputs = [{ id: "path_2" }, { id: "path_1" }, { id: "timed_out" }];
    const flow: FlowCounts = { journey_id: 1, handles: { reply: { path_1: 4, path_2: 2, timed_out: 1 } }, messages: {} };
    expect(nodeMetrics({ type: "action_paths", outputs }, "reply", { ...counts, converted: 1 }, flow).map((m) => [m.key, m.value, m.output])).toEqual([
      ["entered", 10, undefined],
      ["waiting", 3, undefined],
      ["path_2", 2, "path_2"],
      ["path_1", 4, "path_1"],
      ["timed_out", 1, "timed_out"],
      ["converted", 1, undefined],
    ]);
  });

  it("a goal shows how many reached it (converted); any trigger only how many entered", () => {
    expect(nodeMetrics({ type: "goal", outputs: [{ id: "next" }] }, "g", { ...counts, entered: 7 }, null)).toEqual([{ key: "entered", value: 7, primary: true }]);
    expect(nodeMetrics({ type: "schedule_trigger", isTrigger: true, outputs: one }, "s", counts, null).map((m) => m.key)).toEqual(["entered"]);
  });
});

describe("send step metrics", () => {
  const send = { type: "send_email", channel: "email", outputs: [{ id: "next" }] };
  it("shows messages whose outcome is unknown, only when there are any", () => {
    const flow = { journey_id: 1, handles: {}, messages: { mail: { sent: 4, failed: 1, pending: 0, unknown: 2 } } };
    expect(nodeMetrics(send, "mail", undefined, flow).map((m) => [m.key, m.value])).toEqual([
      ["entered", 0],
      ["sent", 4],
      ["failed", 1],
      ["unknown", 2],
    ]);
    const none = { ...flow, messages: { mail: { sent: 4, failed: 1, pending: 0, unknown: 0 } } };
    expect(nodeMetrics(send, "mail", undefined, none).map((m) => m.key)).toEqual(["entered", "sent", "failed"]);
  });
});
