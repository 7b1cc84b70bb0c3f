/** The canvas edge: smooth-step path carrying domain attributes; drawn red with its message when invalid. */
import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, useReactFlow, useStore, type EdgeProps, type EdgeTypes } from "@xyflow/react";
import { memo, useEffect, useRef, useState } from "react";
import { Icon } from "../components/Icon";
import { useEditorView } from "../editor/EditorContext";
import { edgeSplit } from "../graph/metrics";
import { isFar } from "../graph/zoom";
import { useT, type MessageKey } from "../i18n";
import { getStep, outputLabel, stepTypes } from "../nodes/registry";
import { translateLocatedError } from "../i18n/errors";

/** The tone (yes / no / timed out / goal / branch n) and, when its step has several outputs, the shown name of the
 * output an edge leaves from. */
function edgeOutput(
  nodeLookup: Map<string, { type?: string; data: unknown }>,
  source: string,
  handle: string | null | undefined,
  t: ReturnType<typeof useT>,
): { tone: string; name: string } {
  const n = nodeLookup.get(source);
  const def = getStep(n?.type);
  const settings = (n?.data as { settings?: Record<string, unknown> } | undefined)?.settings ?? {};
  const outputs = def?.outputs(settings) ?? [];
  const i = outputs.findIndex((o) => o.id === handle);
  if (i < 0) return { tone: "", name: "" };
  const o = outputs[i];
  const tone = o.tone === "neutral" ? "" : ` edge-${o.tone}${o.tone === "branch" ? ` branch-${i % 10}` : ""}`;
  return { tone, name: outputs.length > 1 || o.tone === "goal" ? outputLabel(def, o, settings, t) : "" };
}

