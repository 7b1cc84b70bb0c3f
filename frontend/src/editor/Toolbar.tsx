/** Editor toolbar: navigation, name, status, history, view and lifecycle actions. */
import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import type { Journey } from "../api/types";
import { Icon, type IconName } from "../components/Icon";
import { StatusBadge } from "../components/StatusBadge";
import { useT } from "../i18n";
import type { Busy } from "./useJourneyDoc";

interface Props {
  journey: Journey;
  name: string;
  onName: (name: string) => void;
  dirty: boolean;
  saveFailed: boolean;
  onRetrySave: () => void;
  busy: Busy;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onLayout: () => void;
  onFit: () => void;
  onValidate: () => void;
  onSave: () => void;
  onPublish: () => void;
  onPause: () => void;
  onResume: () => void;
  onDemo: () => void;
  /** Why the role may not change journeys / publish, pause, resume them (null: it may). */
  writeLock: string | null;
  publishLock: string | null;
  pauseLock: string | null;
  /** Demo traffic is a development tool for owners and admins. */
  canDemo: boolean;
  onSettings: () => void;
  settingsOpen: boolean;
}

function ToolButton(p: { testId: string; icon: IconName; label: string; onClick: () => void; disabled?: boolean; showLabel?: boolean }) {
  return (
    <button
      type="button"
      className={p.showLabel ? "btn btn-ghost btn-sm" : "icon-btn"}
      data-testid={p.testId}
      aria-label={p.label}
      title={p.label}
      disabled={p.disabled}
      onClick={p.onClick}
    >
      <Icon name={p.icon} size={16} />
      {p.showLabel && <span>{p.label}</span>}
    </button>
  );
}

/** A disabled action explains itself: the wrapper carries the tooltip, since disabled buttons get no hover. */
function Locked({ reason, children, testId }: { reason: string | null; children: ReactNode; testId?: string }) {
  if (!reason) return <>{children}</>;
  return (
    <span className="tb-locked" title={reason} data-testid={testId}>
      {children}
    </span>
  );
}

/** A lifecycle action (save, pause, resume, publish): `${action}-button`, disabled while the journey is busy or
 * while `locked` says why not, inside its `${action}-locked` wrapper. */
function LifecycleButton(p: { action: string; locked: string | null; busy: boolean; primary?: boolean; icon: IconName; label: string; onClick: () => void }) {
  return (
    <Locked reason={p.locked} testId={`${p.action}-locked`}>
      <button
        type="button"
        className={p.primary ? "btn btn-primary" : "btn btn-secondary"}
        data-testid={`${p.action}-button`}
        disabled={p.busy || !!p.locked}
        aria-description={p.locked ?? undefined}
        onClick={p.onClick}
      >
        <Icon name={p.icon} size={15} />
        {p.label}
      </button>
    </Locked>
  );
}

