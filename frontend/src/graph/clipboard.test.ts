import { describe, expect, it } from "vitest";
import type { FlowEdge, StepNode } from "./convert";
import { copySelection, pasteClip } from "./clipboard";

const node = (id: string, type: string, selected = false): StepNode => ({
  id, type, selected, position: { x: 0, y: 0 }, data: { label: id, settings: { amount: 1 } },
});

describe("clipboard", () => {
  const nodes = [node("wait-1", "wait", true), node("exit-1", "exit", true), node("other", "exit")];
  const edges: FlowEdge[] = [
    { id: "a", source: "wait-1", sourceHandle: "next", target: "exit-1" },
    { id: "b", source: "wait-1", sourceHandle: "next", target: "other" },
  ];

  it("copies selected nodes with the edges between them only", () => {
    const clip = copySelection(nodes, edges)!;
    expect(clip.nodes.map((n) => n.id)).toEqual(["wait-1", "exit-1"]);
    expect(clip.edges.map((e) => e.id)).toEqual(["a"]);
  });

  it("pastes with new ids, rewired edges and an offset", () => {
    const clip = copySelection(nodes, edges)!;
    const out = pasteClip(clip, nodes, edges);
    const added = out.nodes.slice(3);
    expect(added.map((n) => n.id)).toEqual(["wait-2", "exit-2"]);
    expect(added[0].position).toEqual({ x: 40, y: 40 });
    expect(out.nodes.slice(0, 3).every((n) => !n.selected)).toBe(true);
    const e = out.edges[2];
    expect([e.source, e.target]).toEqual(["wait-2", "exit-2"]);
    expect(new Set(out.edges.map((x) => x.id)).size).toBe(3);
  });

  it("returns null when nothing is selected", () => {
    expect(copySelection([node("x", "exit")], [])).toBeNull();
  });
});
