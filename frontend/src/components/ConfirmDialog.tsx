/** A small modal asking to confirm an action; Escape or the backdrop cancel (not while busy), focus starts on Cancel. */
import { useId, useRef, type ReactNode } from "react";
import { useT } from "../i18n";
import { Icon, type IconName } from "./Icon";
import { Modal } from "./Modal";

interface Props {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busyLabel?: string;
  icon?: IconName;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog(p: Props) {
  const t = useT();
  const titleId = useId();
  const bodyId = useId();
  const cancel = useRef<HTMLButtonElement>(null);
  const { onCancel, busy } = p;

  return (
    <Modal
      testId="confirm-dialog"
      role="alertdialog"
      className="confirm-modal"
      labelledBy={titleId}
      describedBy={bodyId}
      initialFocus={cancel}
      onClose={busy ? undefined : onCancel}
    >
      <div className="confirm-layout">
        <span className={`confirm-icon${p.danger ? " is-danger" : ""}`} aria-hidden="true">
          <Icon name={p.icon ?? "alert"} size={20} />
        </span>
        <div className="confirm-text">
          <h2 id={titleId}>{p.title}</h2>
          <div id={bodyId} className="confirm-body">
            {p.children}
          </div>
        </div>
      </div>
      <footer className="modal-foot">
        <button ref={cancel} type="button" className="btn btn-secondary" data-testid="confirm-cancel" disabled={busy} onClick={onCancel}>
          {t("common.cancel")}
        </button>
        <button
          type="button"
          className={`btn ${p.danger ? "btn-danger" : "btn-primary"}`}
          data-testid="confirm-ok"
          disabled={busy}
          onClick={p.onConfirm}
        >
          {busy && p.busyLabel ? p.busyLabel : p.confirmLabel}
        </button>
      </footer>
    </Modal>
  );
}
