import { describe, expect, it } from "vitest";
import type { FlowEdge, StepNode } from "./convert";
import { CARD_HEIGHT, COUNT_STRIP_HEIGHT, keepOutputOrder, layoutGraph, liveHeight } from "./layout";

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

describe("layoutGraph sizes", () => {
  const measured = (n: StepNode, height: number): StepNode => ({ ...n, measured: { width: 248, height } });
  const graph = () => {
    const nodes = [node("t", "event_trigger"), node("w", "wait"), node("c", "condition"), node("y", "exit"), node("m", "send_email"), node("x", "exit")];
    const edges = [edge("t", "next", "w"), edge("w", "next", "c"), edge("c", "yes", "y"), edge("c", "no", "m"), edge("m", "next", "x")];
    return { nodes, edges };
  };
  const gaps = (laid: StepNode[], height: (n: StepNode) => number) => {
    const boxes = laid.map((n) => ({ id: n.id, x: n.position.x, y: n.position.y, w: n.measured?.width ?? 248, h: height(n) }));
    let smallest = Infinity;
    for (const a of boxes)
      for (const b of boxes) {
        if (a === b || a.x >= b.x + b.w || b.x >= a.x + a.w) continue; // not in the same column
        if (a.y < b.y) smallest = Math.min(smallest, b.y - (a.y + a.h));
      }
    return smallest;
  };

  it("laid out in a draft, steps stay apart once the live numbers make them taller", () => {
    const { nodes, edges } = graph();
    const draft = nodes.map((n) => measured(n, 84));
    const laid = layoutGraph(draft, edges, order, { countsShown: false });
    // After publishing, every card is 84 + the numbers' strip: still a branch chip and an edge label apart.
    expect(gaps(laid, () => 84 + COUNT_STRIP_HEIGHT)).toBeGreaterThanOrEqual(90);
  });

  it("uses the measured size of a live journey as it is (no strip added twice)", () => {
    const { nodes, edges } = graph();
    const live = nodes.map((n) => measured(n, 131));
    const laid = layoutGraph(live, edges, order, { countsShown: true });
    expect(gaps(laid, () => 131)).toBeGreaterThanOrEqual(90);
    expect(liveHeight(live[0], true)).toBe(131);
    expect(liveHeight(live[0], false)).toBe(131 + COUNT_STRIP_HEIGHT);
    expect(liveHeight(node("new", "wait"), false)).toBe(CARD_HEIGHT + COUNT_STRIP_HEIGHT);
  });

  it("keeps a tall step (an error shown under it) from covering the next one", () => {
    const { nodes, edges } = graph();
    const laid = layoutGraph(nodes.map((n) => measured(n, n.id === "w" ? 190 : 84)), edges, order, { countsShown: false });
    expect(gaps(laid, (n) => (n.id === "w" ? 190 : 84) + COUNT_STRIP_HEIGHT)).toBeGreaterThanOrEqual(90);
  });
});

describe("layoutGraph never overlaps", () => {
  it("keeps branches apart when output order moves a wide branch next to a narrow one", () => {
    // A wait for an event whose first output leads to a two-way condition and whose second to a chain: dagre may
    // place them in either order; putting them in output order must not stack one on the other.
    const order2 = (n: StepNode) => (n.type === "condition" ? ["yes", "no"] : n.type === "wait_for_event" ? ["happened", "timed_out"] : ["next"]);
    const nodes: StepNode[] = [];
    const edges: FlowEdge[] = [];
    const add = (id: string, type: string) => nodes.push({ ...node(id, type), measured: { width: 248, height: 84 } });
    // The shape of e2e/test_canvas_readability.py's 40-step journey.
    add("t", "event_trigger");
    add("h", "wait");
    add("b", "condition");
    add("bx", "exit");
    add("s", "split");
    edges.push(edge("t", "next", "h"), edge("h", "next", "b"), edge("b", "yes", "bx"), edge("b", "no", "s"));
    for (const k of ["gold", "silver", "bronze", "default"]) {
      add(`m${k}`, "send_email");
      add(`w${k}`, "wait_for_event");
      add(`c${k}`, "condition");
      add(`e${k}`, "exit");
      add(`k${k}`, "send_email");
      add(`x${k}`, "exit");
      add(`l${k}`, "send_email");
      edges.push(
        { ...edge("s", k, `m${k}`), id: `s-${k}` },
        edge(`m${k}`, "next", `w${k}`),
        edge(`w${k}`, "happened", `c${k}`),
        edge(`c${k}`, "yes", `e${k}`),
        edge(`c${k}`, "no", `k${k}`),
        edge(`k${k}`, "next", `x${k}`),
        edge(`w${k}`, "timed_out", `l${k}`),
      );
      if (k === "default") {
        add(`n${k}`, "exit");
        edges.push(edge(`l${k}`, "next", `n${k}`));
      } else {
        add(`d${k}`, "wait");
        add(`n${k}`, "exit");
        edges.push(edge(`l${k}`, "next", `d${k}`), edge(`d${k}`, "next", `n${k}`));
      }
    }
    expect(nodes).toHaveLength(40);
    const laid = layoutGraph(nodes, edges, order2);
    const h = 84 + COUNT_STRIP_HEIGHT;
    for (const a of laid)
      for (const b of laid) {
        if (a === b) continue;
        const apart = a.position.x + 248 <= b.position.x || b.position.x + 248 <= a.position.x || a.position.y + h <= b.position.y || b.position.y + h <= a.position.y;
        expect(apart, `${a.id} and ${b.id} overlap`).toBe(true);
      }
    // And each wait for an event still has "happened" left of "timed out".
    const x = Object.fromEntries(laid.map((n) => [n.id, n.position.x]));
    for (const k of ["gold", "silver", "bronze", "default"]) expect(x[`c${k}`]).toBeLessThan(x[`l${k}`]);
  });
});
