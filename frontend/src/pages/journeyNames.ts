/** Journey and step names for ids shown elsewhere (the delivery log), fetched once per journey and cached. */
import { useEffect, useState } from "react";
import { api } from "../api/client";

export interface JourneyNames {
  name: string;
  steps: Record<string, string>;
}

const cache = new Map<number, Promise<JourneyNames | null>>();

function load(id: number): Promise<JourneyNames | null> {
  let p = cache.get(id);
  if (!p) {
    p = api
      .getJourney(id)
      .then((j) => ({
        name: j.name,
        steps: Object.fromEntries((j.graph?.nodes ?? []).map((n) => [n.id, n.data?.label || ""])),
      }))
      .catch(() => {
        cache.delete(id); // a deleted journey or a hiccup: try again next time
        return null;
      });
    cache.set(id, p);
  }
  return p;
}

export function useJourneyNames(ids: (number | null)[]): Record<number, JourneyNames> {
  const [names, setNames] = useState<Record<number, JourneyNames>>({});
  const key = [...new Set(ids.filter((i): i is number => i !== null))].sort((a, b) => a - b).join(",");
  useEffect(() => {
    let cancelled = false;
    const wanted = key ? key.split(",").map(Number) : [];
    void Promise.all(wanted.map(async (id) => [id, await load(id)] as const)).then((pairs) => {
      if (cancelled) return;
      setNames(Object.fromEntries(pairs.filter(([, n]) => n !== null)) as Record<number, JourneyNames>);
    });
    return () => {
      cancelled = true;
    };
  }, [key]);
  return names;
}
