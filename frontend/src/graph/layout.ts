/** Top-to-bottom auto-layout with dagre. */
import dagre from "@dagrejs/dagre";
import type { FlowEdge, StepNode } from "./convert";

export const NODE_WIDTH = 248;

/** Fit-view margins: the minimap sits in the bottom-right corner, so the right side keeps it clear. */
export const FIT_VIEW = { padding: { top: "48px", left: "56px", bottom: "48px", right: "210px" }, maxZoom: 1 } as const;
const DEFAULT_HEIGHT = 80;

export function layoutGraph(nodes: StepNode[], edges: FlowEdge[]): StepNode[] {
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
  return nodes.map((n) => {
    const p = g.node(n.id);
    const w = n.measured?.width ?? NODE_WIDTH;
    const h = n.measured?.height ?? DEFAULT_HEIGHT;
    return { ...n, position: { x: Math.round(p.x - w / 2), y: Math.round(p.y - h / 2) } };
  });
}

function handleRank(h: string | null | undefined): number {
  return h === "yes" ? 0 : h === "no" ? 2 : 1;
}
