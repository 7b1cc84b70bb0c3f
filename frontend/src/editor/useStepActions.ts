/** What adds, inserts, lays out and duplicates steps on the canvas: placement rules live in graph/placement.ts
 * and graph/layout.ts (pure, unit-tested); this hook applies them to the graph and the viewport. */
import { useStoreApi, type ReactFlowInstance } from "@xyflow/react";
import { useCallback, useRef, type RefObject } from "react";
import { copySelection, pasteClip } from "../graph/clipboard";
import type { StepNode } from "../graph/convert";
import { CARD_HEIGHT, COUNT_STRIP_HEIGHT, layoutGraph, liveHeight, NODE_WIDTH, reachable } from "../graph/layout";
import { autoConnectHandle, freeSpotBelow, GAP_Y, insideView, placeBelow, spotInView, type Box } from "../graph/placement";
import type { GraphState } from "../graph/useGraphState";
import { useT, type MessageKey } from "../i18n";
import { getStep, outputIds } from "../nodes/registry";
import { TOP_MARGIN } from "./bannerInset";
import { useReadableFit } from "./useReadableFit";
import { centredOn, moveViewport, settleViewport } from "./viewportMove";

/** A new step, as tall as it will be once live numbers show. */
const NEW_STEP = { width: NODE_WIDTH, height: CARD_HEIGHT + COUNT_STRIP_HEIGHT };
/** What of the canvas counts as "in view" for a new step: clear of the zoom controls and the minimap. */
const VIEW_INSET = { top: TOP_MARGIN, left: 64, right: 32, bottom: 132 };
// Outputs follow the step's settings (a split has one per branch), in declared order.
export const outputsOf = (n: StepNode) => outputIds(n.type, n.data.settings);
/** A step's box at the size it has (or will have) with live numbers: placements keep clear of that. */
const boxOf = (n: StepNode, countsShown: boolean): Box => ({
  id: n.id,
  x: n.position.x,
  y: n.position.y,
  width: n.measured?.width ?? NODE_WIDTH,
  height: liveHeight(n, countsShown),
});

function reachableFrom(start: string, edges: { source: string; target: string }[]): Set<string> {
  return reachable(start, (id) => edges.filter((e) => e.source === id).map((e) => e.target));
}

