/**
 * Derived, per-render editor state that nodes and edges display (errors, live counts).
 * Kept out of node `data` so that data stays the saved JSON.
 */
import { createContext, useContext } from "react";
import type { CountsByNode } from "../api/types";
import type { MappedErrors } from "../graph/convert";

export interface EditorView {
  errors: MappedErrors;
  counts: CountsByNode;
  showCounts: boolean;
}

export const EditorContext = createContext<EditorView>({
  errors: { byNode: {}, byEdge: {}, general: [] },
  counts: {},
  showCounts: false,
});

export const useEditorView = () => useContext(EditorContext);
