/** The canvas node for every step type; what differs per type comes from the registry. */
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { Fragment, memo } from "react";
import { Icon } from "../components/Icon";
import { useEditorView } from "../editor/EditorContext";
import type { StepNode as StepNodeType } from "../graph/convert";
import { useI18n, type MessageKey } from "../i18n";
import { translateLocatedError } from "../i18n/errors";
import { outputsFor } from "./manifest";
import { getStep, hasInput } from "./registry";

const COUNT_KEYS = ["entered", "waiting", "moved_on", "exited"] as const;
// Customers parked by a failing step: shown only when there are some, in red.
const WITH_ERRORED = [...COUNT_KEYS, "errored"] as const;

function StepNodeView({ id, type, data, selected, isConnectable }: NodeProps<StepNodeType>) {
  const { t } = useI18n();
  const { errors, counts, showCounts } = useEditorView();
  const def = getStep(type);
  const nodeErrors = errors.byNode[id] ?? [];
  const invalid = nodeErrors.length > 0;
  const typeName = def ? t(`type.${def.type}` as MessageKey) : type;
  const summary = def ? def.summary(data.settings ?? {}, t) : "";
  const nodeCounts = counts[id];
  const outputs = outputsFor(type, data.settings);

  return (
    <div
      className={`step-node step-${def?.color ?? "exit"}${selected ? " is-selected" : ""}${invalid ? " is-invalid" : ""}`}
      data-testid={`node-${id}`}
      data-node-id={id}
      data-node-type={type}
      data-invalid={invalid ? "true" : "false"}
    >
      {hasInput(type) && (
        <Handle type="target" id="in" position={Position.Top} isConnectable={isConnectable} className="step-handle step-handle-in" aria-label={`${typeName}: in`} />
      )}
      <div className="step-node-main">
        <span className="step-icon">
          <Icon name={def?.icon ?? "help"} size={16} />
        </span>
        <div className="step-text">
          <div className="step-type">{typeName}</div>
          <div className="step-label" title={data.label || typeName}>
            {data.label || typeName}
          </div>
          <div className="step-summary" title={summary}>
            {summary}
          </div>
        </div>
        {invalid && (
          <span className="step-warn" title={translateLocatedError(nodeErrors[0], t)}>
            <Icon name="alert" size={15} />
          </span>
        )}
      </div>
      {showCounts && (
        <div className="count-strip" data-testid={`node-counts-${id}`}>
          {(nodeCounts?.errored ? WITH_ERRORED : COUNT_KEYS).map((k) => {
            const label = t(`counts.${k}`);
            const value = nodeCounts?.[k] ?? 0;
            return (
              <div className={`count count-${k}`} key={k} title={`${label}: ${value}`}>
                <span className="count-value" data-testid={`node-count-${id}-${k}`} aria-label={`${label}: ${value}`}>
                  {value}
                </span>
                <span className="count-label" aria-hidden="true">
                  {label}
                </span>
              </div>
            );
          })}
        </div>
      )}
      {invalid && (
        <div className="step-error" data-testid={`node-error-${id}`} role="note">
          {translateLocatedError(nodeErrors[0], t)}
        </div>
      )}
      {outputs.map((o, i) => {
        const left = `${((i + 1) / (outputs.length + 1)) * 100}%`;
        const label = o.label ?? t(`handle.${o.id}` as MessageKey);
        return (
          <Fragment key={o.id}>
            <Handle
              type="source"
              id={o.id}
              position={Position.Bottom}
              isConnectable={isConnectable}
              className={`step-handle step-handle-out out-${o.tone}`}
              style={{ left }}
              aria-label={`${typeName}: ${label}`}
              title={label}
            />
            {outputs.length > 1 && (
              <span className={`out-label out-${o.tone}`} style={{ left }} aria-hidden="true">
                {label}
              </span>
            )}
          </Fragment>
        );
      })}
    </div>
  );
}

export const StepNodeComponent = memo(StepNodeView);
