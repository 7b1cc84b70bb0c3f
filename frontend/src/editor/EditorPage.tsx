/** /journeys/:id — the journey editor. Composes the canvas, palette, panel and toolbar. */
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";
import { api } from "../api/client";
import { Icon } from "../components/Icon";
import { useToast } from "../components/Toast";
import { copySelection, pasteClip, type Clip } from "../graph/clipboard";
import { mapErrors, type StepNode } from "../graph/convert";
import { layoutGraph } from "../graph/layout";
import { bySeverity, isJourneySetting, loopSteps, problemEntries, type ProblemEntry } from "../graph/problems";
import { autoConnectHandle, freeSpotBelow, GAP_Y, placeBelow, type Box } from "../graph/placement";
import { useGraphState } from "../graph/useGraphState";
import { useT, type MessageKey } from "../i18n";
import { translateApiError } from "../i18n/errors";
import { getStep, outputIds, stepName } from "../nodes/registry";
import { useStepManifest } from "./useStepManifest";
import { Canvas } from "./Canvas";
import { FIT_VIEW, NODE_WIDTH } from "../graph/layout";
import { EditorContext } from "./EditorContext";
import { Palette } from "./Palette";
import { SettingsPanel } from "./SettingsPanel";
import { Toolbar } from "./Toolbar";
import { useJourneyDoc } from "./useJourneyDoc";
import { useLiveCounts } from "./useLiveCounts";
import { useShortcuts } from "./useShortcuts";
import { useAutosave } from "./useAutosave";
import { LeaveGuard } from "./LeaveGuard";
import { LiveBanner } from "./LiveBanner";
import { NodeCustomersPanel } from "./NodeCustomersPanel";
import { JourneySettingsPanel } from "./JourneySettingsPanel";
import { EmailPreviewPane } from "./EmailPreviewPane";
import { useValidation } from "./useValidation";
import { topmostPanel } from "./panels";
import { useSteadyCanvasUnderBanners } from "./bannerInset";
import { ConflictBanner, ValidationSummary } from "./ValidationSummary";

/** The editor page while the step manifest or the journey loads. */
function EditorLoading() {
  const t = useT();
  return (
    <div className="page-center" data-testid="editor-page" data-state="loading">
      <div className="spinner" aria-label={t("common.loading")} />
    </div>
  );
}

/** The editor page when the step manifest or the journey could not be loaded: the reason and a retry (and,
 * with `back`, a link to the journeys list). */
function EditorLoadError({ error, onRetry, back = false }: { error: unknown; onRetry: () => void; back?: boolean }) {
  const t = useT();
  const retry = (
    <button type="button" className="btn btn-primary" data-testid="retry-button" onClick={onRetry}>
      {t("common.retry")}
    </button>
  );
  return (
    <div className="page-center" data-testid="editor-page" data-state="error">
      <div className="empty-state">
        <div className="empty-icon">
          <Icon name="alert" size={26} />
        </div>
        <h2>{t("editor.loadError")}</h2>
        <p>{translateApiError(error, t)}</p>
        {back ? (
          <div className="row-gap">
            <Link className="btn btn-secondary" to="/" data-testid="back-link">
              {t("editor.back")}
            </Link>
            {retry}
          </div>
        ) : (
          retry
        )}
      </div>
    </div>
  );
}

export function EditorPage() {
  const { id = "" } = useParams();
  const manifest = useStepManifest();
  if (manifest.error) return <EditorLoadError error={manifest.error} onRetry={manifest.retry} />;
  if (!manifest.ready) return <EditorLoading />;
  return (
    <ReactFlowProvider>
      <Editor key={id} id={id} />
    </ReactFlowProvider>
  );
}

let clipboard: Clip | null = null;
const DEFAULT_NODE_HEIGHT = 96;
// Outputs follow the step's settings (a split has one per branch), in declared order.
const outputsOf = (n: StepNode) => outputIds(n.type, n.data.settings);
const boxOf = (n: StepNode): Box => ({
  id: n.id,
  x: n.position.x,
  y: n.position.y,
  width: n.measured?.width ?? NODE_WIDTH,
  height: n.measured?.height ?? DEFAULT_NODE_HEIGHT,
});

function reachableFrom(start: string, edges: { source: string; target: string }[]): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of edges) if (e.source === id) stack.push(e.target);
  }
  return seen;
}

