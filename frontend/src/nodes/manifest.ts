/**
 * The step manifest served by the backend (GET /api/steps/manifest): each type's group, settings as JSON
 * Schema (enums, defaults, ranges), default settings and how its outputs follow from its settings. The front
 * end adds only icons, colours, forms, summaries and translations (registry.ts); registry.test.ts checks the
 * two agree against `manifest.snapshot.json`, which tests/unit/test_step_manifest_contract.py keeps equal to
 * the backend's manifest (`wayfinder steps-manifest --out frontend/src/nodes/manifest.snapshot.json`).
 */

export type Tone = "neutral" | "yes" | "no" | "timeout" | "goal" | "branch";

export interface ManifestOutput {
  id: string;
  required: boolean;
  tone: Tone;
  /** A name the marketer gave (split branches); otherwise the front end translates the id. */
  label: string | null;
}

/** Static outputs, or one output per item of a list setting (`from_setting`) followed by `then`. */
export type OutputsSpec =
  | { static: ManifestOutput[] }
  | { from_setting: string; id: string; label: string; tone: Tone; then: ManifestOutput[] };

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  required?: string[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  [key: string]: unknown;
}

export interface ManifestType {
  type: string;
  group: "trigger" | "flow" | "action" | "end";
  is_trigger: boolean;
  has_input: boolean;
  settings: JsonSchema;
  defaults: Record<string, unknown>;
  outputs: OutputsSpec;
}

export interface StepManifest {
  version: number;
  types: ManifestType[];
  /** Journey-wide settings (re-entry, quiet hours…) as JSON Schema, when the backend declares them. */
  journey_settings?: JsonSchema;
  [key: string]: unknown;
}

/** The outputs of a node with these settings, exactly as the backend computes them (`outputs(settings)`). */
export function outputsFor(spec: OutputsSpec, settings: Record<string, unknown>): ManifestOutput[] {
  if ("static" in spec) return spec.static;
  const list = settings[spec.from_setting];
  const items = Array.isArray(list) ? list.filter((b): b is Record<string, unknown> => !!b && typeof b === "object" && !!b[spec.id]) : [];
  const dynamic = items.map((b) => ({
    id: String(b[spec.id]),
    required: true,
    tone: spec.tone,
    label: typeof b[spec.label] === "string" && b[spec.label] ? String(b[spec.label]) : null,
  }));
  return [...dynamic, ...spec.then];
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
