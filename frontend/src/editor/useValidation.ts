/** Debounced server-side validation of the current (unsaved) graph. */
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import type { JourneyGraph, LocatedError } from "../api/types";
import { withKnownWarnings } from "../graph/problems";

const DEBOUNCE_MS = 250;

export function useValidation(journeyId: string, graph: JourneyGraph, graphKey: string, enabled: boolean) {
  /** Every located problem, errors and warnings alike, each with its `severity` (as `/validate` answers). */
  const [problems, setProblems] = useState<LocatedError[]>([]);
  /** A check is due or on its way: the problems (and the banner above the canvas) may still change. */
  const [checking, setChecking] = useState(false);
  const seq = useRef(0);
  const graphRef = useRef(graph);
  graphRef.current = graph;

  const validateNow = useCallback(async (): Promise<LocatedError[] | null> => {
    const mine = ++seq.current;
    try {
      const { problems: found } = await api.validate(journeyId, graphRef.current);
      if (mine === seq.current) setProblems(found);
      return found;
    } catch {
      // Validation is advisory while drawing; a failed request keeps the last known problems.
      return null;
    } finally {
      if (mine === seq.current) setChecking(false);
    }
  }, [journeyId]);

  useEffect(() => {
    if (!enabled) return;
    setChecking(true);
    const timer = window.setTimeout(() => void validateNow(), DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [graphKey, enabled, validateNow]);

  /** Errors that arrived another way (a refused publish); newer than any in-flight check. The warnings already
   * known are kept: a refused publish reports only what blocks it. */
  const applyErrors = useCallback((errors: LocatedError[]) => {
    seq.current++;
    setChecking(false);
    setProblems((prev) => withKnownWarnings(errors, prev));
  }, []);

  return { problems, checking, validateNow, applyErrors };
}
