/** Canvas state (nodes, edges) with snapshot-based undo/redo over graph changes. */
import {
  addEdge,
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type XYPosition,
} from "@xyflow/react";
import { useCallback, useMemo, useReducer, useRef, useState } from "react";
import type { Settings } from "../nodes/types";
import { EDGE_TYPE, nextId, TARGET_HANDLE, type FlowEdge, type StepNode, type StepNodeData } from "./convert";

interface Snapshot {
  nodes: StepNode[];
  edges: FlowEdge[];
}

const LIMIT = 100;
/** Edits to the same field within this window form one undo step (typing a word is one step). */
const COALESCE_MS = 1200;

export function useGraphState() {
  const [nodes, setNodes] = useState<StepNode[]>([]);
  const [edges, setEdges] = useState<FlowEdge[]>([]);
  const current = useRef<Snapshot>({ nodes, edges });
  current.current = { nodes, edges };
  const past = useRef<Snapshot[]>([]);
  const future = useRef<Snapshot[]>([]);
  const last = useRef<{ key: string; at: number } | null>(null);
  const [version, bump] = useReducer((x: number) => x + 1, 0);

  const checkpoint = useCallback((key?: string) => {
    const now = Date.now();
    if (key && last.current?.key === key && now - last.current.at < COALESCE_MS) {
      last.current.at = now;
      return;
    }
    past.current.push(current.current);
    if (past.current.length > LIMIT) past.current.shift();
    future.current = [];
    last.current = key ? { key, at: now } : null;
    bump();
  }, []);

  const restore = useCallback((s: Snapshot) => {
    setNodes(s.nodes);
    setEdges(s.edges);
    last.current = null;
    bump();
  }, []);

  const undo = useCallback(() => {
    const s = past.current.pop();
    if (!s) return;
    future.current.push(current.current);
    restore(s);
  }, [restore]);

  const redo = useCallback(() => {
    const s = future.current.pop();
    if (!s) return;
    past.current.push(current.current);
    restore(s);
  }, [restore]);

  /** Replace everything and forget history (loading a journey). */
  const reset = useCallback((n: StepNode[], e: FlowEdge[]) => {
    past.current = [];
    future.current = [];
    last.current = null;
    setNodes(n);
    setEdges(e);
    bump();
  }, []);

  // Removals are checkpointed by onBeforeDelete / removeNodes; drags by onNodeDragStart.
  const onNodesChange = useCallback((changes: NodeChange<StepNode>[]) => setNodes((ns) => applyNodeChanges(changes, ns)), []);
  const onEdgesChange = useCallback((changes: EdgeChange<FlowEdge>[]) => setEdges((es) => applyEdgeChanges(changes, es)), []);

  const connect = useCallback(
    (c: Connection) => {
      checkpoint();
      setEdges((es) => {
        const id = nextId(`e-${c.source}-${c.sourceHandle ?? "out"}`, es.map((e) => e.id));
        return addEdge({ ...c, id, type: EDGE_TYPE, targetHandle: TARGET_HANDLE }, es);
      });
    },
    [checkpoint],
  );

  /**
   * Add a step (selected, the rest deselected) as one undo step. `link.from` connects an existing output to
   * it; `link.to` connects its output `link.out` onward (inserting on an edge uses both).
   */
  const addNode = useCallback(
    (
      type: string,
      position: XYPosition,
      data: StepNodeData,
      link: { from?: { source: string; handle: string }; to?: { target: string; out: string }; replaceEdge?: string; shift?: { ids: string[]; dy: number } } = {},
    ): string => {
      checkpoint();
      const id = nextId(type.replace(/_/g, "-"), current.current.nodes.map((n) => n.id));
      const node: StepNode = { id, type, position, data, selected: true };
      const shifted = new Set(link.shift?.ids ?? []);
      const dy = link.shift?.dy ?? 0;
      setNodes((ns) => [
        ...ns.map((n) => {
          const moved = shifted.has(n.id) ? { ...n, position: { x: n.position.x, y: n.position.y + dy } } : n;
          return moved.selected ? { ...moved, selected: false } : moved;
        }),
        node,
      ]);
      setEdges((es) => {
        let out = es.filter((e) => e.id !== link.replaceEdge).map((e) => (e.selected ? { ...e, selected: false } : e));
        const add = (source: string, sourceHandle: string, target: string) => {
          const eid = nextId(`e-${source}-${sourceHandle}`, out.map((e) => e.id));
          out = [...out, { id: eid, source, sourceHandle, target, targetHandle: TARGET_HANDLE, type: EDGE_TYPE }];
        };
        if (link.from) add(link.from.source, link.from.handle, id);
        if (link.to) add(id, link.to.out, link.to.target);
        return out;
      });
      return id;
    },
    [checkpoint],
  );

  const updateNodeData = useCallback(
    (id: string, patch: { label?: string; settings?: Settings }, coalesceKey?: string) => {
      checkpoint(coalesceKey ? `${id}:${coalesceKey}` : undefined);
      setNodes((ns) => ns.map((n) => (n.id === id ? { ...n, data: { ...n.data, ...patch } } : n)));
    },
    [checkpoint],
  );

  const removeNodes = useCallback(
    (ids: string[]) => {
      checkpoint();
      const gone = new Set(ids);
      setNodes((ns) => ns.filter((n) => !gone.has(n.id)));
      setEdges((es) => es.filter((e) => !gone.has(e.source) && !gone.has(e.target)));
    },
    [checkpoint],
  );

  /** Point one output at `target` (or disconnect it with null), as one undo step: the keyboard way to connect. */
  const setOutput = useCallback(
    (source: string, handle: string, target: string | null) => {
      checkpoint();
      setEdges((es) => {
        const rest = es.filter((e) => !(e.source === source && (e.sourceHandle ?? "") === handle));
        if (!target) return rest;
        const id = nextId(`e-${source}-${handle}`, rest.map((e) => e.id));
        return [...rest, { id, source, sourceHandle: handle, target, targetHandle: TARGET_HANDLE, type: EDGE_TYPE }];
      });
    },
    [checkpoint],
  );

  /** Select exactly these nodes (and no edges); not an undo step. */
  const select = useCallback((ids: string[]) => {
    const want = new Set(ids);
    setNodes((ns) => ns.map((n) => (!!n.selected === want.has(n.id) ? n : { ...n, selected: want.has(n.id) })));
    setEdges((es) => es.map((e) => (e.selected ? { ...e, selected: false } : e)));
  }, []);

  /** Replace the graph as one undoable step (auto-layout, paste). */
  const replace = useCallback(
    (n: StepNode[], e: FlowEdge[]) => {
      checkpoint();
      setNodes(n);
      setEdges(e);
    },
    [checkpoint],
  );

  return useMemo(
    () => ({
      nodes,
      edges,
      onNodesChange,
      onEdgesChange,
      connect,
      addNode,
      updateNodeData,
      removeNodes,
      select,
      setOutput,
      replace,
      reset,
      checkpoint,
      undo,
      redo,
      canUndo: past.current.length > 0,
      canRedo: future.current.length > 0,
    }),
    [nodes, edges, version],
  );
}

export type GraphState = ReturnType<typeof useGraphState>;
