/** Banners above the canvas: journey-level validation errors and save conflicts. */
import { useState } from "react";
import { isJourneySetting, type ProblemEntry } from "../graph/problems";
import { Icon } from "../components/Icon";
import { useT } from "../i18n";
import { translateLocatedError } from "../i18n/errors";

/** Above the canvas: calm "to finish" while the marketer works, loud after a publish attempt; each entry
 * takes them to its step and field. */
export function ValidationSummary({
  entries,
  loop,
  onPick,
  outputName,
}: {
  entries: ProblemEntry[];
  loop: string[];
  onPick: (e: ProblemEntry) => void;
  /** What output `handle` of step `nodeId` is called on the canvas (a path by its name). */
  outputName?: (nodeId: string, handle: string) => string | null;
}) {
  const t = useT();
  const loud = entries.some((e) => e.loud);
  const [open, setOpen] = useState<boolean | null>(null);
  if (entries.length === 0) return null;
  const n = entries.length;
  const title = loud
    ? n === 1
      ? t("editor.invalidOne")
      : t("editor.invalid", { n })
    : n === 1
      ? t("problems.todoTitleOne")
      : t("problems.todoTitle", { n });
  // Collapsed until asked for: an open list would cover the steps at the top of the canvas.
  const expanded = open ?? false;
  return (
    <div
      className={`banner ${loud ? "banner-error" : "banner-calm"} problems`}
      data-testid="validation-summary"
      data-count={n}
      data-loud={loud ? "true" : "false"}
      role={loud ? "alert" : "status"}
    >
      <Icon name={loud ? "alert" : "checkCircle"} size={16} />
      <div className="banner-text">
        <div className="problems-head">
          <strong>{title}</strong>
          <button type="button" className="link-btn" data-testid="problems-toggle" aria-expanded={expanded} onClick={() => setOpen(!expanded)}>
            {expanded ? t("problems.hide") : t("problems.show")}
          </button>
        </div>
        {expanded && (
          <ul className="problems-list" data-testid="problems-list">
            {entries.map((e) => {
              // A step's problem goes to the step; a journey-settings problem opens the settings drawer.
              const setting = !e.nodeId && isJourneySetting(e.field);
              return (
                <li key={e.key} data-code={e.error.code} data-field={e.field ?? ""} data-node-id={e.nodeId ?? ""}>
                  <button
                    type="button"
                    className={`problem-item${e.loud ? " is-loud" : ""}`}
                    data-testid="problem-item"
                    disabled={!e.nodeId && !setting}
                    onClick={() => onPick(e)}
                    title={e.stepName ? t("problems.goTo", { step: e.stepName }) : setting ? t("problems.openSettings") : undefined}
                  >
                    <span className="problem-step">{e.stepName ?? (setting ? t("settings.title") : t("problems.journey"))}</span>
                    <span className="problem-text">{translateLocatedError(e.error, t, { loop, outputName: (h) => (e.nodeId ? outputName?.(e.nodeId, h) : null), stepType: e.stepType })}</span>
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </div>
  );
}

export function ConflictBanner(props: { busy: boolean; onReload: () => void; onKeepCopy: () => void }) {
  const t = useT();
  return (
    <div className="banner banner-warning" data-testid="conflict-banner" role="alert">
      <Icon name="alert" size={16} />
      <div className="banner-text">{t("editor.conflict")}</div>
      <div className="banner-actions">
        <button type="button" className="btn btn-sm btn-secondary" data-testid="conflict-reload-button" disabled={props.busy} onClick={props.onReload}>
          <Icon name="refresh" size={14} />
          {t("editor.conflictReload")}
        </button>
        <button type="button" className="btn btn-sm btn-primary" data-testid="conflict-copy-button" disabled={props.busy} onClick={props.onKeepCopy}>
          <Icon name="copy" size={14} />
          {t("editor.conflictCopy")}
        </button>
      </div>
    </div>
  );
}
