/**
 * The backend's step manifest (GET /api/steps/manifest): for every step type its group, whether it is a
 * trigger or has an input, its settings as JSON Schema (enums, ranges, defaults), its default settings and its
 * outputs — fixed, or computed from a setting (split branches). The front end's own registry adds only icons,
 * colours, forms, summaries and translations; `contract.test.ts` fails when the two disagree.
 */
import type { Manifest, ManifestEntry, ManifestOutput, OutputsSpec, JsonSchema, Settings } from "./manifestTypes";

export type { JsonSchema, Manifest, ManifestEntry, ManifestOutput, OutputsSpec, Tone } from "./manifestTypes";

let current: Manifest | null = null;
let byType = new Map<string, ManifestEntry>();
let version = 0;

export function setManifest(manifest: Manifest): void {
  current = manifest;
  byType = new Map(manifest.types.map((t) => [t.type, t]));
  version += 1;
}

/** The installed manifest (null until loaded), and a number that changes each time one is installed. */
export function installedManifest(): Manifest | null {
  return current;
}
export function manifestVersion(): number {
  return version;
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

/** The outputs a spec gives for these settings, exactly as the backend's `outputs(settings)`. */
export function outputsFromSpec(spec: OutputsSpec | undefined, settings: Settings | undefined): ManifestOutput[] {
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

/** The output handles of a node of `type` with these settings, as the backend computes them. */
export function outputsFor(type: string | undefined, settings: Settings | undefined): ManifestOutput[] {
  return outputsFromSpec(manifestFor(type)?.outputs, settings);
}

export function defaultSettingsFor(type: string): Settings {
  return structuredClone(manifestFor(type)?.defaults ?? {});
}

/** The schema of a setting by dotted path ("branches.percent" walks into array items). */
export function schemaAt(schema: JsonSchema | undefined, path: string): JsonSchema | undefined {
  let cur = schema;
  for (const part of path.split(".")) {
    if (!cur) return undefined;
    if (cur.items && !cur.properties) cur = cur.items;
    cur = cur.properties?.[part];
  }
  return cur;
}

/** The allowed values of an enum setting (for an array of enums, its items'). */
export function enumAt(schema: JsonSchema | undefined, path: string): string[] {
  const s = schemaAt(schema, path);
  const values = s?.enum ?? s?.items?.enum ?? [];
  return values.map(String);
}

/** `minimum` / `maximum` of a number setting, or `minItems` / `maxItems` of a list. */
export function rangeAt(schema: JsonSchema | undefined, path: string): { min?: number; max?: number } {
  const s = schemaAt(schema, path);
  if (!s) return {};
  if (s.type === "array" || (Array.isArray(s.type) && s.type.includes("array"))) return { min: s.minItems, max: s.maxItems };
  return { min: s.minimum, max: s.maximum };
}

/** The default a schema declares for a setting (marshmallow's `load_default`). */
export function defaultAt(schema: JsonSchema | undefined, path: string): unknown {
  return schemaAt(schema, path)?.default;
}
