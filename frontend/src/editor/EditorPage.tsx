/** /journeys/:id — the journey editor. Composes the canvas, palette, panel and toolbar; the work is done by
 * hooks of its own (useJourneyDoc, useProblems, useStepActions, useJourneyActions, useLiveCounts…). */
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import type { MessageKey } from "../i18n/en";
import { useAuth, usePermissions } from "../auth/AuthContext";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useParams, useSearchParams } from "react-router-dom";
import { Icon } from "../components/Icon";
import { copySelection, pasteClip, type Clip } from "../graph/clipboard";
import { mapErrors, type StepNode } from "../graph/convert";
import { useGraphState } from "../graph/useGraphState";
import { useT } from "../i18n";
import { getStep, nodeOutputName, stepName } from "../nodes/registry";
import { JourneyZoneProvider, journeyZone } from "../timezones/JourneyZone";
import { useSteadyCanvasUnderBanners } from "./bannerInset";
import { Canvas } from "./Canvas";
import { EditorContext } from "./EditorContext";
import { EditorLoadError, EditorLoading } from "./EditorStates";
import { EmailPreviewPane } from "./EmailPreviewPane";
import { JourneySettingsPanel } from "./JourneySettingsPanel";
import { LeaveGuard } from "./LeaveGuard";
import { LiveBanner } from "./LiveBanner";
import { NodeCustomersPanel } from "./NodeCustomersPanel";
import { Palette } from "./Palette";
import { topmostPanel } from "./panels";
import { SettingsPanel } from "./SettingsPanel";
import { Toolbar } from "./Toolbar";
import { useAutosave } from "./useAutosave";
import { useJourneyActions } from "./useJourneyActions";
import { useJourneyDoc } from "./useJourneyDoc";
import { useLiveCounts } from "./useLiveCounts";
import { useProblems } from "./useProblems";
import { useReadableFit } from "./useReadableFit";
import { useShortcuts } from "./useShortcuts";
import { useStepActions } from "./useStepActions";
import { useStepManifest } from "./useStepManifest";
import { useValidation } from "./useValidation";
import { ConflictBanner, ValidationSummary } from "./ValidationSummary";

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