export function Toolbar(p: Props) {
  const t = useT();
  const status = p.journey.status;
  // An archived journey is read-only: it can be looked at, never changed.
  const archived = status === "archived";
  const readOnly = archived || !!p.writeLock;
  const locked = archived ? t("editor.archivedLocked") : p.writeLock;
  const publishLocked = archived ? locked : p.publishLock;
  const pauseLocked = archived ? locked : p.pauseLock;
  return (
    <header className="editor-toolbar" data-testid="editor-toolbar">
      <div className="tb-left">
        <Link to="/" className="icon-btn" data-testid="back-link" aria-label={t("editor.back")} title={t("editor.back")}>
          <Icon name="arrowLeft" size={17} />
        </Link>
        <div className="tb-title">
          <input
            className="name-input"
            data-testid="journey-name-input"
            aria-label={t("editor.name")}
            value={p.name}
            maxLength={200}
            readOnly={readOnly}
            title={locked ?? p.name}
            onChange={(e) => p.onName(e.target.value)}
          />
          <div className="tb-meta">
            <StatusBadge status={status} />
            {readOnly && (
              <span className="meta-chip meta-locked" data-testid="readonly-badge" title={locked ?? undefined}>
                <Icon name="lock" size={12} />
                {archived ? t("editor.readOnly") : t("perm.viewOnly")}
              </span>
            )}
            {p.journey.live_version != null && (
              <span className="meta-chip" data-testid="live-version">
                {t("editor.liveVersion", { n: p.journey.live_version })}
              </span>
            )}
            {p.journey.has_unpublished_changes && p.journey.status !== "draft" && (
              <span className="meta-chip meta-warn" data-testid="unpublished-changes">
                {t("editor.unpublishedChanges")}
              </span>
            )}
            {!readOnly && (
              <span
                className={`save-state${p.dirty ? " is-dirty" : ""}${p.saveFailed ? " is-failed" : ""}`}
                data-testid="save-state"
                data-dirty={p.dirty ? "true" : "false"}
                data-failed={p.saveFailed ? "true" : "false"}
                role="status"
              >
                {p.busy === "save" ? t("editor.saving") : p.saveFailed ? t("editor.saveFailed") : p.dirty ? t("editor.unsaved") : t("editor.saved")}
              </span>
            )}
            {!readOnly && p.saveFailed && p.busy !== "save" && (
              <button type="button" className="link-btn" data-testid="save-retry" onClick={p.onRetrySave}>
                {t("editor.autosaveRetry")}
              </button>
            )}
          </div>
        </div>
      </div>

      <div className="tb-center" role="toolbar" aria-label={t("editor.actions")}>
        <div className="tb-group" role="group" aria-label={t("editor.history")}>
          <ToolButton testId="undo-button" icon="undo" label={t("editor.undo")} onClick={p.onUndo} disabled={readOnly || !p.canUndo} />
          <ToolButton testId="redo-button" icon="redo" label={t("editor.redo")} onClick={p.onRedo} disabled={readOnly || !p.canRedo} />
        </div>
        <div className="tb-group" role="group" aria-label={t("editor.view")}>
          <ToolButton testId="auto-layout-button" icon="layout" label={t("editor.autoLayout")} onClick={p.onLayout} disabled={readOnly} />
          <ToolButton testId="fit-view-button" icon="fit" label={t("editor.fitView")} onClick={p.onFit} />
        </div>
        <ToolButton testId="validate-button" icon="checkCircle" label={t("editor.validate")} onClick={p.onValidate} showLabel />
        <button
          type="button"
          className={`btn btn-ghost btn-sm${p.settingsOpen ? " is-active" : ""}`}
          data-testid="journey-settings-button"
          aria-pressed={p.settingsOpen}
          aria-label={t("settings.open")}
          title={t("settings.open")}
          onClick={p.onSettings}
        >
          <Icon name="settings" size={16} />
          <span>{t("settings.open")}</span>
        </button>
        {p.canDemo && (
          <ToolButton testId="demo-traffic-button" icon="users" label={t("editor.demoTraffic")} onClick={p.onDemo} showLabel />
        )}
      </div>

      <div className="tb-right">
        <LifecycleButton action="save" locked={locked} busy={!!p.busy} icon="save" label={t("editor.save")} onClick={p.onSave} />
        {(status === "published" || archived) && (
          <LifecycleButton action="pause" locked={pauseLocked} busy={!!p.busy} icon="pause" label={t("editor.pause")} onClick={p.onPause} />
        )}
        {status === "paused" && (
          <LifecycleButton action="resume" locked={pauseLocked} busy={!!p.busy} icon="play" label={t("editor.resume")} onClick={p.onResume} />
        )}
        <LifecycleButton
          action="publish"
          primary
          locked={publishLocked}
          busy={!!p.busy}
          icon="rocket"
          label={p.busy === "publish" ? t("editor.publishing") : t("editor.publish")}
          onClick={p.onPublish}
        />
      </div>
    </header>
  );
}