function Editor({ id }: { id: string }) {
  const t = useT();
  const toast = useToast();
  const flow = useReactFlow();
  const graph = useGraphState();
  const doc = useJourneyDoc(id, graph);
  const canvasRef = useRef<HTMLDivElement>(null);
  const [bannerStrip, setBannerStrip] = useState<HTMLDivElement | null>(null);
  useSteadyCanvasUnderBanners(bannerStrip);
  const status = doc.journey?.status;
  const live = status === "published" || status === "paused";
  // Archived: read-only, but customers already inside still finish their path, so counts stay live.
  const readOnly = status === "archived";
  const showCounts = live || readOnly;
  const validation = useValidation(id, doc.current, doc.currentKey, !!doc.journey);
  const { counts, flow: flowCounts, state: liveState } = useLiveCounts(id, showCounts);
  const [customersFor, setCustomersFor] = useState<string | null>(null);
  // The edge "+" menu calls the latest insertOnEdge without re-rendering every edge when the graph changes.
  const insertRef = useRef<(edgeId: string, type: string) => void>(() => {});
  const closeCustomers = useCallback(() => setCustomersFor(null), []);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const closeSettings = useCallback(() => setSettingsOpen(false), []);
  const [previewOpen, setPreviewOpen] = useState(false);
  const closePreview = useCallback(() => setPreviewOpen(false), []);
  const navigate = useNavigate();
  const leaving = useRef(false);
  const autosave = useAutosave({
    enabled: !!doc.journey && !readOnly,
    dirty: doc.dirty,
    changeKey: `${doc.currentKey}|${doc.name}|${doc.description}`,
    blocked: !!doc.conflict || !!doc.busy,
    save: doc.save,
  });

  // Problems stay calm ("to finish") until a publish attempt or until the marketer edits the field concerned.
  const [attempted, setAttempted] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  // Fields edited since the last validation result: their old error is stale, so it is hidden (no lag).
  const [editedSince, setEditedSince] = useState<ReadonlySet<string>>(() => new Set());
  useEffect(() => setEditedSince(new Set()), [validation.problems]);
  const show = useMemo(() => ({ attempted, touched }), [attempted, touched]);
  const currentProblems = useMemo(
    () =>
      editedSince.size === 0
        ? validation.problems
        : validation.problems.filter((e) => !(e.code === "invalid_settings" && e.node_id && e.field && editedSince.has(`${e.node_id}:${e.field.split(".")[0]}`))),
    [validation.problems, editedSince],
  );
  const [focusRequest, setFocusRequest] = useState<{ nodeId: string; field: string | null; n: number } | null>(null);
  const [settingsFocus, setSettingsFocus] = useState<{ field: string; n: number } | null>(null);
  const stepNames = useMemo(
    () => graph.nodes.map((n) => ({ id: n.id, type: n.type ?? "", name: stepName(n, t) })),
    [graph.nodes, t],
  );
  // Only what blocks publishing is listed as "to finish"; warnings show on their step in amber.
  const entries = useMemo(
    () => (graph.nodes.length === 0 ? [] : problemEntries(bySeverity(currentProblems).errors, stepNames, graph.edges, show)),
    [currentProblems, stepNames, graph.edges, graph.nodes.length, show],
  );
  const loop = useMemo(() => loopSteps(currentProblems, stepNames), [currentProblems, stepNames]);
  const pickProblem = useCallback(
    (e: ProblemEntry) => {
      if (!e.nodeId) {
        // A journey-settings problem: open the drawer at its field.
        if (!isJourneySetting(e.field)) return;
        setCustomersFor(null);
        setSettingsOpen(true);
        setSettingsFocus((prev) => ({ field: e.field as string, n: (prev?.n ?? 0) + 1 }));
        return;
      }
      graph.select([e.nodeId]);
      const target = graph.nodes.find((n) => n.id === e.nodeId);
      if (target) flow.setCenter(target.position.x + NODE_WIDTH / 2, target.position.y + 60, { zoom: Math.max(flow.getZoom(), 0.9), duration: 250 });
      setFocusRequest((prev) => ({ nodeId: e.nodeId as string, field: e.field, n: (prev?.n ?? 0) + 1 }));
    },
    [graph, flow],
  );
  const onSettings = useCallback(
    (nid: string, settings: Record<string, unknown>, field: string) => {
      graph.updateNodeData(nid, { settings }, field);
      const key = `${nid}:${field}`;
      setTouched((prev) => (prev.has(key) ? prev : new Set(prev).add(key)));
      setEditedSince((prev) => (prev.has(key) ? prev : new Set(prev).add(key)));
    },
    [graph],
  );

  const mapped = useMemo(
    () => mapErrors(currentProblems, graph.nodes.map((n) => n.id), graph.edges.map((e) => e.id)),
    [currentProblems, graph.nodes, graph.edges],
  );
  const view = useMemo(
    () => ({
      errors: mapped,
      show,
      loop,
      counts,
      flow: flowCounts,
      showCounts,
      openCustomers: setCustomersFor,
      steps: stepNames,
      insertOnEdge: readOnly ? null : (edgeId: string, type: string) => insertRef.current(edgeId, type),
    }),
    [mapped, show, loop, counts, flowCounts, showCounts, readOnly, stepNames],
  );
  const customersNode = customersFor ? graph.nodes.find((n) => n.id === customersFor) : undefined;

  const fail = useCallback((err: unknown) => toast("error", translateApiError(err, t)), [toast, t]);

  const addStep = useCallback(
    (type: string, position?: { x: number; y: number }) => {
      const def = getStep(type);
      if (!def) return;
      const data = { label: t(`type.${type}` as MessageKey), settings: def.defaultSettings() };
      if (position) {
        graph.addNode(type, position, data); // a drop lands where it was dropped
        return;
      }
      const boxes = graph.nodes.map(boxOf);
      const size = { width: NODE_WIDTH, height: DEFAULT_NODE_HEIGHT };
      const chosen = graph.nodes.filter((n) => n.selected);
      if (chosen.length === 1) {
        // Below the selected step, connected when it has exactly one free output.
        const anchor = chosen[0];
        const pos = placeBelow(boxOf(anchor), size, boxes);
        const outputs = outputsOf(anchor);
        const used = graph.edges.filter((e) => e.source === anchor.id).map((e) => e.sourceHandle ?? "");
        const handle = autoConnectHandle(outputs, used, def.hasInput);
        graph.addNode(type, pos, data, handle ? { from: { source: anchor.id, handle } } : {});
        return;
      }
      // The canvas itself, below the banners' strip.
      const rect = canvasRef.current?.querySelector("[data-testid=canvas]")?.getBoundingClientRect();
      const top = rect ? { x: rect.left + rect.width / 2, y: rect.top + Math.min(140, rect.height / 4) } : { x: 400, y: 200 };
      const p = flow.screenToFlowPosition(top);
      graph.addNode(type, freeSpotBelow({ x: p.x - NODE_WIDTH / 2, y: p.y }, size, boxes), data);
    },
    [flow, graph, t],
  );

  /** "+" on an edge: the new step goes between its ends; what follows moves down to make room. */
  const insertOnEdge = useCallback(
    (edgeId: string, type: string) => {
      const def = getStep(type);
      const edge = graph.edges.find((e) => e.id === edgeId);
      if (!def || !edge || !def.hasInput) return;
      const source = graph.nodes.find((n) => n.id === edge.source);
      const target = graph.nodes.find((n) => n.id === edge.target);
      if (!source || !target) return;
      const out = outputIds(type, def.defaultSettings())[0];
      const sb = boxOf(source);
      const pos = { x: target.position.x, y: sb.y + sb.height + GAP_Y };
      const room = DEFAULT_NODE_HEIGHT + GAP_Y;
      const downstream = reachableFrom(target.id, graph.edges);
      graph.addNode(type, pos, { label: t(`type.${type}` as MessageKey), settings: def.defaultSettings() }, {
        replaceEdge: edge.id,
        from: { source: edge.source, handle: edge.sourceHandle ?? "next" },
        to: out ? { target: edge.target, out } : undefined,
        shift: { ids: [...downstream], dy: room },
      });
    },
    [graph, t],
  );

  insertRef.current = insertOnEdge;

  const layoutSelection = useCallback(() => {
    const chosen = new Set(graph.nodes.filter((n) => n.selected).map((n) => n.id));
    if (chosen.size < 2) return;
    const sub = graph.nodes.filter((n) => chosen.has(n.id));
    const laid = layoutGraph(sub, graph.edges.filter((e) => chosen.has(e.source) && chosen.has(e.target)), outputsOf);
    // Keep the selection where it was: align the laid-out block's top-left with the old one.
    const minX = (ns: StepNode[]) => Math.min(...ns.map((n) => n.position.x));
    const minY = (ns: StepNode[]) => Math.min(...ns.map((n) => n.position.y));
    const dx = minX(sub) - minX(laid);
    const dy = minY(sub) - minY(laid);
    const moved = new Map(laid.map((n) => [n.id, { x: n.position.x + dx, y: n.position.y + dy }]));
    graph.replace(graph.nodes.map((n) => (moved.has(n.id) ? { ...n, position: moved.get(n.id) as { x: number; y: number } } : n)), graph.edges);
  }, [graph]);

  const duplicateSelection = useCallback(() => {
    const clip = copySelection(graph.nodes, graph.edges);
    if (!clip) return;
    const next = pasteClip(clip, graph.nodes, graph.edges);
    graph.replace(next.nodes, next.edges);
  }, [graph]);

  const selected = graph.nodes.filter((n) => n.selected);
  const triggerEvent = useMemo(() => {
    const trigger = graph.nodes.find((n) => n.type === "event_trigger");
    const name = trigger?.data.settings?.event;
    return typeof name === "string" && name.trim() ? name.trim() : null;
  }, [graph.nodes]);
  const node: StepNode | null = selected.length === 1 ? selected[0] : null;

  const save = useCallback(async () => {
    try {
      if (await doc.save()) toast("success", t("editor.savedToast"));
    } catch (err) {
      fail(err);
    }
  }, [doc, toast, t, fail]);

  const publish = useCallback(async () => {
    setAttempted(true);
    try {
      const res = await doc.publish();
      if (res.ok) toast("success", t("editor.published"));
      else if (res.errors) {
        validation.applyErrors(res.errors);
        toast("error", t("editor.publishBlocked"));
      }
    } catch (err) {
      fail(err);
    }
  }, [doc, validation, toast, t, fail]);

  const lifecycle = useCallback(
    async (action: "pause" | "resume") => {
      try {
        await doc.lifecycle(action);
        toast("success", t(action === "pause" ? "editor.paused" : "editor.resumed"));
      } catch (err) {
        fail(err);
      }
    },
    [doc, toast, t, fail],
  );

  const validate = useCallback(async () => {
    setAttempted(true);
    const found = await validation.validateNow();
    const errors = found === null ? null : bySeverity(found).errors;
    if (errors === null) fail(new Error("validate"));
    else if (errors.length === 0) toast("success", t("editor.valid"));
    else toast("error", errors.length === 1 ? t("editor.invalidOne") : t("editor.invalid", { n: errors.length }));
  }, [validation, toast, t, fail]);

  const demo = useCallback(async () => {
    try {
      const res = await api.demoTraffic(20);
      toast("success", t("editor.demoTrafficSent", { n: res?.events ?? 0 }));
    } catch (err) {
      fail(err);
    }
  }, [toast, t, fail]);

  const autoLayout = useCallback(() => {
    graph.replace(layoutGraph(graph.nodes, graph.edges, outputsOf), graph.edges);
    window.requestAnimationFrame(() => flow.fitView({ ...FIT_VIEW, duration: 300 }));
  }, [graph, flow]);

  const previewShown = previewOpen && !!node && !!getStep(node.type)?.previewable && !customersNode;
  useShortcuts({
    // One panel per press, the topmost first; with none open, Escape clears the selection (not while typing).
    escape: (typing) => {
      const top = topmostPanel({ settings: settingsOpen, customers: !!customersNode && !settingsOpen, preview: previewShown });
      if (top === "settings") setSettingsOpen(false);
      else if (top === "customers") setCustomersFor(null);
      else if (top === "preview") setPreviewOpen(false);
      else if (!typing) graph.select([]);
    },
    undo: () => !readOnly && graph.undo(),
    redo: () => !readOnly && graph.redo(),
    save: () => !readOnly && void save(),
    copy: () => {
      clipboard = copySelection(graph.nodes, graph.edges) ?? clipboard;
    },
    paste: () => {
      if (!clipboard || readOnly) return;
      const next = pasteClip(clipboard, graph.nodes, graph.edges);
      graph.replace(next.nodes, next.edges);
    },
  });

  // /journeys/3?step=mail-1 (from the delivery log) opens with that step selected.
  const [params] = useSearchParams();
  const wantStep = params.get("step");
  const loadedId = doc.journey?.id;
  useEffect(() => {
    if (loadedId && wantStep) graph.select([wantStep]);
    // graph.select is stable; run once per loaded journey.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loadedId, wantStep]);

  const keepCopy = useCallback(async () => {
    try {
      const copy = await doc.keepCopy(t("editor.copyName", { name: doc.name.trim() || doc.journey?.name || "" }));
      if (!copy) return;
      toast("success", t("editor.copyCreated", { name: copy.name }));
      leaving.current = true;
      navigate(`/journeys/${copy.id}`);
    } catch (err) {
      fail(err);
    }
  }, [doc, t, toast, navigate, fail]);

  if (doc.loadError) return <EditorLoadError error={doc.loadError} onRetry={() => void doc.load()} back />;
  if (!doc.journey) return <EditorLoading />;

  return (
    <EditorContext.Provider value={view}>
      <div
        className="editor"
        data-testid="editor-page"
        data-state="ready"
        data-journey-id={doc.journey.id}
        data-live={liveState}
        data-checking={validation.checking ? "true" : "false"}
      >
        <LeaveGuard dirty={doc.dirty} allowRef={leaving} onSave={async () => !!(await doc.save())} />
        <Toolbar
          journey={doc.journey}
          saveFailed={autosave.state === "failed"}
          onRetrySave={autosave.retry}
          name={doc.name}
          onName={doc.setName}
          dirty={doc.dirty}
          busy={doc.busy}
          canUndo={graph.canUndo}
          canRedo={graph.canRedo}
          onUndo={graph.undo}
          onRedo={graph.redo}
          onLayout={autoLayout}
          onFit={() => flow.fitView({ ...FIT_VIEW, duration: 300 })}
          onValidate={() => void validate()}
          onSave={() => void save()}
          onPublish={() => void publish()}
          onPause={() => void lifecycle("pause")}
          onResume={() => void lifecycle("resume")}
          onDemo={() => void demo()}
          settingsOpen={settingsOpen}
          onSettings={() => {
            setCustomersFor(null);
            setSettingsFocus(null); // opened from the toolbar: at the top, not at the last problem's field
            setSettingsOpen((o) => !o);
          }}
        />
        <div className="editor-body">
          <Palette onAdd={(type) => !readOnly && addStep(type)} disabled={readOnly} />
          <div className="canvas-wrap" ref={canvasRef}>
            <div className="canvas-banners" ref={setBannerStrip} data-testid="canvas-banners">
              <LiveBanner state={liveState} />
              {readOnly && (
                <div className="banner banner-info" role="note" data-testid="archived-banner">
                  <Icon name="archive" size={16} />
                  <div className="banner-text">{t("editor.archivedBanner")}</div>
                </div>
              )}
              {doc.conflict && (
                <ConflictBanner busy={!!doc.busy} onReload={() => void doc.load()} onKeepCopy={() => void keepCopy()} />
              )}
              <ValidationSummary entries={entries} loop={loop} onPick={pickProblem} />
            </div>
            <Canvas graph={graph} onDropStep={addStep} readOnly={readOnly} />
          </div>
          <SettingsPanel
            node={node}
            selectedCount={selected.length}
            errors={node ? mapped.byNode[node.id] ?? [] : []}
            onLabel={(nid, label) => graph.updateNodeData(nid, { label }, "label")}
            onSettings={onSettings}
            show={show}
            loop={loop}
            focusRequest={focusRequest}
            onDelete={(nid) => graph.removeNodes([nid])}
            steps={stepNames}
            edges={graph.edges}
            onSetOutput={graph.setOutput}
            description={doc.description}
            onDescription={doc.setDescription}
            previewOpen={previewOpen}
            onTogglePreview={() => setPreviewOpen((o) => !o)}
            onDeleteSelection={() => graph.removeNodes(selected.map((n) => n.id))}
            onDuplicateSelection={duplicateSelection}
            onLayoutSelection={layoutSelection}
            readOnly={readOnly}
          />
          {previewShown && node && (
            <EmailPreviewPane
              settings={node.data.settings ?? {}}
              eventName={triggerEvent}
              onClose={closePreview}
            />
          )}
          {settingsOpen && (
            <JourneySettingsPanel
              settings={graph.settings}
              errors={currentProblems.filter((e) => e.field?.startsWith("settings."))}
              readOnly={readOnly}
              onChange={graph.updateSettings}
              focusRequest={settingsFocus}
              onClose={closeSettings}
            />
          )}
          {customersNode && !settingsOpen && (
            <NodeCustomersPanel
              key={customersNode.id}
              journeyId={id}
              nodeId={customersNode.id}
              stepName={stepName(customersNode, t)}
              onClose={closeCustomers}
            />
          )}
        </div>
      </div>
    </EditorContext.Provider>
  );
}
