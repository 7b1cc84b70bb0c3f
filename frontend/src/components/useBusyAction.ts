import { useEffect, useRef, useState } from "react";

export type BusyOptions = {
  /** Gets what `fn` threw (to toast it or show it in the form); without it, the error is thrown on to the caller. */
  onError?: (err: unknown) => void;
  /** Stay busy after a success: for actions that end by leaving the page or closing the dialog (sign in, create and
   * open, invite), so the button cannot be pressed again while the app goes on. A failure still ends being busy. */
  keepBusyOnSuccess?: boolean;
};

/** The logic of useBusyAction, apart from React so it can be unit-tested without a DOM. `setBusy` is not called
 * once `unmount()` was (the component is gone). */
export function busyRunner(setBusy: (busy: boolean) => void) {
  let running = false;
  let mounted = true;
  const run = async <T>(fn: () => Promise<T>, options: BusyOptions = {}): Promise<T | undefined> => {
    if (running) return undefined;
    running = true;
    setBusy(true);
    let succeeded = false;
    try {
      const result = await fn();
      succeeded = true;
      return result;
    } catch (err) {
      if (!options.onError) throw err;
      options.onError(err);
      return undefined;
    } finally {
      if (!(succeeded && options.keepBusyOnSuccess)) {
        running = false;
        if (mounted) setBusy(false);
      }
    }
  };
  return {
    run,
    mount: () => {
      mounted = true;
    },
    unmount: () => {
      mounted = false;
    },
  };
}

/** One way to run a button's action: `run(fn, { onError })` is ignored while a run is under way, `busy` is true
 * for its duration (to disable the button and say "Saving…"), and it returns what `fn` returned, or undefined
 * when `fn` threw and `onError` got the error. */
export function useBusyAction() {
  const [busy, setBusy] = useState(false);
  const runner = useRef<ReturnType<typeof busyRunner> | null>(null);
  runner.current ??= busyRunner(setBusy);
  const { run, mount, unmount } = runner.current;
  useEffect(() => {
    mount();
    return unmount;
  }, [mount, unmount]);
  return { busy, run };
}
