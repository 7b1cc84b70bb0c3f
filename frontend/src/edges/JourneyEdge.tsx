/** The canvas edge: smooth-step path carrying domain attributes; drawn red with its message when invalid. */
import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, useReactFlow, useStore, type EdgeProps, type EdgeTypes } from "@xyflow/react";
import { memo } from "react";
import { Icon } from "../components/Icon";
import { useEditorView } from "../editor/EditorContext";
import { edgeSplit } from "../graph/metrics";
import { isFar } from "../graph/zoom";
import { useT } from "../i18n";
import { getStep } from "../nodes/registry";
import { translateLocatedError } from "../i18n/errors";

function JourneyEdgeView(props: EdgeProps) {
  const { id, source, target, sourceHandleId, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected, markerEnd } = props;
  const t = useT();
  const { deleteElements } = useReactFlow();
  const view = useEditorView();
  const far = useStore(isFar);
  // The edge takes its output's tone from the manifest (yes / no / timed out / goal / branch n).
  const tone = useStore((st) => {
    const n = st.nodeLookup.get(source);
    const outputs = getStep(n?.type)?.outputs((n?.data as { settings?: Record<string, unknown> } | undefined)?.settings) ?? [];
    const i = outputs.findIndex((o) => o.id === sourceHandleId);
    if (i < 0) return "";
    const o = outputs[i];
    return o.tone === "neutral" ? "" : ` edge-${o.tone}${o.tone === "branch" ? ` branch-${i % 10}` : ""}`;
  });
  const edgeErrors = view.errors.byEdge[id] ?? [];
  // Branch edges (yes / no …) carry how many took them and their share, so a split reads at a glance.
  const branch = view.showCounts && sourceHandleId && sourceHandleId !== "next" ? edgeSplit(view.flow, source, sourceHandleId) : null;
  const invalid = edgeErrors.length > 0;
  const message = invalid ? translateLocatedError(edgeErrors[0], t) : "";
  const [path, labelX, labelY] = getSmoothStepPath({
    sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, borderRadius: 14, offset: 24,
  });
  return (
    <>
      <BaseEdge
        path={path}
        markerEnd={markerEnd}
        interactionWidth={22}
        className={`journey-edge${tone}${invalid ? " is-invalid" : ""}${selected ? " is-selected" : ""}`}
        data-testid={`edge-${id}`}
        data-edge-id={id}
        data-source={source}
        data-target={target}
        data-source-handle={sourceHandleId ?? ""}
        data-invalid={invalid ? "true" : "false"}
      />
      {(invalid || selected || branch) && (
        <EdgeLabelRenderer>
          <div
            className="edge-label nodrag nopan"
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          >
            {invalid && (
              <span className="edge-error" data-testid={`edge-error-${id}`} title={message} tabIndex={0} aria-label={message}>
                <Icon name="alert" size={12} />
                <span className="edge-error-text">{message}</span>
              </span>
            )}
            {branch && !invalid && (
              <span className={`edge-split${tone}${far ? " is-far" : ""}`} data-testid={`edge-split-${id}`} data-count={branch.count} data-percent={branch.percent ?? ""}>
                {far
                  ? `${branch.count.toLocaleString()}${branch.percent === null ? "" : ` · ${branch.percent}%`}`
                  : branch.percent === null
                    ? t("edge.splitNone", { n: branch.count })
                    : t("edge.split", { n: branch.count, pct: branch.percent })}
              </span>
            )}
            {selected && (
              <button
                type="button"
                className="edge-delete"
                data-testid={`edge-delete-${id}`}
                aria-label={t("edge.delete")}
                title={t("edge.delete")}
                onClick={() => deleteElements({ edges: [{ id }] })}
              >
                <Icon name="x" size={12} />
              </button>
            )}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const JourneyEdge = memo(JourneyEdgeView);

export const edgeTypes: EdgeTypes = { journey: JourneyEdge };
