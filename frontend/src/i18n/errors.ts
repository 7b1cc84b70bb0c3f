/** Turns backend error codes into translated text, falling back to the server's English message. */
import { ApiError } from "../api/client";
import type { LocatedError } from "../api/types";
import { hasKey, type MessageKey, type TFunction } from "./index";

// A journey setting's problem (`settings.<name>…`) is named by the label the settings drawer gives it.
const SETTING_LABELS: Record<string, MessageKey> = {
  reentry: "settings.reentry",
  reentry_cooldown: "settings.cooldown",
  max_duration: "settings.maxDuration",
  start_at: "settings.start_at",
  end_at: "settings.end_at",
  quiet_hours: "settings.quietHours",
  frequency_caps: "settings.caps",
  timezone: "settings.timezone",
};

function fieldName(field: string | null, t: TFunction, stepType?: string): string {
  if (!field) return "";
  // A field named differently in one step type ("Message" for a push's body, "Email body" for an email's).
  const own = stepType ? `field.${stepType}.${field}` : "";
  if (own && hasKey(own)) return t(own);
  const setting = /^settings\.(\w+)/.exec(field);
  if (setting && SETTING_LABELS[setting[1]]) return t(SETTING_LABELS[setting[1]]);
  const row = /^filters\.(\d+)\.(\w+)$/.exec(field);
  if (row) {
    const part = hasKey(`field.${row[2]}`) ? t(`field.${row[2]}` as MessageKey) : row[2];
    return `${t("filter.row", { n: Number(row[1]) + 1 })} · ${part}`;
  }
  // An action path's field: "Path 2 · Event name", "Path 2 · Filter 1 · Value".
  const path = /^paths\.(\d+)\.(.+)$/.exec(field);
  if (path) {
    const part = path[2] === "label" ? t("path.name") : fieldName(path[2], t);
    return `${t("path.row", { n: Number(path[1]) + 1 })} · ${part}`;
  }
  // A LINE message's field: "Message 2 · Text", "Message 2 · Button 1 · Link".
  const message = /^messages\.(\d+)\.(.+)$/.exec(field);
  if (message) {
    const button = /^buttons\.(\d+)\.(label|url)$/.exec(message[2]);
    const part = button ? `${t("line.button", { n: Number(button[1]) + 1 })} · ${t(button[2] === "url" ? "field.link" : "field.label")}` : fieldName(message[2], t);
    return `${t("line.message", { n: Number(message[1]) + 1 })} · ${part}`;
  }
  // A webhook header: "Header 1 · Name".
  const header = /^headers\.(\d+)\.(name|value)$/.exec(field);
  if (header) return `${t("webhook.header", { n: Number(header[1]) + 1 })} · ${fieldName(header[2], t)}`;
  const key = `field.${field}`;
  if (hasKey(key)) return t(key);
  const handleKey = `handle.${field}`;
  if (hasKey(handleKey)) return t(handleKey);
  return field;
}

// Schema messages that mean "nothing was entered" (marshmallow's wording), shown as "needs a value".
// Also the action paths' own words for an empty path name or event ("Give the path a name…", "Choose the event…").
const REQUIRED = /missing data|may not be null|length must be between 1 and|shorter than minimum length 1|not be empty|give the path a name|choose the event|choose the message step|enter part of the link/i;

/** A problem in plain language, never the backend's raw text; `loop` names the steps of a loop; `outputName` names
 * an output of the problem's step as the canvas does (a path or branch by its name, an unnamed one by its place);
 * `stepType` the type of the problem's step, whose fields may have names of their own (`field.<type>.<field>`). */
export function translateLocatedError(
  err: LocatedError,
  t: TFunction,
  ctx: { loop?: string[]; outputName?: (handle: string) => string | null | undefined; stepType?: string } = {},
): string {
  if (err.code === "cycle" && ctx.loop && ctx.loop.length > 0) {
    return t("errors.cycleNamed", { steps: ctx.loop.map((s) => `“${s}”`).join(" → ") });
  }
  if (err.code === "invalid_settings") {
    if (!err.field) return t("errors.invalid_settings_step");
    return t(REQUIRED.test(err.message) ? "errors.required" : "errors.invalid_settings", { field: fieldName(err.field, t, ctx.stepType) });
  }
  const key = `errors.${err.code}`;
  if (err.code === "handle_unconnected" && err.field && !hasKey(`handle.${err.field}`)) {
    // A named output (a path, a branch): as the canvas names it, else as the backend's message quotes it.
    const named = ctx.outputName?.(err.field) || /'(.+)'/.exec(err.message)?.[1];
    if (named) return t("errors.handle_unconnected", { field: named });
  }
  if (hasKey(key)) return t(key, { field: fieldName(err.field, t, ctx.stepType) });
  return t("errors.unknownProblem");
}

export function translateApiError(err: unknown, t: TFunction): string {
  if (err instanceof ApiError) {
    const key = `errors.${err.code}`;
    if ((err.code === "network_error" || err.code === "timeout") && hasKey(key)) return t(key);
    return err.message || t("errors.generic", { message: err.code });
  }
  return t("errors.generic", { message: err instanceof Error ? err.message : String(err) });
}
