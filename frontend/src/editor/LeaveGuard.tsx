/** Blocks in-app navigation and browser back while the journey has unsaved work, offering to save first. */
import { useEffect, useRef } from "react";
import { useBlocker } from "react-router-dom";
import { Icon } from "../components/Icon";
import { Modal } from "../components/Modal";
import { useBusyAction } from "../components/useBusyAction";
import { useT } from "../i18n";

interface Props {
  dirty: boolean;
  /** Resolves true when the work is saved and leaving is safe. */
  onSave: () => Promise<boolean>;
  /** Set when the editor itself navigates away deliberately (e.g. to a copy it just made). */
  allowRef: React.MutableRefObject<boolean>;
}

export function LeaveGuard({ dirty, onSave, allowRef }: Props) {
  const t = useT();
  const { busy: saving, run } = useBusyAction();
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && !allowRef.current && currentLocation.pathname !== nextLocation.pathname,
  );
  const stay = useRef<HTMLButtonElement>(null);
  const blocked = blocker.state === "blocked";

  // Closing the tab or reloading cannot show our dialog: the browser's own prompt covers it.
  useEffect(() => {
    if (!dirty) return;
    const onUnload = (e: BeforeUnloadEvent) => {
      if (allowRef.current) return;
      e.preventDefault();
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", onUnload);
    return () => window.removeEventListener("beforeunload", onUnload);
  }, [dirty, allowRef]);

  if (!blocked) return null;
  const saveAndLeave = async () => {
    // A save that threw counts as not saved: stay on the page.
    const ok = await run(onSave, { onError: () => undefined });
    if (ok) blocker.proceed?.();
    else blocker.reset?.();
  };
  return (
    // Escape or the backdrop stay on the page (not while saving): only "Discard" throws the work away.
    <Modal
      testId="leave-dialog"
      role="alertdialog"
      className="confirm-modal"
      labelledBy="leave-title"
      describedBy="leave-body"
      initialFocus={stay}
      onClose={saving ? undefined : () => blocker.reset?.()}
    >
      <div className="confirm-layout">
        <span className="confirm-icon" aria-hidden="true">
          <Icon name="alert" size={20} />
        </span>
        <div className="confirm-text">
          <h2 id="leave-title">{t("editor.leave.title")}</h2>
          <div id="leave-body" className="confirm-body">
            {t("editor.leave.body")}
          </div>
        </div>
      </div>
      <footer className="modal-foot">
        <button ref={stay} type="button" className="btn btn-secondary" data-testid="leave-stay" disabled={saving} onClick={() => blocker.reset?.()}>
          {t("editor.leave.stay")}
        </button>
        <button type="button" className="btn btn-danger-ghost" data-testid="leave-discard" disabled={saving} onClick={() => blocker.proceed?.()}>
          {t("editor.leave.discard")}
        </button>
        <button type="button" className="btn btn-primary" data-testid="leave-save" disabled={saving} onClick={() => void saveAndLeave()}>
          <Icon name="save" size={15} />
          {t("editor.leave.save")}
        </button>
      </footer>
    </Modal>
  );
}
