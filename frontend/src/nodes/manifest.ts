/**
 * The backend's step manifest (GET /api/steps/manifest): for every step type its group, whether it is a
 * trigger or has an input, its settings as JSON Schema, its default settings and its outputs — fixed, or
 * computed from a setting (split branches). The front end's own registry adds only icons, colours, forms,
 * summaries and translations; `contract.test.ts` fails when the two disagree.
 */
import type { Settings, StepGroup } from "./types";

export type Tone = "neutral" | "yes" | "no" | "timeout" | "goal" | "branch";

export interface ManifestOutput {
  id: string;
  required: boolean;
  tone: Tone;
  /** Set for outputs a marketer named (split branches); otherwise the front end translates `handle.<id>`. */
  label: string | null;
}

export interface OutputsSpec {
  static?: ManifestOutput[];
  /** Outputs computed from settings: one per item of `settings[from_setting]`, then the fixed `then` ones. */
  from_setting?: string;
  id?: string;
  label?: string;
  tone?: Tone;
  then?: ManifestOutput[];
}

export interface ManifestEntry {
  type: string;
  group: StepGroup;
  is_trigger: boolean;
  has_input: boolean;
  settings: Record<string, unknown>;
  defaults: Settings;
  outputs: OutputsSpec;
}

export interface Manifest {
  version: number;
  types: ManifestEntry[];
}

let byType = new Map<string, ManifestEntry>();

export function setManifest(manifest: Manifest): void {
  byType = new Map(manifest.types.map((t) => [t.type, t]));
}

export async function loadManifest(fetcher: typeof fetch = fetch): Promise<void> {
  const response = await fetcher("/api/steps/manifest");
  if (!response.ok) throw new Error(`step manifest: HTTP ${response.status}`);
  setManifest((await response.json()) as Manifest);
}

export function manifestFor(type: string | undefined): ManifestEntry | undefined {
  return type ? byType.get(type) : undefined;
}

export function manifestTypes(): string[] {
  return [...byType.keys()];
}

/** The output handles of a node of `type` with these settings, as the backend computes them. */
export function outputsFor(type: string | undefined, settings: Settings | undefined): ManifestOutput[] {
  const spec = manifestFor(type)?.outputs;
  if (!spec) return [];
  if (spec.static) return spec.static;
  const items = spec.from_setting ? settings?.[spec.from_setting] : undefined;
  const dynamic: ManifestOutput[] = [];
  if (Array.isArray(items)) {
    for (const item of items) {
      if (!item || typeof item !== "object") continue;
      const row = item as Record<string, unknown>;
      const id = row[spec.id ?? "id"];
      if (typeof id !== "string" || !id) continue;
      const label = row[spec.label ?? "label"];
      dynamic.push({ id, required: true, tone: spec.tone ?? "branch", label: typeof label === "string" && label ? label : null });
    }
  }
  return [...dynamic, ...(spec.then ?? [])];
}

export function defaultSettingsFor(type: string): Settings {
  return structuredClone(manifestFor(type)?.defaults ?? {});
}
