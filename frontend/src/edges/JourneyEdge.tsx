/** The canvas edge: smooth-step path carrying domain attributes; drawn red with its message when invalid. */
import {
  BaseEdge,
  EdgeLabelRenderer,
  getSmoothStepPath,
  useInternalNode,
  useReactFlow,
  type EdgeProps,
  type EdgeTypes,
} from "@xyflow/react";
import { memo } from "react";
import { Icon } from "../components/Icon";
import { useEditorView } from "../editor/EditorContext";
import { useT } from "../i18n";
import { translateLocatedError } from "../i18n/errors";
import { outputsFor } from "../nodes/manifest";
import type { Settings } from "../nodes/types";

function JourneyEdgeView(props: EdgeProps) {
  const { id, source, target, sourceHandleId, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected, markerEnd } = props;
  const t = useT();
  const { deleteElements } = useReactFlow();
  const edgeErrors = useEditorView().errors.byEdge[id] ?? [];
  const invalid = edgeErrors.length > 0;
  const message = invalid ? translateLocatedError(edgeErrors[0], t) : "";
  const [path, labelX, labelY] = getSmoothStepPath({
    sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, borderRadius: 14, offset: 24,
  });
  // The branch's colour comes from the manifest's tone of the output the edge leaves from.
  const sourceNode = useInternalNode(source);
  const handleTone = outputsFor(sourceNode?.type, sourceNode?.data?.settings as Settings | undefined).find(
    (o) => o.id === sourceHandleId,
  )?.tone;
  const tone = handleTone && handleTone !== "neutral" ? ` edge-${handleTone}` : "";
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
      {(invalid || selected) && (
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
