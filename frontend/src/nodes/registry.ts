/** Every step type the editor knows. Adding a type = one module + one line here. */
import { condition } from "./condition";
import { eventTrigger } from "./event_trigger";
import { exit } from "./exit";
import { sendEmail } from "./send_email";
import type { StepDefinition, StepGroup } from "./types";
import { wait } from "./wait";

export const STEP_TYPES: StepDefinition[] = [eventTrigger, wait, condition, sendEmail, exit];

export const GROUPS: StepGroup[] = ["trigger", "flow", "action", "end"];

const BY_TYPE = new Map(STEP_TYPES.map((d) => [d.type, d]));

export function getStep(type: string | undefined): StepDefinition | undefined {
  return type ? BY_TYPE.get(type) : undefined;
}

/** The handle an edge leaves from when the saved graph omits `sourceHandle`. */
export function defaultHandle(type: string | undefined): string | null {
  const outputs = getStep(type)?.outputs ?? [];
  return outputs.length === 1 ? outputs[0].id : null;
}