export function useStepActions({
  graph,
  flow,
  canvasRef,
  countsShown,
}: {
  graph: GraphState;
  flow: ReactFlowInstance<StepNode>;
  /** The element around the canvas (the new step's default spot is found in the canvas inside it). */
  canvasRef: RefObject<HTMLDivElement>;
  /** Whether the steps show live numbers (their measured size includes the numbers' strip). */
  countsShown: boolean;
}) {
  const t = useT();
  const fit = useReadableFit();
  const store = useStoreApi();

  /** The part of the canvas on screen, in canvas coordinates (null before the canvas is laid out). */
  const visibleArea = useCallback(() => {
    const rect = canvasRef.current?.querySelector("[data-testid=canvas]")?.getBoundingClientRect();
    if (!rect || rect.width < 10) return null;
    const a = flow.screenToFlowPosition({ x: rect.left + VIEW_INSET.left, y: rect.top + VIEW_INSET.top });
    const b = flow.screenToFlowPosition({ x: rect.right - VIEW_INSET.right, y: rect.bottom - VIEW_INSET.bottom });
    return { x: a.x, y: a.y, width: b.x - a.x, height: b.y - a.y };
  }, [canvasRef, flow]);

  /** A clicked step: selected (addNode does), brought into view when it landed outside it, and focused. */
  const reveal = useCallback(
    (id: string, spot: { x: number; y: number }) => {
      const view = visibleArea();
      if (view && !insideView({ ...spot, ...NEW_STEP }, view)) {
        const { width, height, transform } = store.getState();
        const zoom = transform[2];
        const centre = { x: spot.x + NEW_STEP.width / 2, y: spot.y + NEW_STEP.height / 2 };
        void moveViewport(store, flow, centredOn(centre, zoom, { width, height }), 250);
      }
      // The node renders a frame or two after it is added, hidden until xyflow has measured it (a hidden
      // element cannot take focus): focus it once it shows.
      const focus = (frames: number) => {
        const el = document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`);
        if (el && getComputedStyle(el).visibility !== "hidden") el.focus({ preventScroll: true });
        if (document.activeElement !== el && frames > 0) window.requestAnimationFrame(() => focus(frames - 1));
      };
      window.requestAnimationFrame(() => focus(30));
    },
    [flow, store, visibleArea],
  );

  const addStep = useCallback(
    (type: string, position?: { x: number; y: number }) => {
      const def = getStep(type);
      if (!def) return;
      const data = { label: t(`type.${type}` as MessageKey), settings: def.defaultSettings() };
      if (position) {
        graph.addNode(type, position, data); // a drop lands where it was dropped
        return;
      }
      const boxes = graph.nodes.map((n) => boxOf(n, countsShown));
      const chosen = graph.nodes.filter((n) => n.selected);
      if (chosen.length === 1) {
        // Below the selected step, connected when it has exactly one free output.
        const anchor = chosen[0];
        const pos = placeBelow(boxOf(anchor, countsShown), NEW_STEP, boxes);
        const outputs = outputsOf(anchor);
        const used = graph.edges.filter((e) => e.source === anchor.id).map((e) => e.sourceHandle ?? "");
        const handle = autoConnectHandle(outputs, used, def.hasInput);
        reveal(graph.addNode(type, pos, data, handle ? { from: { source: anchor.id, handle } } : {}), pos);
        return;
      }
      // Free room in what is on screen, top centre first; else below the steps there, scrolled into view. The
      // view that stays: a fit or reveal still animating ends first (else it would carry the step out of sight).
      settleViewport(store, flow);
      const view = visibleArea();
      const pos =
        (view && spotInView(view, NEW_STEP, boxes)) ??
        freeSpotBelow(view ? { x: view.x + (view.width - NEW_STEP.width) / 2, y: view.y } : { x: 0, y: 0 }, NEW_STEP, boxes);
      reveal(graph.addNode(type, pos, data), pos);
    },
    [graph, t, countsShown, visibleArea, reveal, store, flow],
  );

  /** "+" on an edge: the new step goes between its ends; what follows moves down to make room. */
  const insertOnEdge = useCallback(
    (edgeId: string, type: string) => {
      const def = getStep(type);
      const edge = graph.edges.find((e) => e.id === edgeId);
      if (!def || !edge || !def.hasInput) return;
      const source = graph.nodes.find((n) => n.id === edge.source);
      const target = graph.nodes.find((n) => n.id === edge.target);
      if (!source || !target) return;
      const out = outputIds(type, def.defaultSettings())[0];
      const sb = boxOf(source, countsShown);
      const pos = { x: target.position.x, y: sb.y + sb.height + GAP_Y };
      const room = NEW_STEP.height + GAP_Y;
      const downstream = reachableFrom(target.id, graph.edges);
      graph.addNode(type, pos, { label: t(`type.${type}` as MessageKey), settings: def.defaultSettings() }, {
        replaceEdge: edge.id,
        from: { source: edge.source, handle: edge.sourceHandle ?? "next" },
        to: out ? { target: edge.target, out } : undefined,
        shift: { ids: [...downstream], dy: room },
      });
    },
    [graph, t, countsShown],
  );
  // The edge "+" menu calls the latest insertOnEdge without re-rendering every edge when the graph changes.
  const insertRef = useRef(insertOnEdge);
  insertRef.current = insertOnEdge;

  const layoutSelection = useCallback(() => {
    const chosen = new Set(graph.nodes.filter((n) => n.selected).map((n) => n.id));
    if (chosen.size < 2) return;
    const sub = graph.nodes.filter((n) => chosen.has(n.id));
    const laid = layoutGraph(sub, graph.edges.filter((e) => chosen.has(e.source) && chosen.has(e.target)), outputsOf, { countsShown });
    // Keep the selection where it was: align the laid-out block's top-left with the old one.
    const minX = (ns: StepNode[]) => Math.min(...ns.map((n) => n.position.x));
    const minY = (ns: StepNode[]) => Math.min(...ns.map((n) => n.position.y));
    const dx = minX(sub) - minX(laid);
    const dy = minY(sub) - minY(laid);
    const moved = new Map(laid.map((n) => [n.id, { x: n.position.x + dx, y: n.position.y + dy }]));
    graph.replace(graph.nodes.map((n) => (moved.has(n.id) ? { ...n, position: moved.get(n.id) as { x: number; y: number } } : n)), graph.edges);
  }, [graph, countsShown]);

  const duplicateSelection = useCallback(() => {
    const clip = copySelection(graph.nodes, graph.edges);
    if (!clip) return;
    const next = pasteClip(clip, graph.nodes, graph.edges);
    graph.replace(next.nodes, next.edges);
  }, [graph]);

  const autoLayout = useCallback(() => {
    graph.replace(layoutGraph(graph.nodes, graph.edges, outputsOf, { countsShown }), graph.edges);
    window.requestAnimationFrame(() => fit());
  }, [graph, fit, countsShown]);

  return { addStep, insertRef, layoutSelection, duplicateSelection, autoLayout };
}
