/** Top-to-bottom auto-layout with dagre, with each step at the size it has once live numbers show. */
import dagre from "@dagrejs/dagre";
import type { FlowEdge, StepNode } from "./convert";

export const NODE_WIDTH = 248;

/** A step card's height before it is measured, without live numbers (nodes.css: `.step-node-main` min-height). */
export const CARD_HEIGHT = 84;
/** The live-numbers strip a published journey adds under every card (nodes.css: `.count-strip` height + border). */
export const COUNT_STRIP_HEIGHT = 47;
/** Between ranks: a branch's output chip under its step (≈ 24 px) and the branch label over the next step's
 * top (≈ 42 px zoomed out) must both fit, apart. */
const RANK_GAP = 104;
const COLUMN_GAP = 56;

/** The height a step takes once its live numbers show: measured when it has been, and the numbers' strip added
 * when they do not show yet (a draft), so publishing never makes steps grow into each other. */
export function liveHeight(n: StepNode, countsShown: boolean): number {
  return (n.measured?.height ?? CARD_HEIGHT) + (countsShown ? 0 : COUNT_STRIP_HEIGHT);
}

/** Lay out top to bottom; `outputOrder(node)` gives each step's outputs in declared order (yes before no).
 * `countsShown`: whether the measured sizes already include the live numbers' strip. */
export function layoutGraph(
  nodes: StepNode[],
  edges: FlowEdge[],
  outputOrder: (node: StepNode) => string[] = () => [],
  { countsShown = false }: { countsShown?: boolean } = {},
): StepNode[] {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "TB", nodesep: COLUMN_GAP, ranksep: RANK_GAP, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) {
    g.setNode(n.id, { width: n.measured?.width ?? NODE_WIDTH, height: liveHeight(n, countsShown) });
  }
  const ids = new Set(nodes.map((n) => n.id));
  // Order edges so that "yes" branches go left of "no" branches.
  const ordered = [...edges].sort((a, b) => handleRank(a.sourceHandle) - handleRank(b.sourceHandle));
  for (const e of ordered) if (ids.has(e.source) && ids.has(e.target)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const laid = nodes.map((n) => {
    const p = g.node(n.id);
    const w = n.measured?.width ?? NODE_WIDTH;
    const h = liveHeight(n, countsShown);
    return { ...n, position: { x: Math.round(p.x - w / 2), y: Math.round(p.y - h / 2) } };
  });
  const inOrder = keepOutputOrder(laid, edges, outputOrder);
  return separate(inOrder, (n) => ({ width: n.measured?.width ?? NODE_WIDTH, height: liveHeight(n, countsShown) }));
}

/**
 * Moving branches into output order can bring a wide branch onto a narrow one's neighbour. Sweep left to right
 * and push any step that would cover (or come within COLUMN_GAP of) one already placed to its right, so no two
 * steps overlap whatever the graph's shape.
 */
export function separate(nodes: StepNode[], size: (n: StepNode) => { width: number; height: number }): StepNode[] {
  const order = [...nodes].sort((a, b) => a.position.x - b.position.x || a.position.y - b.position.y);
  const placed: { id: string; x: number; y: number; width: number; height: number }[] = [];
  const moved = new Map<string, number>();
  for (const n of order) {
    const { width, height } = size(n);
    const box = { id: n.id, x: n.position.x, y: n.position.y, width, height };
    for (let guard = 0; guard < placed.length + 1; guard++) {
      const hit = placed.find(
        (o) => box.y < o.y + o.height + RANK_GAP / 2 && o.y < box.y + box.height + RANK_GAP / 2 && box.x < o.x + o.width + COLUMN_GAP && o.x < box.x + box.width + COLUMN_GAP,
      );
      if (!hit) break;
      box.x = hit.x + hit.width + COLUMN_GAP;
    }
    if (box.x !== n.position.x) moved.set(n.id, box.x);
    placed.push(box);
  }
  return moved.size ? nodes.map((n) => (moved.has(n.id) ? { ...n, position: { ...n.position, x: moved.get(n.id) as number } } : n)) : nodes;
}

/** Every step reachable from `start` (itself included), following `next`. */
export function reachable(start: string, next: (id: string) => string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...next(id));
  }
  return seen;
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
  const reach = (start: string): Set<string> => reachable(start, (id) => children.get(id) ?? []);
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
