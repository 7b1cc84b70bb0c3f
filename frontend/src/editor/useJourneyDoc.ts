/** Loading, saving and lifecycle actions of the journey being edited. */
import { useCallback, useEffect, useMemo, useState } from "react";
import { api, ConflictError, InvalidJourneyError } from "../api/client";
import type { Journey, JourneyGraph, LocatedError } from "../api/types";
import { fromJourneyGraph, graphKey, toJourneyGraph } from "../graph/convert";
import type { GraphState } from "../graph/useGraphState";

export type Busy = null | "save" | "publish" | "pause" | "resume" | "load";

export function useJourneyDoc(id: string, graph: GraphState) {
  const [journey, setJourney] = useState<Journey | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [saved, setSaved] = useState<{ key: string; name: string; description: string }>({ key: "", name: "", description: "" });
  const [conflict, setConflict] = useState<{ currentRevision: number | null } | null>(null);
  const [busy, setBusy] = useState<Busy>("load");

  const adopt = useCallback(
    (j: Journey) => {
      const { nodes, edges } = fromJourneyGraph(j.graph);
      // The journey's settings live with the graph, in the same undo history (useGraphState).
      graph.reset(nodes, edges, j.graph?.settings ?? {});
      setJourney(j);
      setName(j.name);
      setDescription(j.description ?? "");
      setSaved({ key: graphKey(toJourneyGraph(nodes, edges, j.graph?.settings ?? {})), name: j.name, description: j.description ?? "" });
      setConflict(null);
    },
    // graph.reset is stable, so adopt never changes.
    [],
  );

  const load = useCallback(async () => {
    setBusy("load");
    setLoadError(null);
    try {
      adopt(await api.getJourney(id));
    } catch (err) {
      setLoadError(err);
    } finally {
      setBusy(null);
    }
  }, [id, adopt]);

  useEffect(() => {
    void load();
  }, [load]);

  const current: JourneyGraph = useMemo(
    () => toJourneyGraph(graph.nodes, graph.edges, graph.settings),
    [graph.nodes, graph.edges, graph.settings],
  );
  const currentKey = useMemo(() => graphKey(current), [current]);
  const dirty = !!journey && (currentKey !== saved.key || name !== saved.name || description !== saved.description);

  /** Save the draft; returns the saved journey, or null on a conflict (shown as a banner). */
  const save = useCallback(
    async (revision?: number): Promise<Journey | null> => {
      if (!journey) return null;
      setBusy("save");
      const sentKey = currentKey;
      const sentName = name.trim() || journey.name;
      const sentDescription = description;
      try {
        const j = await api.saveJourney(journey.id, {
          revision: revision ?? journey.revision,
          name: sentName,
          description: sentDescription,
          graph: current,
        });
        setJourney(j);
        setSaved({ key: sentKey, name: sentName, description: sentDescription });
        if (sentName !== name) setName(sentName);
        setConflict(null);
        return j;
      } catch (err) {
        if (err instanceof ConflictError) {
          setConflict({ currentRevision: err.currentRevision });
          return null;
        }
        throw err;
      } finally {
        setBusy(null);
      }
    },
    [journey, current, currentKey, name, description],
  );

  /** Publish (saving first when dirty). Resolves to the located errors when refused. */
  const publish = useCallback(async (): Promise<{ ok: true } | { ok: false; errors: LocatedError[] | null }> => {
    if (!journey) return { ok: false, errors: null };
    if (dirty && !(await save())) return { ok: false, errors: null };
    setBusy("publish");
    try {
      setJourney(await api.publish(journey.id));
      return { ok: true };
    } catch (err) {
      if (err instanceof InvalidJourneyError) return { ok: false, errors: err.errors };
      throw err;
    } finally {
      setBusy(null);
    }
  }, [journey, dirty, save]);

  const lifecycle = useCallback(
    async (action: "pause" | "resume") => {
      if (!journey) return;
      setBusy(action);
      try {
        setJourney(await api[action](journey.id));
      } finally {
        setBusy(null);
      }
    },
    [journey],
  );

  /** After a conflict: keep this editor's work as a new draft journey (theirs stays untouched). */
  const keepCopy = useCallback(
    async (copyName: string): Promise<Journey | null> => {
      if (!journey) return null;
      setBusy("save");
      try {
        const copy = await api.createJourney(copyName.slice(0, 200), description || undefined, current);
        setSaved({ key: currentKey, name, description });
        return copy;
      } finally {
        setBusy(null);
      }
    },
    [journey, current, currentKey, name, description],
  );

  return {
    journey,
    loadError,
    name,
    setName,
    description,
    setDescription,
    dirty,
    current,
    currentKey,
    conflict,
    busy,
    load,
    save,
    publish,
    lifecycle,
    keepCopy,
  };
}
