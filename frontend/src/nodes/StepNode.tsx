/** The canvas node for every step type; what differs per type comes from the registry. */
import { Handle, Position, useStore, type NodeProps } from "@xyflow/react";
import { Fragment, memo, type CSSProperties } from "react";
import { Icon } from "../components/Icon";
import { useEditorView } from "../editor/EditorContext";
import type { StepNode as StepNodeType } from "../graph/convert";
import { nodeMetrics, primaryMetric, type Metric } from "../graph/metrics";
import { isFar } from "../graph/zoom";
import { bySeverity, isLoud } from "../graph/problems";
import { useI18n, type MessageKey } from "../i18n";
import { translateLocatedError } from "../i18n/errors";
import { nameWords } from "./nameBreaks";
import { getStep, outputLabel, stepName } from "./registry";


function metricLabel(m: Metric, t: (k: MessageKey) => string, outputNames: Map<string, string>, type: string): string {
  if (m.output) return outputNames.get(m.output) ?? m.output;
  // Everyone who enters a goal has converted: its key number says so.
  if (type === "goal" && m.key === "entered") return t("counts.converted");
  return t(`counts.${m.key}` as MessageKey);
}

/** Nodes with three or more outputs widen so each handle's label has room (a 4-way split, 10 A/B branches). */
function wideStyle(n: number): CSSProperties | undefined {
  if (n < 3) return undefined;
  const slot = 96;
  const width = Math.max(248, (n + 1) * slot);
  return { width, ["--out-label-max" as string]: `${width / (n + 1) - 16}px` };
}

function StepNodeView({ id, type, data, selected, isConnectable }: NodeProps<StepNodeType>) {
  const { t } = useI18n();
  const { errors, show, loop, counts, flow, showCounts, openCustomers, steps } = useEditorView();
  const far = useStore(isFar);
  const def = getStep(type);
  const all = errors.byNode[id] ?? [];
  // Warnings never block publishing: they show in amber beside the step, apart from what is left to do.
  const { errors: nodeErrors, warnings } = bySeverity(all);
  const invalid = nodeErrors.length > 0;
  // Unfinished work is "to finish" (calm); only problems the marketer should act on now are red.
  const loudErrors = nodeErrors.filter((e) => isLoud(e, show));
  const loud = loudErrors.length > 0;
  const typeName = def ? t(`type.${def.type}` as MessageKey) : type;
  const settings = data.settings ?? {};
  const summary = def ? def.summary(settings, t, steps) : "";
  const outputs = def?.outputs(settings) ?? [];
  const outputNames = new Map(outputs.map((o) => [o.id, outputLabel(def, o, settings, t)]));
  const firstProblem = invalid ? translateLocatedError((loud ? loudErrors : nodeErrors)[0], t, { loop, outputName: (h) => outputNames.get(h), stepType: type }) : "";
  const metrics = showCounts && def ? nodeMetrics({ type: def.type, isTrigger: def.isTrigger, channel: def.channel, outputs }, id, counts[id], flow) : showCounts ? nodeMetrics(undefined, id, counts[id], flow) : [];
  const warning = warnings.length && !loud ? translateLocatedError(warnings[0], t, { stepType: type }) : "";
  const label = stepName({ type, data }, t);
  const primary = primaryMetric(metrics);

  return (
    <div
      className={`step-node step-${def?.color ?? "exit"}${selected ? " is-selected" : ""}${loud ? " is-invalid" : invalid ? " is-todo" : warning ? " is-warned" : ""}${far ? " is-far" : ""}${outputs.length > 3 ? " is-wide" : ""}`}
      data-testid={`node-${id}`}
      data-node-id={id}
      data-node-type={type}
      data-invalid={invalid ? "true" : "false"}
      data-problem={loud ? "error" : invalid ? "todo" : warning ? "warning" : "none"}
      data-outputs={outputs.length}
      data-far={far ? "true" : "false"}
      title={far ? label : undefined}
      style={wideStyle(outputs.length)}
    >
      {def?.hasInput !== false && (
        <Handle type="target" id="in" position={Position.Top} isConnectable={isConnectable} className="step-handle step-handle-in" title={typeName} />
      )}
      {/* Zoomed out, the card keeps its size (so steps never grow into each other) and shows only the name
          and the key number, large; the full card stays underneath, hidden, for zooming back in. */}
      {far && (
        <div className="step-far" data-testid={`node-far-${id}`}>
          {/* Broken only between words (nameWords); a name longer than two lines ends in an ellipsis, whole in the
              node's tooltip. */}
          <div className="step-far-name" aria-hidden="true">
            {nameWords(label).map((word, i) => (
              <Fragment key={i}>
                {i > 0 && <wbr />}
                {word}
              </Fragment>
            ))}
          </div>
          {showCounts && (
            <button
              type="button"
              className="step-far-count nodrag"
              data-testid={`node-counts-${id}`}
              title={`${t("counts.entered")} · ${t("counts.open", { step: label })}`}
              aria-label={`${label}: ${primary.value.toLocaleString()} ${t("counts.entered")} · ${t("counts.open", { step: label })}`}
              onClick={(e) => {
                e.stopPropagation();
                openCustomers(id);
              }}
            >
              <Icon name="users" size={24} />
              <span data-testid={`node-far-count-${id}`}>{primary.value.toLocaleString()}</span>
            </button>
          )}
          {(loud || invalid) && (
            <span className={loud ? "step-far-alert" : "step-far-todo"}>
              <Icon name="alert" size={26} />
            </span>
          )}
        </div>
      )}
      <div className="step-near">
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
        {warning && !invalid && (
          <span className="step-warning-icon" title={warning}>
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
          // Zoomed out, the key number is the button (the strip is hidden under the far form).
          data-testid={far ? undefined : `node-counts-${id}`}
          tabIndex={far ? -1 : undefined}
          title={t("counts.open", { step: label })}
          onClick={(e) => {
            e.stopPropagation();
            openCustomers(id);
          }}
        >
          {metrics.map((m) => {
            const name = metricLabel(m, t, outputNames, type);
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
      {loud && (
        <div className="step-error" data-testid={`node-error-${id}`} role="note">
          {firstProblem}
        </div>
      )}
      {warning && !loud && (
        <div className="step-warning" data-testid={`node-warning-${id}`} role="note">
          {warning}
        </div>
      )}
      </div>
      {outputs.map((o, i) => {
        const left = `${((i + 1) / (outputs.length + 1)) * 100}%`;
        const name = outputNames.get(o.id) ?? o.id;
        const tone = `out-${o.tone}${o.tone === "branch" ? ` branch-${i % 10}` : ""}`;
        return (
          <Fragment key={o.id}>
            <Handle
              type="source"
              id={o.id}
              position={Position.Bottom}
              isConnectable={isConnectable}
              className={`step-handle step-handle-out ${tone}`}
              style={{ left }}
              title={name}
              data-testid={`handle-${id}-${o.id}`}
            />
            {(outputs.length > 1 || o.tone === "goal") && (
              <span className={`out-label ${tone}`} style={{ left }} aria-hidden="true" data-testid={`out-label-${id}-${o.id}`}>
                {name}
              </span>
            )}
          </Fragment>
        );
      })}
    </div>
  );
}

export const StepNodeComponent = memo(StepNodeView);
