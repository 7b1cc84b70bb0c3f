/** Debounced server-side validation of the current (unsaved) graph. */
import { useCallback, useEffect, useRef, useState } from "react";
import { api, ApiError } from "../api/client";
import type { JourneyGraph, LocatedError } from "../api/types";
import { withKnownWarnings } from "../graph/problems";

const DEBOUNCE_MS = 250;
/** A check that failed (the server busy or briefly unreachable) is tried again after 1, 2, 4 … s, at most 30 s
 * apart, until it is answered or the graph changes: the banner above the canvas never stays empty for a
 * journey that has problems just because one request was lost. */
const RETRY_MS = [1000, 2000, 4000, 8000, 15000, 30000];

/** Whether a failed request may succeed if repeated unchanged. */
export function mayPass(err: unknown): boolean {
  return !(err instanceof ApiError) || err.status === 0 || err.status >= 500 || err.status === 408 || err.status === 429;
}

export function useValidation(journeyId: string, graph: JourneyGraph, graphKey: string, enabled: boolean) {
  /** Every located problem, errors and warnings alike, each with its `severity` (as `/validate` answers). */
  const [problems, setProblems] = useState<LocatedError[]>([]);
  /** A check is due or on its way: the problems (and the banner above the canvas) may still change. */
  const [checking, setChecking] = useState(false);
  const seq = useRef(0);
  const graphRef = useRef(graph);
  graphRef.current = graph;
  const retry = useRef<{ timer: number | undefined; failures: number }>({ timer: undefined, failures: 0 });

  const stopRetrying = useCallback(() => {
    window.clearTimeout(retry.current.timer);
    retry.current = { timer: undefined, failures: 0 };
  }, []);

  const validateNow = useCallback(async (): Promise<LocatedError[] | null> => {
    const mine = ++seq.current;
    window.clearTimeout(retry.current.timer);
    try {
      const { problems: found } = await api.validate(journeyId, graphRef.current);
      if (mine === seq.current) {
        setProblems(found);
        retry.current.failures = 0;
      }
      return found;
    } catch (err) {
      // Validation is advisory while drawing; a failed request keeps the last known problems, and is tried again
      // when the failure can pass (no answer or a timeout: status 0; the server busy or failing; 408 / 429). A
      // refusal (400, 401, 404…) would only be refused again.
      if (mine === seq.current && mayPass(err)) {
        const wait = RETRY_MS[Math.min(retry.current.failures, RETRY_MS.length - 1)];
        retry.current.failures += 1;
        retry.current.timer = window.setTimeout(() => void validateNow(), wait);
      }
      return null;
    } finally {
      if (mine === seq.current) setChecking(false);
    }
  }, [journeyId]);

  useEffect(() => {
    if (!enabled) return;
    setChecking(true);
    stopRetrying(); // a new graph: its own check, its own retries
    const timer = window.setTimeout(() => void validateNow(), DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [graphKey, enabled, validateNow, stopRetrying]);

  useEffect(() => stopRetrying, [stopRetrying]); // none after the editor closes

  /** Errors that arrived another way (a refused publish); newer than any in-flight check. The warnings already
   * known are kept: a refused publish reports only what blocks it. */
  const applyErrors = useCallback((errors: LocatedError[]) => {
    seq.current++;
    stopRetrying();
    setChecking(false);
    setProblems((prev) => withKnownWarnings(errors, prev));
  }, [stopRetrying]);

  return { problems, checking, validateNow, applyErrors };
}
