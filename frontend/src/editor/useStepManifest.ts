/** The step manifest for the editor: main.tsx loads it before the first render; when that failed (server
 * briefly down) the editor asks again and offers a retry instead of drawing steps it cannot know. */
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
