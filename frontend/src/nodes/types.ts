/** The contract every step-type module fulfils; see registry.ts. */
import type { ComponentType } from "react";
import type { IconName } from "../components/Icon";
import type { MessageKey, TFunction } from "../i18n";

export type Settings = Record<string, unknown>;
export type StepGroup = "trigger" | "flow" | "action" | "end";

export interface StepOutput {
  id: string;
  labelKey: MessageKey;
  /** Visual tone of the handle; condition branches are green / red. */
  tone?: "neutral" | "yes" | "no";
}

export interface FormProps {
  nodeId: string;
  settings: Settings;
  onChange: (next: Settings) => void;
  t: TFunction;
  /** Translated error messages keyed by setting name. */
  fieldErrors: Record<string, string>;
}

export interface StepDefinition {
  type: string;
  group: StepGroup;
  icon: IconName;
  /** Colour family used by the node, palette item and minimap (CSS `--step-<color>`). */
  color: "trigger" | "wait" | "condition" | "email" | "exit";
  outputs: StepOutput[];
  hasInput: boolean;
  /** The step's content can be previewed as a customer and sent as a test (email). */
  previewable?: boolean;
  defaultSettings: () => Settings;
  summary: (settings: Settings, t: TFunction) => string;
  Form: ComponentType<FormProps>;
}

export const OPS = ["eq", "neq", "contains", "gt", "gte", "lt", "lte", "exists"] as const;
export type Op = (typeof OPS)[number];

export const str = (v: unknown): string => (v === null || v === undefined ? "" : String(v));

/** Filter and condition values: numbers typed as numbers stay numbers ("500" -> 500). */
export function parseValue(raw: string): string | number {
  const trimmed = raw.trim();
  if (trimmed !== "" && /^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  return raw;
}
