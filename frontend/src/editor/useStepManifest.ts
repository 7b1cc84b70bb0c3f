/** Loads the backend's step manifest once per page load and installs it in the step registry. */
import { useCallback, useEffect, useState } from "react";
import { api } from "../api/client";
import { installedManifest, installManifest } from "../nodes/registry";

let loading: Promise<void> | null = null;

function load(): Promise<void> {
  loading ??= api
    .stepManifest()
    .then(installManifest)
    .catch((err) => {
      loading = null; // a retry asks again
      throw err;
    });
  return loading;
}

export function useStepManifest(): { ready: boolean; error: unknown; retry: () => void } {
  const [ready, setReady] = useState(() => installedManifest() !== null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (ready) return;
    let cancelled = false;
    load().then(
      () => !cancelled && setReady(true),
      (err) => !cancelled && setError(err),
    );
    return () => {
      cancelled = true;
    };
  }, [ready, attempt]);
  const retry = useCallback(() => {
    setError(null);
    setAttempt((n) => n + 1);
  }, []);
  return { ready, error, retry };
}
