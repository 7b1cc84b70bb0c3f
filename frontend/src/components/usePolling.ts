import { useCallback, useEffect, useRef, useState } from "react";

/** Seconds between two polls of a live list (the message log, the caught mail). */
export const REFRESH_S = 4;

/** Loads now and every REFRESH_S while `active`. One request at a time (a slow server is not sent a pile of
 * them), and none while the last one failed: a hung or dead API is asked again by Retry, not every few seconds. */
export function usePolling<T>(load: () => Promise<T>, active: boolean) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const inFlight = useRef(false);
  const failed = useRef(false);
  const refresh = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      setData(await load());
      failed.current = false;
      setError(null);
    } catch (err) {
      failed.current = true;
      setError(err);
    } finally {
      inFlight.current = false;
    }
  }, [load]);
  useEffect(() => {
    if (!active) return;
    void refresh();
    const timer = window.setInterval(() => {
      if (!failed.current) void refresh();
    }, REFRESH_S * 1000);
    return () => window.clearInterval(timer);
  }, [refresh, active]);
  return { data, error, refresh };
}
