/**
 * Derived, per-render editor state that nodes and edges display (errors, live counts).
 * Kept out of node `data` so that data stays the saved JSON.
 */
import { createContext, useContext } from "react";
import type { CountsByNode, FlowCounts } from "../api/types";
import type { MappedErrors } from "../graph/convert";
import type { ShowState } from "../graph/problems";
import type { JourneyStepRef } from "../nodes/types";

export interface EditorView {
  errors: MappedErrors;
  /** Whether problems are shown loudly yet (see graph/problems.ts). */
  show: ShowState;
  /** Names of the steps on a loop, for the loop message. */
  loop: string[];
  counts: CountsByNode;
  flow: FlowCounts | null;
  showCounts: boolean;
  /** Open the list of customers at a step (the node's key number is a button). */
  openCustomers: (nodeId: string) => void;
  /** The journey's steps by name (summaries that refer to another step name it). */
  steps: JourneyStepRef[];
  /** Insert a step of `type` on an edge (the edge's "+" menu); null when the journey cannot be edited. */
  insertOnEdge: ((edgeId: string, type: string) => void) | null;
}

export const EditorContext = createContext<EditorView>({
  errors: { byNode: {}, byEdge: {}, general: [] },
  show: { attempted: false, touched: new Set() },
  loop: [],
  counts: {},
  flow: null,
  showCounts: false,
  openCustomers: () => {},
  steps: [],
  insertOnEdge: null,
});

export const useEditorView = () => useContext(EditorContext);
