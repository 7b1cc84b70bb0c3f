/** Debounced server-side validation of the current (unsaved) graph. */
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import type { JourneyGraph, LocatedError } from "../api/types";

const DEBOUNCE_MS = 250;

export function useValidation(journeyId: string, graph: JourneyGraph, graphKey: string, enabled: boolean) {
  const [errors, setErrors] = useState<LocatedError[]>([]);
  const [checked, setChecked] = useState(false);
  const seq = useRef(0);
  const graphRef = useRef(graph);
  graphRef.current = graph;

  const validateNow = useCallback(async (): Promise<LocatedError[] | null> => {
    const mine = ++seq.current;
    try {
      const res = await api.validate(journeyId, graphRef.current);
      // Warnings travel apart from errors; they are kept beside them, marked, so nodes can show them in amber.
      const all = [...(res.errors ?? []), ...(res.warnings ?? []).map((w) => ({ ...w, severity: "warning" as const }))];
      if (mine === seq.current) {
        setErrors(all);
        setChecked(true);
      }
      return all;
    } catch {
      // Validation is advisory while drawing; a failed request keeps the last known errors.
      return null;
    }
  }, [journeyId]);

  useEffect(() => {
    if (!enabled) return;
    const timer = window.setTimeout(() => void validateNow(), DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [graphKey, enabled, validateNow]);

  /** Errors that arrived another way (a refused publish); newer than any in-flight check. The warnings already
   * known are kept: a refused publish reports only what blocks it. */
  const applyErrors = useCallback((next: LocatedError[]) => {
    seq.current++;
    setErrors((prev) => [...next, ...prev.filter((e) => e.severity === "warning")]);
    setChecked(true);
  }, []);

  return { errors, checked, validateNow, applyErrors };
}
