/** Copy/paste of selected steps: pure helpers (the clipboard itself lives in the editor). */
import { nextId, type FlowEdge, type StepNode } from "./convert";

export interface Clip {
  nodes: StepNode[];
  edges: FlowEdge[];
}

/** The selected nodes and the edges running between them. */
export function copySelection(nodes: StepNode[], edges: FlowEdge[]): Clip | null {
  const picked = nodes.filter((n) => n.selected);
  if (!picked.length) return null;
  const ids = new Set(picked.map((n) => n.id));
  return {
    nodes: picked.map((n) => ({ ...n, data: JSON.parse(JSON.stringify(n.data)) })),
    edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
  };
}

/** Fresh ids, offset positions; the pasted steps become the selection. */
export function pasteClip(clip: Clip, nodes: StepNode[], edges: FlowEdge[], offset = 40): Clip {
  const taken = new Set(nodes.map((n) => n.id));
  const idMap = new Map<string, string>();
  const pasted = clip.nodes.map((n) => {
    const id = nextId((n.type ?? "step").replace(/_/g, "-"), taken);
    taken.add(id);
    idMap.set(n.id, id);
    return {
      ...n,
      id,
      selected: true,
      dragging: false,
      position: { x: n.position.x + offset, y: n.position.y + offset },
      data: JSON.parse(JSON.stringify(n.data)),
    } as StepNode;
  });
  const edgeIds = new Set(edges.map((e) => e.id));
  const pastedEdges = clip.edges.map((e) => {
    const id = nextId(`e-${idMap.get(e.source)}-${e.sourceHandle ?? "out"}`, edgeIds);
    edgeIds.add(id);
    return { ...e, id, selected: false, source: idMap.get(e.source)!, target: idMap.get(e.target)! };
  });
  return {
    nodes: [...nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...pasted],
    edges: [...edges.map((e) => (e.selected ? { ...e, selected: false } : e)), ...pastedEdges],
  };
}
