/** The step manifest's data shapes (GET /api/steps/manifest) and the plain setting types they use. A leaf module:
 * `manifest.ts` (loading and reading the manifest) and `types.ts` (the step-module contract) both build on it,
 * so neither imports the other (`imports.test.ts` fails on any import circle). */

export type Settings = Record<string, unknown>;
export type StepGroup = "trigger" | "flow" | "action" | "end";

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

export interface ManifestEntry {
  type: string;
  group: StepGroup;
  is_trigger: boolean;
  has_input: boolean;
  /** A send step's channel (email, sms, line, push, webpush, in_app, webhook); null for other steps. */
  channel: string | null;
  /** Where the customer's address on that channel comes from (email, phone, line_user_id, devices:push…). */
  address: string | null;
  settings: JsonSchema;
  defaults: Settings;
  outputs: OutputsSpec;
}

export interface Manifest {
  version: number;
  types: ManifestEntry[];
  /** Journey-wide settings (re-entry, quiet hours, caps, time zone…) as JSON Schema. */
  journey_settings?: JsonSchema;
  [key: string]: unknown;
}
