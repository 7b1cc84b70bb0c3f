/** The journey being drawn — canvas (nodes, edges) and the journey's settings — with one snapshot-based undo/redo
 * history over both (a settings change is undone like a moved step). */
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
import { changedSettings, History } from "./history";

type JourneySettings = Record<string, unknown>;

interface Snapshot {
  nodes: StepNode[];
  edges: FlowEdge[];
  settings: JourneySettings;
}

export function useGraphState() {
  const [nodes, setNodes] = useState<StepNode[]>([]);
  const [edges, setEdges] = useState<FlowEdge[]>([]);
  // Journey-wide settings (re-entry, quiet hours…), saved in the graph's `settings`.
  const [settings, setSettings] = useState<JourneySettings>({});
  const current = useRef<Snapshot>({ nodes, edges, settings });
  current.current = { nodes, edges, settings };
  const history = useRef(new History<Snapshot>()).current;
  const [version, bump] = useReducer((x: number) => x + 1, 0);

  /** Edits to the same field within a short time form one undo step (typing a word is one step). */
  const checkpoint = useCallback(
    (key?: string) => {
      if (history.checkpoint(current.current, key)) bump();
    },
    [history],
  );

  const restore = useCallback((s: Snapshot | null) => {
    if (!s) return;
    setNodes(s.nodes);
    setEdges(s.edges);
    setSettings(s.settings);
    bump();
  }, []);

  const undo = useCallback(() => restore(history.undo(current.current)), [history, restore]);
  const redo = useCallback(() => restore(history.redo(current.current)), [history, restore]);

  /** Replace everything and forget history (loading a journey). */
  const reset = useCallback(
    (n: StepNode[], e: FlowEdge[], s: JourneySettings = {}) => {
      history.clear();
      setNodes(n);
      setEdges(e);
      setSettings(s);
      bump();
    },
    [history],
  );

  /** Change the journey's settings as an undo step; typing in one setting is one step. */
  const updateSettings = useCallback(
    (next: JourneySettings) => {
      checkpoint(`settings:${changedSettings(current.current.settings, next).join(",")}`);
      setSettings(next);
    },
    [checkpoint],
  );

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
      settings,
      updateSettings,
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
      canUndo: history.canUndo,
      canRedo: history.canRedo,
    }),
    [nodes, edges, settings, version],
  );
}

export type GraphState = ReturnType<typeof useGraphState>;