function JourneyEdgeView(props: EdgeProps) {
  const { id, source, target, sourceHandleId, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected, markerEnd } = props;
  const t = useT();
  const { deleteElements } = useReactFlow();
  const view = useEditorView();
  const far = useStore(isFar);
  // The edge takes its output's tone from the manifest, and, when its step has several outputs, that output's name
  // (Yes / No / a split's branch name), in the UI's language.
  const output = useStore(
    (st) => edgeOutput(st.nodeLookup, source, sourceHandleId, t),
    (a, b) => a.tone === b.tone && a.name === b.name,
  );
  const { tone, name: branchName } = output;
  const edgeErrors = view.errors.byEdge[id] ?? [];
  // Several branches into one step (a merge): their labels stack upwards over it instead of covering each other,
  // and branches of the same name ("Timed out" from three waits) share one label, with their customers summed.
  const merge = useStore(
    (st) => {
      const into = st.edges.filter((e) => e.target === target && e.sourceHandle && e.sourceHandle !== "next");
      const keys = into.map((e) => {
        const o = edgeOutput(st.nodeLookup, e.source, e.sourceHandle, t);
        return `${o.tone}|${o.name}`;
      });
      const mine = into.findIndex((e) => e.id === id);
      if (mine < 0) return { stack: 0, first: true, sources: "" };
      const same = into.filter((_e, i) => keys[i] === keys[mine]);
      return {
        stack: [...new Set(keys)].indexOf(keys[mine]),
        first: same[0].id === id,
        sources: same.length > 1 ? same.map((e) => `${e.source}\u0000${e.sourceHandle}`).join("\u0001") : "",
      };
    },
    (a, b) => a.stack === b.stack && a.first === b.first && a.sources === b.sources,
  );
  const merged = merge.sources ? merge.sources.split("\u0001").map((pair) => pair.split("\u0000") as [string, string]) : null;
  // Branch edges (yes / no …) say which branch they are, and once live, how many took it and their share, so a
  // split reads at a glance. Zoomed out, the step's own branch chips are hidden, so the name shows here always.
  // A shared label counts every branch it stands for (their shares are of different steps: no percent).
  const split =
    view.showCounts && sourceHandleId && sourceHandleId !== "next"
      ? merged
        ? { count: merged.reduce((sum, [from, handle]) => sum + edgeSplit(view.flow, from, handle).count, 0), percent: null }
        : edgeSplit(view.flow, source, sourceHandleId)
      : null;
  const branch = branchName && merge.first && (split || far) ? { name: branchName, split } : null;
  const branchY = targetY - 10 - merge.stack * (far ? 46 : 26);
  const invalid = edgeErrors.length > 0;
  const message = invalid ? translateLocatedError(edgeErrors[0], t) : "";
  const canInsert = !!view.insertOnEdge && !far;
  const [path, labelX, labelY] = getSmoothStepPath({
    sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, borderRadius: 14, offset: 24,
  });
  return (
    <>
      <BaseEdge
        path={path}
        markerEnd={markerEnd}
        interactionWidth={22}
        className={`journey-edge${tone}${invalid ? " is-invalid" : ""}${selected ? " is-selected" : ""}`}
        data-testid={`edge-${id}`}
        data-edge-id={id}
        data-source={source}
        data-target={target}
        data-source-handle={sourceHandleId ?? ""}
        data-invalid={invalid ? "true" : "false"}
      />
      {branch && !invalid && (
        <EdgeLabelRenderer>
          {/* Just above the step the branch leads to: each target has its own column, so labels never collide. */}
          <div className="edge-label edge-branch-label nodrag nopan" style={{ transform: `translate(-50%, -100%) translate(${targetX}px, ${branchY}px)` }}>
            <span
              className={`edge-split${tone}${far ? " is-far" : ""}`}
              data-testid={`edge-split-${id}`}
              data-count={branch.split?.count ?? ""}
              data-percent={branch.split?.percent ?? ""}
              data-merged={merged ? merged.length : 1}
              title={branch.name}
            >
              <span className="edge-split-name">{branch.name}</span>
              {branch.split && (
                <span className="edge-split-numbers">
                  {far
                    ? branch.split.percent === null
                      ? branch.split.count.toLocaleString()
                      : t("edge.splitShort", { n: branch.split.count.toLocaleString(), pct: branch.split.percent })
                    : branch.split.percent === null
                      ? t("edge.splitNone", { n: branch.split.count.toLocaleString() })
                      : t("edge.split", { n: branch.split.count.toLocaleString(), pct: branch.split.percent })}
                </span>
              )}
            </span>
          </div>
        </EdgeLabelRenderer>
      )}
      {(invalid || selected || canInsert) && (
        <EdgeLabelRenderer>
          <div
            className="edge-label nodrag nopan"
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          >
            {invalid && (
              <span className="edge-error" data-testid={`edge-error-${id}`} title={message} tabIndex={0} aria-label={message}>
                <Icon name="alert" size={12} />
                <span className="edge-error-text">{message}</span>
              </span>
            )}
            {canInsert && view.insertOnEdge && <InsertMenu edgeId={id} onInsert={view.insertOnEdge} />}
            {selected && (
              <button
                type="button"
                className="edge-delete"
                data-testid={`edge-delete-${id}`}
                aria-label={t("edge.delete")}
                title={t("edge.delete")}
                onClick={() => deleteElements({ edges: [{ id }] })}
              >
                <Icon name="x" size={12} />
              </button>
            )}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

/** The "+" on an edge: a small menu of the steps that can go between its two ends. */
function InsertMenu({ edgeId, onInsert }: { edgeId: string; onInsert: (edgeId: string, type: string) => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLElement>("[role=menuitem]")?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      e.stopPropagation();
      setOpen(false);
      button.current?.focus();
    };
    const onDown = (e: MouseEvent) => {
      if (!menu.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener("keydown", onKey, true);
    document.addEventListener("mousedown", onDown);
    return () => {
      window.removeEventListener("keydown", onKey, true);
      document.removeEventListener("mousedown", onDown);
    };
  }, [open]);
  return (
    <span className="edge-insert">
      <button
        ref={button}
        type="button"
        className="edge-plus"
        data-testid={`edge-insert-${edgeId}`}
        aria-label={t("edge.insert")}
        title={t("edge.insert")}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        <Icon name="plus" size={12} />
      </button>
      {open && (
        <div ref={menu} className="menu edge-insert-menu" role="menu" aria-label={t("edge.insert")}>
          {stepTypes().filter((d) => d.hasInput).map((d) => {
            const name = t(`type.${d.type}` as MessageKey);
            return (
              <button
                key={d.type}
                type="button"
                role="menuitem"
                className={`menu-item step-${d.color}`}
                data-testid={`edge-insert-option-${d.type}`}
                aria-label={t("edge.insertType", { type: name })}
                onClick={() => {
                  setOpen(false);
                  onInsert(edgeId, d.type);
                }}
              >
                <span className="step-icon">
                  <Icon name={d.icon} size={14} />
                </span>
                {name}
              </button>
            );
          })}
        </div>
      )}
    </span>
  );
}

export const JourneyEdge = memo(JourneyEdgeView);

export const edgeTypes: EdgeTypes = { journey: JourneyEdge };
