/**
 * Every step type the editor can draw: the backend's manifest (group, outputs, input, defaults) joined with
 * this side's icon, colour, form and summary. Adding a type = one module + one line here.
 */
import { condition } from "./condition";
import { eventTrigger } from "./event_trigger";
import { exit } from "./exit";
import { manifestFor, outputsFor } from "./manifest";
import { sendEmail } from "./send_email";
import type { StepDefinition, StepGroup } from "./types";
import { wait } from "./wait";

export const STEP_TYPES: StepDefinition[] = [eventTrigger, wait, condition, sendEmail, exit];

/**
 * Backend step types whose editor module (icon, form, summary, translations) is not written yet: they are
 * left out of the palette. The contract test fails for any other type the two sides disagree on, and for a
 * type listed here that has a module.
 */
export const AWAITING_FORMS = [
  "goal",
  "manual_trigger",
  "random_split",
  "relative_date_trigger",
  "schedule_trigger",
  "split",
  "wait_for_event",
  "wait_until",
];

export const GROUPS: StepGroup[] = ["trigger", "flow", "action", "end"];

const BY_TYPE = new Map(STEP_TYPES.map((d) => [d.type, d]));

export function getStep(type: string | undefined): StepDefinition | undefined {
  return type ? BY_TYPE.get(type) : undefined;
}

/** The palette's steps of one group (the group comes from the manifest). */
export function stepsInGroup(group: StepGroup): StepDefinition[] {
  return STEP_TYPES.filter((d) => manifestFor(d.type)?.group === group);
}

export function hasInput(type: string | undefined): boolean {
  return manifestFor(type)?.has_input ?? true;
}

/** The handle an edge leaves from when the saved graph omits `sourceHandle`. */
export function defaultHandle(type: string | undefined): string | null {
  const outputs = outputsFor(type, {});
  return outputs.length === 1 ? outputs[0].id : null;
}
