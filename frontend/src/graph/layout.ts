/** Top-to-bottom auto-layout with dagre. */
import dagre from "@dagrejs/dagre";
import type { FlowEdge, StepNode } from "./convert";

export const NODE_WIDTH = 248;

/** Fit-view margins: the minimap sits in the bottom-right corner, so the right side keeps it clear. */
export const FIT_VIEW = { padding: { top: "48px", left: "56px", bottom: "48px", right: "210px" }, maxZoom: 1 } as const;
const DEFAULT_HEIGHT = 80;

/** Lay out top to bottom; `outputOrder(node)` gives each step's outputs in declared order (yes before no). */
export function layoutGraph(nodes: StepNode[], edges: FlowEdge[], outputOrder: (node: StepNode) => string[] = () => []): StepNode[] {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "TB", nodesep: 60, ranksep: 80, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) {
    g.setNode(n.id, { width: n.measured?.width ?? NODE_WIDTH, height: n.measured?.height ?? DEFAULT_HEIGHT });
  }
  const ids = new Set(nodes.map((n) => n.id));
  // Order edges so that "yes" branches go left of "no" branches.
  const ordered = [...edges].sort((a, b) => handleRank(a.sourceHandle) - handleRank(b.sourceHandle));
  for (const e of ordered) if (ids.has(e.source) && ids.has(e.target)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const laid = nodes.map((n) => {
    const p = g.node(n.id);
    const w = n.measured?.width ?? NODE_WIDTH;
    const h = n.measured?.height ?? DEFAULT_HEIGHT;
    return { ...n, position: { x: Math.round(p.x - w / 2), y: Math.round(p.y - h / 2) } };
  });
  return keepOutputOrder(laid, edges, outputOrder);
}

/**
 * dagre orders siblings to reduce crossings and may put "no" left of "yes". For every step with several
 * outputs (top to bottom), give its targets the same x slots in declared output order, moving each target
 * with the steps only it leads to.
 */
export function keepOutputOrder(nodes: StepNode[], edges: FlowEdge[], outputOrder: (node: StepNode) => string[]): StepNode[] {
  const pos = new Map(nodes.map((n) => [n.id, { ...n.position }]));
  const children = new Map<string, string[]>();
  for (const e of edges) if (pos.has(e.source) && pos.has(e.target)) children.set(e.source, [...(children.get(e.source) ?? []), e.target]);
  const reach = (start: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [start];
    while (stack.length) {
      const id = stack.pop() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(children.get(id) ?? []));
    }
    return seen;
  };
  const byY = [...nodes].sort((a, b) => (pos.get(a.id)?.y ?? 0) - (pos.get(b.id)?.y ?? 0));
  for (const n of byY) {
    const order = outputOrder(n);
    if (order.length < 2) continue;
    const targets = order
      .map((h) => edges.find((e) => e.source === n.id && e.sourceHandle === h)?.target)
      .filter((t): t is string => !!t && pos.has(t) && t !== n.id);
    if (targets.length < 2 || new Set(targets).size !== targets.length) continue;
    const xs = targets.map((t) => pos.get(t)?.x ?? 0);
    const slots = [...xs].sort((a, b) => a - b);
    if (xs.every((x, i) => x === slots[i])) continue;
    const subtrees = targets.map(reach);
    targets.forEach((_target, i) => {
      const dx = slots[i] - xs[i];
      const others = subtrees.filter((_, j) => j !== i);
      for (const id of subtrees[i]) {
        if (others.some((s) => s.has(id))) continue; // shared downstream steps stay put
        const p = pos.get(id);
        if (p) p.x += dx;
      }
    });
  }
  return nodes.map((n) => ({ ...n, position: pos.get(n.id) ?? n.position }));
}

function handleRank(h: string | null | undefined): number {
  return h === "yes" ? 0 : h === "no" ? 2 : 1;
}
