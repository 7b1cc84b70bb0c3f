/** The step manifest for the editor: main.tsx starts loading it before the first render (without waiting for
 * it); when that failed (server down or hung past the request timeout) the editor asks again and offers a retry
 * instead of drawing steps it cannot know. */
import { useCallback, useEffect, useState } from "react";
import { api } from "../api/client";
import { installedManifest, setManifest } from "../nodes/manifest";

let loading: Promise<void> | null = null;

function load(): Promise<void> {
  loading ??= api
    .stepManifest()
    .then(setManifest)
    .catch((err) => {
      loading = null; // a retry asks again
      throw err;
    });
  return loading;
}

/** Start loading the manifest (main.tsx, before the first render); a failure is left to the editor's retry. */
export function preloadManifest(): void {
  load().catch((err) => console.warn("could not load the step manifest yet", err));
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
