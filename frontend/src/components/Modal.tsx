/** Every modal dialog's frame: the backdrop, `role="dialog"` (or alertdialog) with aria-modal and its title as its
 * name, the head with a close button, Escape and a click on the backdrop to close, focus moved in on opening (the
 * `initialFocus` element, else the first control), kept inside while open (Tab wraps) and given back to what had
 * it on closing. Without `onClose` nothing but the dialog's own buttons closes it (a key shown once, a busy
 * confirmation). With `onSubmit` the dialog is the form. */
import { useEffect, useId, useRef, type FormEvent, type KeyboardEvent as ReactKeyboardEvent, type ReactNode, type RefObject } from "react";
import { useT } from "../i18n";
import { Icon } from "./Icon";

const FOCUSABLE = "a[href], button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex='-1'])";

interface Props {
  testId: string;
  children: ReactNode;
  /** Escape, the backdrop and the close button call it. */
  onClose?: () => void;
  /** The standard head's title; leave out and pass `labelledBy` when the dialog draws its own heading. */
  title?: ReactNode;
  /** The head's close button (only with a title and `onClose`). */
  closeTestId?: string;
  labelledBy?: string;
  describedBy?: string;
  role?: "dialog" | "alertdialog";
  /** Extra classes of the dialog box (`keys-modal`, `confirm-modal`). */
  className?: string;
  /** The gallery's wide dialog, with a scrolling middle (`modal-scroll`). */
  wide?: boolean;
  initialFocus?: RefObject<HTMLElement | null>;
  onSubmit?: (e: FormEvent<HTMLFormElement>) => void;
  noValidate?: boolean;
}

export function Modal(p: Props) {
  const t = useT();
  const titleId = useId();
  const box = useRef<HTMLElement | null>(null);
  const { onClose, initialFocus } = p;

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const first = initialFocus?.current ?? box.current?.querySelector<HTMLElement>(FOCUSABLE) ?? box.current;
    first?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
    // Focus moves in once, when the dialog opens; a re-render must not pull it back to the first field.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (!onClose) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  /** Tab from the last control goes to the first, Shift+Tab from the first to the last: focus stays inside. */
  const trap = (e: ReactKeyboardEvent<HTMLElement>) => {
    if (e.key !== "Tab" || !box.current) return;
    const controls = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    if (controls.length === 0) return;
    const [first, last] = [controls[0], controls[controls.length - 1]];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  const attributes = {
    className: ["modal", p.wide && "modal-wide", p.className].filter(Boolean).join(" "),
    role: p.role ?? "dialog",
    "aria-modal": true,
    "aria-labelledby": p.labelledBy ?? titleId,
    "aria-describedby": p.describedBy,
    "data-testid": p.testId,
    tabIndex: -1,
    onKeyDown: trap,
  };
  const content = (
    <>
      {p.title != null && (
        <header className="modal-head">
          <h2 id={titleId}>{p.title}</h2>
          {onClose && p.closeTestId && (
            <button type="button" className="icon-btn ghost" aria-label={t("common.close")} data-testid={p.closeTestId} onClick={onClose}>
              <Icon name="x" size={16} />
            </button>
          )}
        </header>
      )}
      {p.children}
    </>
  );
  return (
    <div
      className={`modal-backdrop${p.wide ? " modal-backdrop-wide" : ""}`}
      onMouseDown={(e) => {
        if (!onClose || e.target !== e.currentTarget) return;
        e.preventDefault(); // the press would move focus to the page, after it went back to the opener
        onClose();
      }}
    >
      {p.onSubmit ? (
        <form ref={(el) => void (box.current = el)} onSubmit={p.onSubmit} noValidate={p.noValidate} {...attributes}>
          {content}
        </form>
      ) : (
        <div ref={(el) => void (box.current = el)} {...attributes}>
          {content}
        </div>
      )}
    </div>
  );
}
