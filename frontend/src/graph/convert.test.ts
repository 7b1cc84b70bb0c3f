import { describe, expect, it } from "vitest";
import type { JourneyGraph, LocatedError } from "../api/types";
import { fromJourneyGraph, graphKey, mapErrors, nextId, toJourneyGraph } from "./convert";
import { layoutGraph } from "./layout";
import { useBackendManifest } from "../nodes/testManifest";

useBackendManifest();

const sample: JourneyGraph = {
  nodes: [
    { id: "trigger", type: "event_trigger", position: { x: 0, y: 0 },
      data: { label: "Added to cart", settings: { event: "cart_updated", filters: [{ property: "total", op: "gte", value: 500 }] } } },
    { id: "wait1", type: "wait", position: { x: 0, y: 140 }, data: { label: "Wait 1 hour", settings: { amount: 1, unit: "hours" } } },
    { id: "bought", type: "condition", position: { x: 0, y: 280 }, data: { label: "Purchased?", settings: { kind: "event", event: "purchase" } } },
    { id: "email1", type: "send_email", position: { x: 200, y: 420 },
      data: { label: "Reminder", settings: { subject: "You left {{ event.product }} behind", body: "<p>Hi {{ customer.first_name }}</p>" } } },
    { id: "done", type: "exit", position: { x: 0, y: 560 }, data: { label: "Converted", settings: {} } },
  ],
  edges: [
    { id: "e1", source: "trigger", sourceHandle: "next", target: "wait1" },
    { id: "e2", source: "wait1", sourceHandle: "next", target: "bought" },
    { id: "e3", source: "bought", sourceHandle: "yes", target: "done" },
    { id: "e4", source: "bought", sourceHandle: "no", target: "email1" },
  ],
  settings: {},
};

describe("convert", () => {
  it("round-trips the documented example exactly", () => {
    const { nodes, edges } = fromJourneyGraph(sample);
    expect(toJourneyGraph(nodes, edges)).toEqual(sample);
  });

  it("gives React Flow edges the custom type and the input handle", () => {
    const { edges } = fromJourneyGraph(sample);
    expect(edges[0]).toMatchObject({ type: "journey", sourceHandle: "next", targetHandle: "in" });
  });

  it("fills the single output handle when the saved edge omits it", () => {
    const graph = { ...sample, edges: [{ id: "e1", source: "trigger", target: "wait1" }] };
    const { nodes, edges } = fromJourneyGraph(graph);
    expect(edges[0].sourceHandle).toBe("next");
    expect(toJourneyGraph(nodes, edges).edges[0]).toEqual({ id: "e1", source: "trigger", sourceHandle: "next", target: "wait1" });
  });

  it("strips React Flow runtime state (selection, measurements) from the saved graph", () => {
    const { nodes, edges } = fromJourneyGraph(sample);
    const noisy = nodes.map((n) => ({ ...n, selected: true, measured: { width: 10, height: 10 }, dragging: false }));
    expect(toJourneyGraph(noisy, edges.map((e) => ({ ...e, selected: true })))).toEqual(sample);
  });

  it("does not share settings objects between canvas and saved graph", () => {
    const { nodes, edges } = fromJourneyGraph(sample);
    const saved = toJourneyGraph(nodes, edges);
    (saved.nodes[0].data.settings.filters as unknown[]).push({});
    expect((nodes[0].data.settings.filters as unknown[]).length).toBe(1);
  });

  it("handles an empty or missing graph", () => {
    expect(fromJourneyGraph(undefined)).toEqual({ nodes: [], edges: [] });
    expect(toJourneyGraph([], [])).toEqual({ nodes: [], edges: [], settings: {} });
  });

  it("produces a stable key for dirty tracking", () => {
    const { nodes, edges } = fromJourneyGraph(sample);
    expect(graphKey(toJourneyGraph(nodes, edges))).toBe(graphKey(sample));
  });
});

describe("mapErrors", () => {
  const err = (p: Partial<LocatedError>): LocatedError => ({ node_id: null, edge_id: null, code: "x", message: "m", field: null, ...p });

  it("routes errors to nodes, edges and the journey", () => {
    const errors = [
      err({ node_id: "wait1", code: "invalid_settings", field: "amount" }),
      err({ node_id: "wait1", code: "cycle" }),
      err({ edge_id: "e3", code: "handle_multiple" }),
      err({ code: "no_trigger" }),
    ];
    const m = mapErrors(errors);
    expect(m.byNode.wait1.map((e) => e.code)).toEqual(["invalid_settings", "cycle"]);
    expect(m.byEdge.e3[0].code).toBe("handle_multiple");
    expect(m.general.map((e) => e.code)).toEqual(["no_trigger"]);
  });

  it("sends errors on ids the canvas does not know to the journey banner", () => {
    const m = mapErrors([err({ node_id: "ghost" }), err({ edge_id: "gone" })], ["wait1"], ["e1"]);
    expect(m.general).toHaveLength(2);
    expect(m.byNode).toEqual({});
  });
});

describe("helpers", () => {
  it("nextId picks the first free readable id", () => {
    expect(nextId("wait", ["wait-1", "wait-3"])).toBe("wait-2");
  });

  it("layoutGraph places nodes top to bottom", () => {
    const { nodes, edges } = fromJourneyGraph(sample);
    const laid = layoutGraph(nodes, edges);
    const y = Object.fromEntries(laid.map((n) => [n.id, n.position.y]));
    expect(y.trigger).toBeLessThan(y.wait1);
    expect(y.wait1).toBeLessThan(y.bought);
    expect(y.bought).toBeLessThan(y.done);
  });
});
