/** What the editor says about problems: calm ("to finish") until a publish attempt or until the marketer edits
 * the field concerned; a picked problem selects its step (or opens the journey settings at its field). */
import { useStoreApi, type ReactFlowInstance } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { LocatedError } from "../api/types";
import type { StepNode } from "../graph/convert";
import { NODE_WIDTH } from "../graph/layout";
import { bySeverity, isJourneySetting, loopSteps, problemEntries, type ProblemEntry } from "../graph/problems";
import type { GraphState } from "../graph/useGraphState";
import { useT } from "../i18n";
import { stepName } from "../nodes/registry";
import { centredOn, moveViewport } from "./viewportMove";

export function useProblems({
  problems,
  graph,
  flow,
  onJourneySetting,
}: {
  /** Every located problem of the current graph (errors and warnings), as the last validation answered. */
  problems: LocatedError[];
  graph: GraphState;
  flow: ReactFlowInstance<StepNode>;
  /** A journey-settings problem was picked: open the settings drawer at `field`. */
  onJourneySetting: (field: string) => void;
}) {
  const t = useT();
  const store = useStoreApi();
  const [attempted, setAttempted] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  // Fields edited since the last validation result: their old error is stale, so it is hidden (no lag).
  const [editedSince, setEditedSince] = useState<ReadonlySet<string>>(() => new Set());
  useEffect(() => setEditedSince(new Set()), [problems]);
  const show = useMemo(() => ({ attempted, touched }), [attempted, touched]);
  const currentProblems = useMemo(
    () =>
      editedSince.size === 0
        ? problems
        : problems.filter((e) => !(e.code === "invalid_settings" && e.node_id && e.field && editedSince.has(`${e.node_id}:${e.field.split(".")[0]}`))),
    [problems, editedSince],
  );
  const [focusRequest, setFocusRequest] = useState<{ nodeId: string; field: string | null; n: number } | null>(null);
  const stepNames = useMemo(
    () => graph.nodes.map((n) => ({ id: n.id, type: n.type ?? "", name: stepName(n, t) })),
    [graph.nodes, t],
  );
  // Only what blocks publishing is listed as "to finish"; warnings show on their step in amber.
  const entries = useMemo(
    () => (graph.nodes.length === 0 ? [] : problemEntries(bySeverity(currentProblems).errors, stepNames, graph.edges, show)),
    [currentProblems, stepNames, graph.edges, graph.nodes.length, show],
  );
  const loop = useMemo(() => loopSteps(currentProblems, stepNames), [currentProblems, stepNames]);
  const pickProblem = useCallback(
    (e: ProblemEntry) => {
      if (!e.nodeId) {
        if (isJourneySetting(e.field)) onJourneySetting(e.field as string);
        return;
      }
      graph.select([e.nodeId]);
      const target = graph.nodes.find((n) => n.id === e.nodeId);
      if (target) {
        // Through viewportMove, like every animated move: a fit still running cannot carry the step away again.
        const { width, height } = store.getState();
        const centre = { x: target.position.x + NODE_WIDTH / 2, y: target.position.y + 60 };
        void moveViewport(store, flow, centredOn(centre, Math.max(flow.getZoom(), 0.9), { width, height }), 250);
      }
      setFocusRequest((prev) => ({ nodeId: e.nodeId as string, field: e.field, n: (prev?.n ?? 0) + 1 }));
    },
    [graph, flow, store, onJourneySetting],
  );
  const onSettings = useCallback(
    (nid: string, settings: Record<string, unknown>, field: string) => {
      graph.updateNodeData(nid, { settings }, field);
      const key = `${nid}:${field}`;
      setTouched((prev) => (prev.has(key) ? prev : new Set(prev).add(key)));
      setEditedSince((prev) => (prev.has(key) ? prev : new Set(prev).add(key)));
    },
    [graph],
  );
  /** A publish (or a "check") was attempted: every problem is shown loudly from now on. */
  const markAttempted = useCallback(() => setAttempted(true), []);
  return { show, currentProblems, stepNames, entries, loop, pickProblem, onSettings, focusRequest, markAttempted };
}
