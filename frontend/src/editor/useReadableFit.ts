/** "Fit to screen" that keeps step names readable (graph/zoom.ts `readableFit`): the whole journey when it fits
 * at a readable zoom, else its entry at READABLE_ZOOM with the minimap showing the rest. */
import { useReactFlow, useStoreApi } from "@xyflow/react";
import { useCallback } from "react";
import type { StepNode } from "../graph/convert";
import { FIT_PADDING, readableFit } from "../graph/zoom";
import { moveViewport } from "./viewportMove";

export function useReadableFit() {
  const flow = useReactFlow<StepNode>();
  const store = useStoreApi();
  return useCallback(
    (duration = 300) => {
      const nodes = flow.getNodes();
      if (nodes.length === 0) return;
      const { width, height } = store.getState();
      if (!width || !height) return;
      // The entry: the topmost step (a trigger, in a journey laid out top to bottom).
      const entry = nodes.reduce((top, n) => (n.position.y < top.position.y ? n : top), nodes[0]);
      const entryX = entry.position.x + (entry.measured?.width ?? 0) / 2;
      void moveViewport(store, flow, readableFit(flow.getNodesBounds(nodes), { width, height }, FIT_PADDING, entryX), duration);
    },
    [flow, store],
  );
}
