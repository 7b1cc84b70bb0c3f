/** Right-hand panel: label and the type's own form for the selected step, plus its problems. */
import { useMemo } from "react";
import type { LocatedError } from "../api/types";
import { Icon } from "../components/Icon";
import type { StepNode } from "../graph/convert";
import { useI18n, type MessageKey } from "../i18n";
import { translateLocatedError } from "../i18n/errors";
import { getStep } from "../nodes/registry";
import type { Settings } from "../nodes/types";

interface Props {
  node: StepNode | null;
  selectedCount: number;
  errors: LocatedError[];
  onLabel: (id: string, label: string) => void;
  onSettings: (id: string, settings: Settings, field: string) => void;
  onDelete: (id: string) => void;
  /** Archived journey: nothing can be selected, so the panel explains why instead of inviting a click. */
  readOnly?: boolean;
}

export function SettingsPanel({ node, selectedCount, errors, onLabel, onSettings, onDelete, readOnly = false }: Props) {
  const { t, lang } = useI18n();
  const def = getStep(node?.type);
  const fieldErrors = useMemo(() => {
    const out: Record<string, string> = {};
    for (const e of errors) if (e.field && !out[e.field]) out[e.field] = translateLocatedError(e, t);
    return out;
  }, [errors, t]);

  if (!node && readOnly) {
    return (
      <aside className="settings-panel is-empty" data-testid="settings-panel" data-readonly="true" aria-label={t("panel.title")}>
        <div className="panel-empty">
          <div className="empty-icon small">
            <Icon name="lock" size={22} />
          </div>
          <h2>{t("panel.readOnly.title")}</h2>
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
          <h2>{selectedCount > 1 ? t("panel.multi", { n: selectedCount }) : t("panel.empty.title")}</h2>
          <p>{t("panel.empty.body")}</p>
        </div>
      </aside>
    );
  }

  const typeName = def ? t(`type.${def.type}` as MessageKey) : node.type;
  const Form = def?.Form;
  // Each node id remounts the form so that field-local state never leaks between steps.
  return (
    <aside className="settings-panel" data-testid="settings-panel" aria-label={t("panel.title")} data-node-id={node.id}>
      <header className={`panel-head step-${def?.color ?? "exit"}`}>
        <span className="step-icon">
          <Icon name={def?.icon ?? "help"} size={16} />
        </span>
        <div>
          <div className="panel-type">{typeName}</div>
          <div className="panel-id">
            {t("panel.id")}: <code>{node.id}</code>
          </div>
        </div>
      </header>
      <div className="panel-body" key={node.id}>
        {errors.length > 0 && (
          <div className="panel-problems" role="alert" data-testid="node-problems">
            <div className="panel-problems-title">
              <Icon name="alert" size={14} /> {t("panel.problems")}
            </div>
            <ul>
              {errors.map((e, i) => (
                <li key={i} data-code={e.code} data-field={e.field ?? ""} title={e.message}>
                  {translateLocatedError(e, t)}
                  {lang === "en" && e.message && e.message !== translateLocatedError(e, t) && (
                    <div className="problem-detail">{e.message}</div>
                  )}
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
            onChange={(next) => {
              const changed = Object.keys({ ...next, ...node.data.settings }).find(
                (k) => JSON.stringify(next[k]) !== JSON.stringify(node.data.settings?.[k]),
              );
              onSettings(node.id, next, changed ?? "settings");
            }}
          />
        )}
      </div>
      <footer className="panel-foot">
        <button type="button" className="btn btn-danger-ghost" data-testid="delete-node-button" onClick={() => onDelete(node.id)}>
          <Icon name="trash" size={15} />
          {t("panel.delete")}
        </button>
      </footer>
    </aside>
  );
}
