/**
 * Every step type the editor knows: a front-end module (icon, colour, form, summary) joined with the
 * backend's manifest entry (group, settings schema, defaults, outputs). Adding a type = one module + one
 * line in MODULES; the manifest must be installed (`installManifest`) before the editor renders.
 */
import { hasKey, type TFunction } from "../i18n";
import { condition } from "./condition";
import { eventTrigger } from "./event_trigger";
import { exit } from "./exit";
import { goal } from "./goal";
import { outputsFor, type StepManifest } from "./manifest";
import { randomSplit } from "./random_split";
import { sendEmail } from "./send_email";
import { split } from "./split";
import type { Settings, StepDefinition, StepGroup, StepModule, StepOutput } from "./types";
import { handleKey } from "./types";
import { wait } from "./wait";
import { waitForEvent } from "./wait_for_event";
import { waitUntil } from "./wait_until";

/** Palette order within each group. */
export const MODULES: StepModule[] = [eventTrigger, wait, waitUntil, waitForEvent, condition, split, randomSplit, sendEmail, goal, exit];

export const GROUPS: StepGroup[] = ["trigger", "flow", "action", "end"];

let manifest: StepManifest | null = null;
let types: StepDefinition[] = [];
let byType = new Map<string, StepDefinition>();

const clone = <T,>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Joins the modules with the backend's manifest; types the front end has no module for are left out. */
export function installManifest(m: StepManifest): void {
  manifest = m;
  const entries = new Map(m.types.map((e) => [e.type, e]));
  types = MODULES.flatMap((mod): StepDefinition[] => {
    const e = entries.get(mod.type);
    if (!e) return [];
    return [
      {
        ...mod,
        group: e.group,
        isTrigger: e.is_trigger,
        hasInput: e.has_input,
        schema: e.settings,
        defaultSettings: () => clone(e.defaults) as Settings,
        outputs: (settings) => outputsFor(e.outputs, settings ?? {}),
      },
    ];
  });
  byType = new Map(types.map((d) => [d.type, d]));
}

export function installedManifest(): StepManifest | null {
  return manifest;
}

export function stepTypes(): StepDefinition[] {
  return types;
}

export function getStep(type: string | undefined): StepDefinition | undefined {
  return type ? byType.get(type) : undefined;
}

/** The handle an edge leaves from when the saved graph omits `sourceHandle`. */
export function defaultHandle(type: string | undefined, settings?: Settings): string | null {
  const outputs = getStep(type)?.outputs(settings) ?? [];
  return outputs.length === 1 ? outputs[0].id : null;
}

/** What a handle is called on the canvas: the marketer's label, the module's name for it, or its translation. */
export function outputLabel(def: StepDefinition | undefined, output: StepOutput, settings: Settings, t: TFunction): string {
  if (output.label) return output.label;
  const own = def?.outputLabel?.(output, settings, t);
  if (own) return own;
  return hasKey(handleKey(output.id)) ? t(handleKey(output.id)) : output.id;
}
