/** Right-hand panel: label and the type's own form for the selected step, plus its problems. */
import { useEffect, useMemo, useRef } from "react";
import type { LocatedError } from "../api/types";
import { Icon } from "../components/Icon";
import type { StepNode } from "../graph/convert";
import { useI18n, type MessageKey } from "../i18n";
import { translateLocatedError } from "../i18n/errors";
import { getStep, nodeOutputName, outputLabel, stepName } from "../nodes/registry";
import { bySeverity, fieldTestId, isLoud, type ShowState } from "../graph/problems";
import { ancestors } from "../nodes/messageSteps";
import type { JourneyStepRef, Settings } from "../nodes/types";

interface Props {
  node: StepNode | null;
  selectedCount: number;
  errors: LocatedError[];
  onLabel: (id: string, label: string) => void;
  onSettings: (id: string, settings: Settings, field: string) => void;
  onDelete: (id: string) => void;
  onDeleteSelection: () => void;
  /** Every step's id, type and display name: "Connect to…" menus and settings that refer to another step. */
  steps: JourneyStepRef[];
  edges: { source: string; sourceHandle?: string | null; target: string }[];
  onSetOutput: (source: string, handle: string, target: string | null) => void;
  /** The journey's description, editable when no step is selected. */
  description: string;
  onDescription: (text: string) => void;
  previewOpen: boolean;
  onTogglePreview: () => void;
  onDuplicateSelection: () => void;
  onLayoutSelection: () => void;
  /** Archived journey: nothing can be selected, so the panel explains why instead of inviting a click. */
  readOnly?: boolean;
  /** Why the role may not preview content (null: it may). */
  previewLock?: string | null;
  show: ShowState;
  loop: string[];
  /** Set when the problems list asks to go to a field; `n` makes a repeat request a new one. */
  focusRequest: { nodeId: string; field: string | null; n: number } | null;
}

