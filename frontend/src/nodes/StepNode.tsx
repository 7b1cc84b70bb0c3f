/** The canvas node for every step type; what differs per type comes from the registry. */
import { Handle, Position, useStore, type NodeProps } from "@xyflow/react";
import { Fragment, memo } from "react";
import { Icon } from "../components/Icon";
import { useEditorView } from "../editor/EditorContext";
import type { StepNode as StepNodeType } from "../graph/convert";
import { nodeMetrics, type Metric } from "../graph/metrics";
import { isFar } from "../graph/zoom";
import { isLoud } from "../graph/problems";
import { useI18n, type MessageKey } from "../i18n";
import { translateLocatedError } from "../i18n/errors";
import { getStep } from "./registry";


function metricLabel(m: Metric, t: (k: MessageKey) => string): string {
  return m.output ? t(`handle.${m.output}` as MessageKey) : t(`counts.${m.key}` as MessageKey);
}

function StepNodeView({ id, type, data, selected, isConnectable }: NodeProps<StepNodeType>) {
  const { t } = useI18n();
  const { errors, show, loop, counts, flow, showCounts, openCustomers } = useEditorView();
  const far = useStore(isFar);
  const def = getStep(type);
  const nodeErrors = errors.byNode[id] ?? [];
  const invalid = nodeErrors.length > 0;
  // Unfinished work is "to finish" (calm); only problems the marketer should act on now are red.
  const loudErrors = nodeErrors.filter((e) => isLoud(e, show));
  const loud = loudErrors.length > 0;
  const firstProblem = invalid ? translateLocatedError((loud ? loudErrors : nodeErrors)[0], t, { loop }) : "";
  const typeName = def ? t(`type.${def.type}` as MessageKey) : type;
  const summary = def ? def.summary(data.settings ?? {}, t) : "";
  const outputs = def?.outputs ?? [];
  const metrics = showCounts ? nodeMetrics(def, id, counts[id], flow) : [];
  const label = data.label || typeName;

  return (
    <div
      className={`step-node step-${def?.color ?? "exit"}${selected ? " is-selected" : ""}${loud ? " is-invalid" : invalid ? " is-todo" : ""}${far ? " is-far" : ""}`}
      data-testid={`node-${id}`}
      data-node-id={id}
      data-node-type={type}
      data-invalid={invalid ? "true" : "false"}
      data-problem={loud ? "error" : invalid ? "todo" : "none"}
      data-far={far ? "true" : "false"}
    >
      {def?.hasInput !== false && (
        <Handle type="target" id="in" position={Position.Top} isConnectable={isConnectable} className="step-handle step-handle-in" title={typeName} />
      )}
      <div className="step-node-main">
        <span className="step-icon">
          <Icon name={def?.icon ?? "help"} size={16} />
        </span>
        <div className="step-text">
          <div className="step-type">{typeName}</div>
          <div className="step-label" title={label}>
            {label}
          </div>
          <div className="step-summary" title={summary}>
            {summary}
          </div>
        </div>
        {loud && (
          <span className="step-warn" title={firstProblem}>
            <Icon name="alert" size={15} />
          </span>
        )}
        {invalid && !loud && (
          <span className="step-todo" data-testid={`node-todo-${id}`} title={firstProblem}>
            {t("node.todo")}
          </span>
        )}
      </div>
      {showCounts && (
        <button
          type="button"
          className="count-strip nodrag"
          data-testid={`node-counts-${id}`}
          title={t("counts.open", { step: label })}
          onClick={(e) => {
            e.stopPropagation();
            openCustomers(id);
          }}
        >
          {metrics.map((m) => {
            const name = metricLabel(m, t);
            return (
              <span className={`count count-${m.key}${m.primary ? " is-primary" : ""}`} key={m.key}>
                <span className="count-value" data-testid={`node-count-${id}-${m.key}`}>
                  {m.value.toLocaleString()}
                </span>
                <span className="count-label">{name}</span>
              </span>
            );
          })}
          <span className="sr-only">{t("counts.open", { step: label })}</span>
        </button>
      )}
      {loud && !far && (
        <div className="step-error" data-testid={`node-error-${id}`} role="note">
          {firstProblem}
        </div>
      )}
      {outputs.map((o, i) => {
        const left = `${((i + 1) / (outputs.length + 1)) * 100}%`;
        return (
          <Fragment key={o.id}>
            <Handle
              type="source"
              id={o.id}
              position={Position.Bottom}
              isConnectable={isConnectable}
              className={`step-handle step-handle-out out-${o.tone ?? "neutral"}`}
              style={{ left }}
              title={t(o.labelKey)}
            />
            {outputs.length > 1 && (
              <span className={`out-label out-${o.tone ?? "neutral"}`} style={{ left }} aria-hidden="true">
                {t(o.labelKey)}
              </span>
            )}
          </Fragment>
        );
      })}
    </div>
  );
}

export const StepNodeComponent = memo(StepNodeView);
