/**
 * Every step type the editor knows: a front-end module (icon, colour, form, summary) joined with the
 * backend's manifest entry (group, settings schema, defaults, outputs). Adding a type = one module + one
 * line in MODULES; the manifest is installed (manifest.ts `setManifest`) before the editor renders.
 */
import { hasKey, type TFunction } from "../i18n";
import { actionPaths } from "./action_paths";
import { addTag } from "./add_tag";
import { condition } from "./condition";
import { eventTrigger } from "./event_trigger";
import { exit } from "./exit";
import { goal } from "./goal";
import { manualTrigger } from "./manual_trigger";
import { relativeDateTrigger } from "./relative_date_trigger";
import { scheduleTrigger } from "./schedule_trigger";
import { defaultSettingsFor, manifestFor, manifestVersion, outputsFromSpec } from "./manifest";
import { randomSplit } from "./random_split";
import { removeTag } from "./remove_tag";
import { sendEmail } from "./send_email";
import { sendInApp } from "./send_in_app";
import { sendLine } from "./send_line";
import { sendPush } from "./send_push";
import { sendSms } from "./send_sms";
import { sendWebhook } from "./send_webhook";
import { sendWebPush } from "./send_webpush";
import { split } from "./split";
import { tagTrigger } from "./tag_trigger";
import type { Settings, StepDefinition, StepGroup, StepModule, StepOutput } from "./types";
import { handleKey } from "./types";
import { updateAttribute } from "./update_attribute";
import { wait } from "./wait";
import { waitForEngagement } from "./wait_for_engagement";
import { waitForEvent } from "./wait_for_event";
import { waitUntil } from "./wait_until";

/** Palette order within each group. */
export const MODULES: StepModule[] = [eventTrigger, scheduleTrigger, relativeDateTrigger, tagTrigger, manualTrigger, wait, waitUntil, waitForEvent, waitForEngagement, actionPaths, condition, split, randomSplit, sendEmail, sendSms, sendLine, sendPush, sendWebPush, sendInApp, sendWebhook, addTag, removeTag, updateAttribute, goal, exit];

export const GROUPS: StepGroup[] = ["trigger", "flow", "action", "end"];

/**
 * Backend step types whose editor module (icon, form, summary, translations) is not written yet: they are
 * left out of the palette. The contract test fails for any other type the two sides disagree on, and for a
 * type listed here that has a module.
 */
export const AWAITING_FORMS: string[] = [];

const MODULE_BY_TYPE = new Map(MODULES.map((m) => [m.type, m]));
let joinedFor = -1;
let byType = new Map<string, StepDefinition>();
let types: StepDefinition[] = [];

/** Modules joined with the installed manifest (rebuilt when a new manifest is installed). */
function joined(): Map<string, StepDefinition> {
  if (joinedFor === manifestVersion()) return byType;
  joinedFor = manifestVersion();
  types = MODULES.flatMap((mod): StepDefinition[] => {
    const e = manifestFor(mod.type);
    if (!e) return [];
    return [
      {
        ...mod,
        group: e.group,
        isTrigger: e.is_trigger,
        hasInput: e.has_input,
        channel: e.channel,
        schema: e.settings,
        defaultSettings: () => defaultSettingsFor(mod.type),
        outputs: (settings) => outputsFromSpec(e.outputs, settings ?? {}),
      },
    ];
  });
  byType = new Map(types.map((d) => [d.type, d]));
  return byType;
}

/** Every type the palette can offer: a front-end module that the backend's manifest knows. */
export function stepTypes(): StepDefinition[] {
  joined();
  return types;
}

export function getStep(type: string | undefined): StepDefinition | undefined {
  return type ? joined().get(type) : undefined;
}

/** The front-end module of a type, whether or not a manifest is installed. */
export function moduleFor(type: string | undefined): StepModule | undefined {
  return type ? MODULE_BY_TYPE.get(type) : undefined;
}

/** The palette's steps of one group (the group comes from the manifest). */
export function stepsInGroup(group: StepGroup): StepDefinition[] {
  return stepTypes().filter((d) => d.group === group);
}

export function hasInput(type: string | undefined): boolean {
  return manifestFor(type)?.has_input ?? true;
}

/** A step's output ids for these settings, in declared order (a split has one per branch); none for an unknown type. */
export function outputIds(type: string | undefined, settings?: Settings): string[] {
  return getStep(type)?.outputs(settings).map((o) => o.id) ?? [];
}

/** The handle an edge leaves from when the saved graph omits `sourceHandle`. */
export function defaultHandle(type: string | undefined, settings?: Settings): string | null {
  const outputs = outputIds(type, settings);
  return outputs.length === 1 || outputs[0] === "next" ? outputs[0] : null;
}

/** What a step is called everywhere (problems list, menus, panels, edge names): its label, else its type's name. */
export function stepName(node: { type?: string; data?: { label?: string } }, t: TFunction): string {
  const typeKey = `type.${node.type}`;
  return node.data?.label || (hasKey(typeKey) ? t(typeKey) : node.type ?? "");
}

/** What output `handle` of this node is called on the canvas; null for an unknown type or output. */
export function nodeOutputName(node: { type?: string; data?: { settings?: Settings } } | undefined, handle: string, t: TFunction): string | null {
  const def = getStep(node?.type);
  const settings = node?.data?.settings ?? {};
  const output = def?.outputs(settings).find((o) => o.id === handle);
  return def && output ? outputLabel(def, output, settings, t) : null;
}

/** What a handle is called on the canvas: the marketer's label, the module's name for it, or its translation. */
export function outputLabel(def: StepDefinition | undefined, output: StepOutput, settings: Settings, t: TFunction): string {
  if (output.label) return output.label;
  const own = def?.outputLabel?.(output, settings, t);
  if (own) return own;
  return hasKey(handleKey(output.id)) ? t(handleKey(output.id)) : output.id;
}
