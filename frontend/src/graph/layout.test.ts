import { describe, expect, it } from "vitest";
import type { FlowEdge, StepNode } from "./convert";
import { keepOutputOrder, layoutGraph } from "./layout";

const node = (id: string, type: string, x = 0, y = 0): StepNode => ({ id, type, position: { x, y }, data: { label: id, settings: {} } });
const edge = (source: string, handle: string, target: string): FlowEdge => ({ id: `${source}-${handle}`, source, sourceHandle: handle, target });
const order = (n: StepNode) => (n.type === "condition" ? ["yes", "no"] : ["next"]);

describe("keepOutputOrder", () => {
  it("moves the yes branch (and what only it leads to) left of the no branch", () => {
    const nodes = [node("c", "condition", 100, 0), node("y", "send_email", 400, 150), node("y2", "exit", 400, 300), node("n", "exit", -200, 150)];
    const edges = [edge("c", "yes", "y"), edge("c", "no", "n"), edge("y", "next", "y2")];
    const out = Object.fromEntries(keepOutputOrder(nodes, edges, order).map((n) => [n.id, n.position.x]));
    expect(out.y).toBe(-200);
    expect(out.n).toBe(400);
    expect(out.y2).toBe(-200); // followed its branch
    expect(out.c).toBe(100);
  });
  it("leaves an already ordered split alone", () => {
    const nodes = [node("c", "condition"), node("y", "exit", -100, 100), node("n", "exit", 100, 100)];
    const edges = [edge("c", "yes", "y"), edge("c", "no", "n")];
    expect(keepOutputOrder(nodes, edges, order)).toEqual(nodes);
  });
});

describe("layoutGraph", () => {
  it("puts every condition's yes target left of its no target, whatever the edge order", () => {
    const nodes = [node("t", "event_trigger"), node("c", "condition"), node("a", "wait"), node("b", "wait"), node("c2", "condition"), node("x", "exit"), node("z", "exit")];
    // Declared in the "wrong" order on purpose.
    const edges = [edge("t", "next", "c"), edge("c", "no", "a"), edge("c", "yes", "b"), edge("a", "next", "c2"), edge("c2", "no", "x"), edge("c2", "yes", "z")];
    const out = Object.fromEntries(layoutGraph(nodes, edges, order).map((n) => [n.id, n.position]));
    expect(out.b.x).toBeLessThan(out.a.x);
    expect(out.z.x).toBeLessThan(out.x.x);
    expect(out.c.y).toBeLessThan(out.a.y);
  });
});
