/**
 * Pure converters between React Flow state and the saved journey format
 * (docs/journey-format.md), plus the mapping of located validation errors.
 */
import type { Edge, Node } from "@xyflow/react";
import type { GraphEdge, GraphNode, JourneyGraph, LocatedError } from "../api/types";
import { defaultHandle } from "../nodes/registry";
import type { Settings } from "../nodes/types";

/** Node data stays plain JSON: no callbacks, no derived state. */
export type StepNodeData = { label: string; settings: Settings };
export type StepNode = Node<StepNodeData>;
export type FlowEdge = Edge;

export const EDGE_TYPE = "journey";
export const TARGET_HANDLE = "in";

const round = (n: number) => Math.round(n * 10) / 10;

export function toJourneyGraph(nodes: StepNode[], edges: FlowEdge[], settings: Record<string, unknown> = {}): JourneyGraph {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return {
    nodes: nodes.map(
      (n): GraphNode => ({
        id: n.id,
        type: n.type ?? "",
        position: { x: round(n.position.x), y: round(n.position.y) },
        data: { label: n.data.label ?? "", settings: structuredCloneJson(n.data.settings ?? {}) },
      }),
    ),
    edges: edges.map((e): GraphEdge => {
      const src = byId.get(e.source);
      const handle = e.sourceHandle ?? defaultHandle(src?.type, src?.data.settings);
      return handle
        ? { id: e.id, source: e.source, sourceHandle: handle, target: e.target }
        : { id: e.id, source: e.source, target: e.target };
    }),
    settings: { ...settings },
  };
}

export function fromJourneyGraph(graph: Partial<JourneyGraph> | null | undefined): { nodes: StepNode[]; edges: FlowEdge[] } {
  const gNodes = graph?.nodes ?? [];
  const byId = new Map(gNodes.map((n) => [n.id, n]));
  const nodes = gNodes.map(
    (n): StepNode => ({
      id: n.id,
      type: n.type,
      position: { x: n.position?.x ?? 0, y: n.position?.y ?? 0 },
      data: { label: n.data?.label ?? "", settings: structuredCloneJson(n.data?.settings ?? {}) },
    }),
  );
  const edges = (graph?.edges ?? []).map(
    (e): FlowEdge => ({
      id: e.id,
      type: EDGE_TYPE,
      source: e.source,
      target: e.target,
      sourceHandle: e.sourceHandle ?? defaultHandle(byId.get(e.source)?.type, byId.get(e.source)?.data?.settings),
      targetHandle: TARGET_HANDLE,
    }),
  );
  return { nodes, edges };
}

export interface MappedErrors {
  byNode: Record<string, LocatedError[]>;
  byEdge: Record<string, LocatedError[]>;
  /** Journey-level errors, and errors located on ids the canvas does not have. */
  general: LocatedError[];
}

export function mapErrors(errors: LocatedError[], nodeIds?: Iterable<string>, edgeIds?: Iterable<string>): MappedErrors {
  const nodes = nodeIds ? new Set(nodeIds) : null;
  const edges = edgeIds ? new Set(edgeIds) : null;
  const out: MappedErrors = { byNode: {}, byEdge: {}, general: [] };
  for (const err of errors) {
    if (err.edge_id && (!edges || edges.has(err.edge_id))) {
      (out.byEdge[err.edge_id] ??= []).push(err);
    } else if (err.node_id && (!nodes || nodes.has(err.node_id))) {
      (out.byNode[err.node_id] ??= []).push(err);
    } else {
      out.general.push(err);
    }
  }
  return out;
}

/** A readable id unique among `taken`: "wait-1", "wait-2", … */
export function nextId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let i = 1; ; i++) {
    const id = `${prefix}-${i}`;
    if (!used.has(id)) return id;
  }
}

/** Canonical JSON of the graph, used to detect unsaved changes. */
export function graphKey(graph: JourneyGraph): string {
  return JSON.stringify(graph);
}

function structuredCloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