export function SettingsPanel(props: Props) {
  const { node, selectedCount, errors: all, onLabel, onSettings, onDelete, readOnly = false, show, loop, focusRequest, steps } = props;
  const { t } = useI18n();
  const def = getStep(node?.type);
  const panel = useRef<HTMLElement>(null);
  const { errors, warnings } = useMemo(() => bySeverity(all), [all]);
  // Field errors appear under a field only once they are loud (touched field or publish attempted).
  const fieldErrors = useMemo(() => {
    const out: Record<string, string> = {};
    for (const e of errors) if (e.field && !out[e.field] && isLoud(e, show)) out[e.field] = translateLocatedError(e, t, { stepType: node?.type });
    return out;
  }, [errors, t, show, node?.type]);
  const loud = errors.some((e) => isLoud(e, show));
  const stepType = (id: string) => props.steps.find((st) => st.id === id)?.type;

  useEffect(() => {
    if (!focusRequest || focusRequest.nodeId !== node?.id) return;
    const frame = window.requestAnimationFrame(() => {
      const id = fieldTestId(focusRequest.field);
      const el = (id && panel.current?.querySelector<HTMLElement>(`[data-testid="${id}"]`)) || panel.current?.querySelector<HTMLElement>("#node-label-input");
      el?.focus();
    });
    return () => window.cancelAnimationFrame(frame);
  }, [focusRequest, node?.id]);

  if (!node && readOnly) {
    return (
      <aside className="settings-panel is-empty" data-testid="settings-panel" data-readonly="true" aria-label={t("panel.title")}>
        <div className="panel-empty">
          <div className="empty-icon small">
            <Icon name="lock" size={22} />
          </div>
          <h2>{t("panel.empty.title")}</h2>
          <p>{t("panel.readOnly.body")}</p>
        </div>
      </aside>
    );
  }
  if (!node) {
    return (
      <aside className="settings-panel is-empty" data-testid="settings-panel" aria-label={t("panel.title")}>
        <div className="panel-empty">
          <div className="empty-icon small">
            <Icon name={selectedCount > 1 ? "layers" : "sparkles"} size={22} />
          </div>
          <h2 data-testid={selectedCount > 1 ? "selection-count" : undefined}>{selectedCount > 1 ? t("panel.multi", { n: selectedCount }) : t("panel.empty.title")}</h2>
          <p>{selectedCount > 1 ? t("panel.multiBody") : t("panel.empty.body")}</p>
          {selectedCount <= 1 && (
            <div className="field journey-description">
              <label htmlFor="journey-description">{t("panel.description")}</label>
              <textarea
                id="journey-description"
                data-testid="journey-description"
                rows={4}
                maxLength={2000}
                placeholder={t("panel.descriptionPlaceholder")}
                value={props.description}
                onChange={(e) => props.onDescription(e.target.value)}
              />
            </div>
          )}
          {selectedCount > 1 && (
            <div className="selection-actions" role="group" aria-label={t("panel.multi", { n: selectedCount })}>
              <button type="button" className="btn btn-secondary" data-testid="selection-layout" onClick={props.onLayoutSelection}>
                <Icon name="layout" size={15} />
                {t("panel.layoutSelection")}
              </button>
              <button type="button" className="btn btn-secondary" data-testid="selection-duplicate" onClick={props.onDuplicateSelection}>
                <Icon name="copy" size={15} />
                {t("panel.duplicateSelection")}
              </button>
              <button type="button" className="btn btn-danger" data-testid="selection-delete" onClick={props.onDeleteSelection}>
                <Icon name="trash" size={15} />
                {t("panel.deleteSelection", { n: selectedCount })}
              </button>
            </div>
          )}
        </div>
      </aside>
    );
  }

  const typeName = def ? t(`type.${def.type}` as MessageKey) : node.type ?? "";
  const outputs = def?.outputs(node.data.settings) ?? [];
  const Form = def?.Form;
  // Each node id remounts the form so that field-local state never leaks between steps.
  return (
    <aside ref={panel} className="settings-panel" data-testid="settings-panel" aria-label={t("panel.title")} data-node-id={node.id}>
      <header className={`panel-head step-${def?.color ?? "exit"}`}>
        <span className="step-icon">
          <Icon name={def?.icon ?? "help"} size={16} />
        </span>
        <div>
          <div className="panel-type">{typeName}</div>
        </div>
        {def?.previewable && (
          <button
            type="button"
            className={`btn btn-sm ${props.previewOpen ? "btn-primary" : "btn-secondary"} panel-preview-btn`}
            data-testid="preview-toggle"
            aria-pressed={props.previewOpen}
            disabled={!!props.previewLock}
            title={props.previewLock ?? undefined}
            aria-description={props.previewLock ?? undefined}
            onClick={props.onTogglePreview}
          >
            <Icon name="mail" size={14} />
            {t("preview.open")}
          </button>
        )}
      </header>
      <div className="panel-body" key={node.id}>
        {errors.length > 0 && (
          <div className={`panel-problems${loud ? "" : " is-calm"}`} role={loud ? "alert" : "status"} data-testid="node-problems" data-loud={loud ? "true" : "false"}>
            <div className="panel-problems-title">
              <Icon name={loud ? "alert" : "checkCircle"} size={14} /> {loud ? t("panel.problems") : t("panel.todo")}
            </div>
            <ul>
              {[...new Map(errors.map((e) => [`${e.code}|${e.field ?? ""}`, e])).values()].map((e, i) => (
                <li key={i} data-code={e.code} data-field={e.field ?? ""}>
                  {translateLocatedError(e, t, { loop, outputName: (h) => nodeOutputName(node, h, t), stepType: node.type })}
                </li>
              ))}
            </ul>
          </div>
        )}
        {warnings.length > 0 && (
          <div className="panel-problems is-warning" role="status" data-testid="node-warnings">
            <div className="panel-problems-title">
              <Icon name="alert" size={14} /> {t("panel.warnings")}
            </div>
            <ul>
              {warnings.map((e, i) => (
                <li key={i} data-code={e.code} data-field={e.field ?? ""}>
                  {translateLocatedError(e, t, { stepType: node.type })}
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="field">
          <label htmlFor="node-label-input">{t("panel.label")}</label>
          <input
            id="node-label-input"
            type="text"
            data-testid="node-label-input"
            maxLength={120}
            placeholder={t("panel.labelPlaceholder")}
            value={node.data.label ?? ""}
            onChange={(e) => onLabel(node.id, e.target.value)}
          />
        </div>
        {Form && (
          <Form
            nodeId={node.id}
            settings={node.data.settings ?? {}}
            t={t}
            fieldErrors={fieldErrors}
            schema={def?.schema ?? {}}
            steps={stepsBefore(steps, node.id, props.edges)}
            onChange={(next) => {
              const changed = Object.keys({ ...next, ...node.data.settings }).find(
                (k) => JSON.stringify(next[k]) !== JSON.stringify(node.data.settings?.[k]),
              );
              onSettings(node.id, next, changed ?? "settings");
            }}
          />
        )}
        {def && outputs.length > 0 && !readOnly && (
          <fieldset className="connect-to" data-testid="connect-to">
            <legend>{t("panel.connectTo")}</legend>
            {outputs.map((o, i) => {
              const current = props.edges.find((e) => e.source === node.id && (e.sourceHandle ?? "") === o.id)?.target ?? "";
              const outName = outputLabel(def, o, node.data.settings ?? {}, t);
              return (
                <label key={o.id} className="connect-row">
                  <span className={`connect-handle out-${o.tone}${o.tone === "branch" ? ` branch-${i % 10}` : ""}`}>{outputs.length > 1 ? outName : t("panel.connectNext")}</span>
                  <select
                    data-testid={`connect-${o.id}`}
                    aria-label={t("panel.connectAria", { out: outName, step: stepName(node, t) })}
                    value={current}
                    onChange={(e) => props.onSetOutput(node.id, o.id, e.target.value || null)}
                  >
                    <option value="">{t("panel.notConnected")}</option>
                    {props.steps
                      .filter((st) => st.id !== node.id && getStep(stepType(st.id))?.hasInput !== false)
                      .map((st) => (
                        <option key={st.id} value={st.id}>
                          {st.name}
                        </option>
                      ))}
                  </select>
                </label>
              );
            })}
          </fieldset>
        )}
        {/* The step id is for the API and exports, not for a marketer: kept out of sight unless asked for. */}
        <details className="panel-advanced" data-testid="panel-advanced">
          <summary>{t("panel.advanced")}</summary>
          <div className="panel-id" data-testid="panel-step-id">
            {t("panel.id")}: <code>{node.id}</code>
          </div>
          <p className="field-hint">{t("panel.idHint")}</p>
        </details>
      </div>
      {!readOnly && (
        <footer className="panel-foot">
          <button type="button" className="btn btn-danger-ghost" data-testid="delete-node-button" onClick={() => onDelete(node.id)}>
            <Icon name="trash" size={15} />
            {t("panel.delete")}
          </button>
        </footer>
      )}
    </aside>
  );
}

/** The journey's other steps as a form sees them, each saying whether a path leads from it to this one (an
 * engagement wait or condition offers only the send steps before it). */
function stepsBefore(steps: JourneyStepRef[], nodeId: string, edges: Props["edges"]): JourneyStepRef[] {
  const before = ancestors(nodeId, edges);
  return steps.filter((s) => s.id !== nodeId).map((s) => ({ ...s, before: before.has(s.id) }));
}
