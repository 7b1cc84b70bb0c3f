/** Debounced autosave of the draft. Stops on a conflict (the banner asks the marketer) and after a failure
 * until the next change or an explicit retry, so a dead server is not hammered. */
import { useCallback, useEffect, useRef, useState } from "react";

export const AUTOSAVE_DELAY_MS = 1200;

export type AutosaveState = "idle" | "failed";

interface Options {
  enabled: boolean;
  dirty: boolean;
  /** Changes whenever the graph or name changes; a new key re-arms the timer. */
  changeKey: string;
  blocked: boolean;
  save: () => Promise<unknown>;
}

export function useAutosave({ enabled, dirty, changeKey, blocked, save }: Options) {
  const [state, setState] = useState<AutosaveState>("idle");
  const failedKey = useRef<string | null>(null);
  const saveRef = useRef(save);
  saveRef.current = save;

  const run = useCallback(async (key: string) => {
    try {
      await saveRef.current();
      failedKey.current = null;
      setState("idle");
    } catch {
      failedKey.current = key;
      setState("failed");
    }
  }, []);

  useEffect(() => {
    if (!enabled || !dirty || blocked || failedKey.current === changeKey) return;
    const timer = window.setTimeout(() => void run(changeKey), AUTOSAVE_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [enabled, dirty, blocked, changeKey, run]);

  const retry = useCallback(() => void run(changeKey), [run, changeKey]);
  return { state: dirty ? state : "idle", retry };
}