function Editor({ id }: { id: string }) {
  const t = useT();
  const { session } = useAuth();
  const flow = useReactFlow<StepNode>();
  const graph = useGraphState();
  const doc = useJourneyDoc(id, graph);
  const canvasRef = useRef<HTMLDivElement>(null);
  const [bannerStrip, setBannerStrip] = useState<HTMLDivElement | null>(null);
  useSteadyCanvasUnderBanners(bannerStrip);
  const status = doc.journey?.status;
  const live = status === "published" || status === "paused";
  // Archived: read-only, but customers already inside still finish their path, so counts stay live.
  const archived = status === "archived";
  // A role that cannot edit journeys (analyst, viewer) sees the editor read-only, saying why.
  const perms = usePermissions();
  const writeLock = perms.reason("journeys.write");
  const readOnly = archived || !!writeLock;
  const showCounts = live || archived;
  const validation = useValidation(id, doc.current, doc.currentKey, !!doc.journey);
  const { counts, flow: flowCounts, state: liveState } = useLiveCounts(id, showCounts);
  const [customersFor, setCustomersFor] = useState<string | null>(null);
  const closeCustomers = useCallback(() => setCustomersFor(null), []);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const closeSettings = useCallback(() => setSettingsOpen(false), []);
  const [settingsFocus, setSettingsFocus] = useState<{ field: string; n: number } | null>(null);
  const [previewOpen, setPreviewOpen] = useState(false);
  const closePreview = useCallback(() => setPreviewOpen(false), []);
  const leaving = useRef(false);
  const autosave = useAutosave({
    enabled: !!doc.journey && !readOnly,
    dirty: doc.dirty,
    changeKey: `${doc.currentKey}|${doc.name}|${doc.description}`,
    blocked: !!doc.conflict || !!doc.busy,
    save: doc.save,
  });

  // A journey-settings problem was picked: open the drawer at its field.
  const openSettingsAt = useCallback((field: string) => {
    setCustomersFor(null);
    setSettingsOpen(true);
    setSettingsFocus((prev) => ({ field, n: (prev?.n ?? 0) + 1 }));
  }, []);
  const problems = useProblems({ problems: validation.problems, graph, flow, onJourneySetting: openSettingsAt });
  const { show, currentProblems, stepNames, entries, loop, pickProblem, onSettings, focusRequest } = problems;
  const steps = useStepActions({ graph, flow, canvasRef, countsShown: showCounts });
  const fit = useReadableFit();
  const { addStep, insertRef, layoutSelection, duplicateSelection, autoLayout } = steps;
  const actions = useJourneyActions({ doc, validation, markAttempted: problems.markAttempted, leaving });
  const { save, publish, lifecycle, validate, demo, keepCopy } = actions;

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
    [mapped, show, loop, counts, flowCounts, showCounts, readOnly, stepNames, insertRef],
  );
  const customersNode = customersFor ? graph.nodes.find((n) => n.id === customersFor) : undefined;

  const selected = graph.nodes.filter((n) => n.selected);
  const triggerEvent = useMemo(() => {
    const trigger = graph.nodes.find((n) => n.type === "event_trigger");
    const name = trigger?.data.settings?.event;
    return typeof name === "string" && name.trim() ? name.trim() : null;
  }, [graph.nodes]);
  const node: StepNode | null = selected.length === 1 ? selected[0] : null;

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

  if (doc.loadError) return <EditorLoadError error={doc.loadError} onRetry={() => void doc.load()} back />;
  if (!doc.journey) return <EditorLoading />;

  return (
    <EditorContext.Provider value={view}>
      <JourneyZoneProvider value={journeyZone(graph.settings)}>
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
          onFit={() => fit()}
          onValidate={() => void validate()}
          onSave={() => void save()}
          onPublish={() => void publish()}
          onPause={() => void lifecycle("pause")}
          onResume={() => void lifecycle("resume")}
          onDemo={() => void demo()}
          writeLock={archived ? null : writeLock}
          publishLock={perms.reason("journeys.publish")}
          pauseLock={perms.reason("journeys.publish", "perm.journeysPause")}
          canDemo={perms.can("devtools.use")}
          settingsOpen={settingsOpen}
          onSettings={() => {
            setCustomersFor(null);
            setSettingsFocus(null); // opened from the toolbar: at the top, not at the last problem's field
            setSettingsOpen((o) => !o);
          }}
        />
        <div className="editor-body">
          <Palette
            onAdd={(type) => !readOnly && addStep(type)}
            disabled={readOnly}
          />
          <div className="canvas-wrap" ref={canvasRef}>
            <div className="canvas-banners" ref={setBannerStrip} data-testid="canvas-banners">
              <LiveBanner state={liveState} />
              {archived && (
                <div className="banner banner-info" role="note" data-testid="archived-banner">
                  <Icon name="archive" size={16} />
                  <div className="banner-text">{t("editor.archivedBanner")}</div>
                </div>
              )}
              {!archived && writeLock && (
                <div className="banner banner-info" role="note" data-testid="view-only-banner">
                  <Icon name="lock" size={16} />
                  <div className="banner-text">
                    {t("perm.viewOnlyBanner", { role: session?.role ? t(`role.${session.role}` as MessageKey) : "" })}
                  </div>
                </div>
              )}
              {doc.conflict && (
                <ConflictBanner busy={!!doc.busy} onReload={() => void doc.load()} onKeepCopy={() => void keepCopy()} />
              )}
              <ValidationSummary
                entries={entries}
                loop={loop}
                onPick={pickProblem}
                outputName={(nodeId, handle) => nodeOutputName(graph.nodes.find((n) => n.id === nodeId), handle, t)}
              />
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
            previewLock={perms.reason("content.preview")}
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
      </JourneyZoneProvider>
    </EditorContext.Provider>
  );
}
