/** The contract every step-type module fulfils; see registry.ts. */
import type { ComponentType } from "react";
import type { IconName } from "../components/Icon";
import type { MessageKey, TFunction } from "../i18n";
import type { JsonSchema, ManifestOutput, Settings, StepGroup } from "./manifestTypes";

export type { Settings, StepGroup };
export type StepColor = "trigger" | "wait" | "condition" | "split" | "email" | "sms" | "line" | "push" | "inapp" | "webhook" | "data" | "goal" | "exit";

/** An output handle as the canvas shows it (from the manifest's `outputs(settings)`). */
export type StepOutput = ManifestOutput;

/** Another step of the journey, for settings that point at one (engagement with an earlier send). */
export interface JourneyStepRef {
  id: string;
  type: string;
  name: string;
  /** A path leads from this step to the one being edited (set by the settings panel; unset: unknown). */
  before?: boolean;
}

export interface FormProps {
  nodeId: string;
  settings: Settings;
  onChange: (next: Settings) => void;
  t: TFunction;
  /** Translated error messages keyed by setting name. */
  fieldErrors: Record<string, string>;
  /** The type's settings schema from the manifest: enums, ranges and defaults come from here. */
  schema: JsonSchema;
  /** The journey's other steps (by name), for settings that refer to one. */
  steps: JourneyStepRef[];
}

/** What a front-end step module declares: only how the type looks and reads. */
export interface StepModule {
  type: string;
  icon: IconName;
  /** Colour family used by the node, palette item and minimap (CSS `--step-<color>`). */
  color: StepColor;
  summary: (settings: Settings, t: TFunction, steps?: JourneyStepRef[]) => string;
  /** The step's content can be previewed as a customer and sent as a test (email). */
  previewable?: boolean;
  Form: ComponentType<FormProps>;
  /** The name of an output the marketer did not label (e.g. a split branch named by its values). */
  outputLabel?: (output: StepOutput, settings: Settings, t: TFunction) => string | null;
}

/** A module joined with its manifest entry: what the rest of the editor uses. */
export interface StepDefinition extends StepModule {
  group: StepGroup;
  isTrigger: boolean;
  hasInput: boolean;
  /** A send step's channel (email, sms, line…), from the manifest; null for every other step. */
  channel: string | null;
  schema: JsonSchema;
  defaultSettings: () => Settings;
  outputs: (settings: Settings | undefined) => StepOutput[];
}

export type { JsonSchema };

export const str = (v: unknown): string => (v === null || v === undefined ? "" : String(v));

/** Filter and condition values: numbers typed as numbers stay numbers ("500" -> 500). */
export function parseValue(raw: string): string | number {
  const trimmed = raw.trim();
  if (trimmed !== "" && /^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  return raw;
}

/** The translation key for a handle id ("handle.timed_out"). */
export const handleKey = (id: string) => `handle.${id}` as MessageKey;
