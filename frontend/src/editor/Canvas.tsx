/** The React Flow canvas with drag-and-drop from the palette. */
import {
  Background,
  BackgroundVariant,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
  useStore,
  useStoreApi,
  type Connection,
  type Edge,
  type Node,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, type DragEvent } from "react";
import { edgeTypes } from "../edges/JourneyEdge";
import type { GraphState } from "../graph/useGraphState";
import type { StepNode } from "../graph/convert";
import { hasKey, useT, type MessageKey } from "../i18n";
import { getStep, stepName } from "../nodes/registry";
import { nodeTypes } from "../nodes/nodeTypes";
import { Icon } from "../components/Icon";
import { DND_MIME } from "./Palette";
import { NODE_WIDTH } from "../graph/layout";
import { useReadableFit } from "./useReadableFit";
import { TOP_MARGIN } from "./bannerInset";
import { useEditorView } from "./EditorContext";
import { isFar } from "../graph/zoom";
import { viewportMoveStarted } from "./viewportMove";

const MINIMAP_COLORS: Record<string, string> = {
  trigger: "#8b5cf6",
  wait: "#f59e0b",
  condition: "#3b82f6",
  split: "#0891b2",
  email: "#10b981",
  goal: "#c026d3",
  data: "#e11d48",
  sms: "#0284c7",
  line: "#06c755",
  push: "#ea580c",
  inapp: "#6366f1",
  webhook: "#57534e",
  exit: "#94a3b8",
};

const DELETE_KEYS = ["Delete", "Backspace"];
// Shift-click adds a step to the selection (as in most design tools); Shift-drag draws a selection box.
const MULTI_KEYS = ["Shift", "Meta", "Control"];
const SNAP: [number, number] = [8, 8];

export function Canvas({
  graph,
  onDropStep,
  readOnly = false,
}: {
  graph: GraphState;
  onDropStep: (type: string, pos: { x: number; y: number }) => void;
  /** Archived journeys: pan and zoom only; nothing can be moved, connected, selected, dropped or deleted. */
  readOnly?: boolean;
}) {
  const t = useT();
  const { screenToFlowPosition, getZoom } = useReactFlow();
  // Fit only a journey that had steps when it opened: on a blank canvas, xyflow would otherwise fit (and so
  // jump) the moment the first step is dropped.
  const fitOnOpen = useRef(graph.nodes.length > 0);
  const fit = useReadableFit();
  const far = useStore(isFar);
  const { showCounts } = useEditorView();
  // Once the steps are measured (their real sizes), fit them: readable, never smaller than READABLE_ZOOM.
  const measured = useNodesInitialized();
  useEffect(() => {
    if (!measured || !fitOnOpen.current) return;
    fitOnOpen.current = false;
    fit(0);
  }, [measured, fit]);
  // Screen readers announce an edge by the steps it joins ("Added to cart → Wait, Yes"), never by ids.
  const names = useMemo(
    () => new Map(graph.nodes.map((n) => [n.id, stepName(n, t)])),
    [graph.nodes, t],
  );
  const edges = useMemo(
    () =>
      graph.edges.map((e) => {
        const out = e.sourceHandle && e.sourceHandle !== "next" && hasKey(`handle.${e.sourceHandle}`) ? `, ${t(`handle.${e.sourceHandle}` as MessageKey)}` : "";
        const ariaLabel = t("edge.aria", { from: names.get(e.source) ?? e.source, to: names.get(e.target) ?? e.target, out });
        return e.ariaLabel === ariaLabel ? e : { ...e, ariaLabel };
      }),
    [graph.edges, names, t],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      e.preventDefault();
      if (readOnly) return;
      const type = e.dataTransfer.getData(DND_MIME) || e.dataTransfer.getData("text/plain");
      if (!getStep(type)) return;
      const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      // A drop at the very top edge lands just inside the canvas, whole (not half above its edge).
      const top = screenToFlowPosition({ x: e.clientX, y: e.currentTarget.getBoundingClientRect().top }).y + TOP_MARGIN / getZoom();
      onDropStep(type, { x: p.x - NODE_WIDTH / 2, y: Math.max(p.y - 30, top) });
    },
    [screenToFlowPosition, getZoom, onDropStep, readOnly],
  );

  const isValidConnection = useCallback(
    (c: Connection | Edge) =>
      c.source !== c.target &&
      !graph.edges.some((e) => e.source === c.source && e.target === c.target && e.sourceHandle === c.sourceHandle),
    [graph.edges],
  );

  // Which animated move (fit, reveal) is still running, so a clicked step is placed in the view it ends at: a
  // move started by the user (an event; a programmatic one has none) or by anything else interrupts it.
  const store = useStoreApi();
  const onMoveStart = useCallback((event: MouseEvent | TouchEvent | null) => viewportMoveStarted(store, !!event), [store]);

  const { checkpoint } = graph;
  const onBeforeDelete = useCallback(async () => {
    checkpoint();
    return true;
  }, [checkpoint]);

  return (
    <div
      className={`canvas${readOnly ? " is-readonly" : ""}`}
      data-testid="canvas"
      data-readonly={readOnly ? "true" : "false"}
      aria-label={t("canvas.label")}
      onDragOver={onDragOver}
      onDrop={onDrop}
    >
      <ReactFlow<StepNode>
        nodes={graph.nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={graph.onNodesChange}
        onEdgesChange={graph.onEdgesChange}
        onConnect={graph.connect}
        onNodeDragStart={() => checkpoint()}
        onMoveStart={onMoveStart}
        onBeforeDelete={onBeforeDelete}
        isValidConnection={isValidConnection}
        deleteKeyCode={readOnly ? null : DELETE_KEYS}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        elementsSelectable={!readOnly}
        edgesFocusable={!readOnly}
        nodesFocusable={!readOnly}
        defaultEdgeOptions={{ type: "journey" }}
        snapToGrid
        snapGrid={SNAP}
        multiSelectionKeyCode={MULTI_KEYS}
        selectionKeyCode="Shift"
        minZoom={0.2}
        maxZoom={2}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} color="#cbd5e1" />
        <Controls showInteractive={false} showFitView={false} position="bottom-left">
          <ControlButton onClick={() => fit()} title={t("editor.fitView")} aria-label={t("editor.fitView")} data-testid="controls-fit-view">
            <Icon name="fit" size={14} />
          </ControlButton>
        </Controls>
        {/* The minimap only once there is something to map: on a blank canvas it would be an empty box. */}
        {graph.nodes.length > 0 && (
        <MiniMap
          position="bottom-right"
          pannable
          zoomable
          style={{ width: 168, height: 112 }}
          ariaLabel="Mini map"
          nodeBorderRadius={6}
          nodeColor={(n: Node) => MINIMAP_COLORS[getStep(n.type)?.color ?? "exit"]}
          maskColor="rgba(241, 245, 249, 0.7)"
        />
        )}
      </ReactFlow>
      {far && showCounts && graph.nodes.length > 0 && (
        <div className="canvas-legend" data-testid="canvas-legend">
          <Icon name="users" size={14} />
          {t("canvas.farLegend")}
        </div>
      )}
      {graph.nodes.length === 0 && !readOnly && (
        <div className="canvas-empty" data-testid="canvas-empty">
          <div className="empty-icon">
            <Icon name="bolt" size={24} />
          </div>
          <h2>{t("canvas.emptyTitle")}</h2>
          <p>{t("canvas.emptyBody")}</p>
        </div>
      )}
    </div>
  );
}
