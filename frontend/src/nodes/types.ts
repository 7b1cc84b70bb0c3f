/** The contract every step-type module fulfils; see registry.ts. */
import type { ComponentType } from "react";
import type { IconName } from "../components/Icon";
import type { TFunction } from "../i18n";

export type Settings = Record<string, unknown>;
export type StepGroup = "trigger" | "flow" | "action" | "end";

export interface FormProps {
  nodeId: string;
  settings: Settings;
  onChange: (next: Settings) => void;
  t: TFunction;
  /** Translated error messages keyed by setting name. */
  fieldErrors: Record<string, string>;
}

/**
 * What the front end adds to a step type of the backend's manifest (see manifest.ts): how it looks and how
 * it is edited. Group, outputs, input and default settings come from the manifest.
 */
export interface StepDefinition {
  type: string;
  icon: IconName;
  /** Colour family used by the node, palette item and minimap (CSS `--step-<color>`). */
  color: "trigger" | "wait" | "condition" | "email" | "exit";
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
