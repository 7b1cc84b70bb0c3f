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
      if (mine === seq.current) {
        setErrors(res.errors ?? []);
        setChecked(true);
      }
      return res.errors ?? [];
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

  /** Errors that arrived another way (a refused publish); newer than any in-flight check. */
  const applyErrors = useCallback((next: LocatedError[]) => {
    seq.current++;
    setErrors(next);
    setChecked(true);
  }, []);

  return { errors, checked, validateNow, applyErrors };
}
