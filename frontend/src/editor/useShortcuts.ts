/** Editor keyboard shortcuts: undo/redo, copy/paste, save, and Escape — the one place Escape is handled in the
 * editor (panels have no listener of their own). Ignored while typing in a field, except Escape, which is told
 * whether the marketer was typing (it still closes a panel then). */
import { useEffect, useRef } from "react";

interface Handlers {
  undo: () => void;
  redo: () => void;
  copy: () => void;
  paste: () => void;
  save: () => void;
  escape: (typing: boolean) => void;
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}

export function useShortcuts(handlers: Handlers) {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && !e.defaultPrevented && !document.querySelector("[aria-modal=true]")) {
        ref.current.escape(isTyping(e.target));
        return;
      }
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const key = e.key.toLowerCase();
      if (key === "s") {
        e.preventDefault();
        ref.current.save();
        return;
      }
      if (isTyping(e.target)) return;
      if (key === "z" && e.shiftKey) ref.current.redo();
      else if (key === "z" || key === "y") (key === "y" ? ref.current.redo : ref.current.undo)();
      else if (key === "c") ref.current.copy();
      else if (key === "v") ref.current.paste();
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
