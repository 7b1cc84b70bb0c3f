/** Minimal toast queue: success / error notices that fade after a few seconds. */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";
import { Icon } from "./Icon";
import { useT } from "../i18n";

type Kind = "success" | "error" | "info";
interface ToastItem {
  id: number;
  kind: Kind;
  text: string;
}

const ToastContext = createContext<(kind: Kind, text: string) => void>(() => {});

export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const next = useRef(1);
  const t = useT();
  const dismiss = useCallback((id: number) => setItems((list) => list.filter((i) => i.id !== id)), []);
  const push = useCallback(
    (kind: Kind, text: string) => {
      const id = next.current++;
      // A newer notice replaces the older one ("Publishing was blocked" must not linger beside "Published").
      setItems([{ id, kind, text }]);
      window.setTimeout(() => dismiss(id), kind === "error" ? 8000 : 4500);
    },
    [dismiss],
  );
  const value = useMemo(() => push, [push]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {items.map((item) => (
          <div key={item.id} className={`toast toast-${item.kind}`} data-testid="toast" data-kind={item.kind}>
            <Icon name={item.kind === "error" ? "alert" : "checkCircle"} size={18} />
            <span>{item.text}</span>
            <button
              type="button"
              className="icon-btn ghost"
              aria-label={t("common.dismiss")}
              data-testid="toast-dismiss"
              onClick={() => dismiss(item.id)}
            >
              <Icon name="x" size={14} />
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast() {
  return useContext(ToastContext);
}
