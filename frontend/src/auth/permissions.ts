/**
 * What the signed-in member may do here, from the server's answer (GET /api/session `actions`): the UI never
 * copies the matrix (docs/permissions.md), it disables what the role cannot do and says why. The server stays
 * the authority: a request the UI let through anyway is refused with 403 `forbidden_role`.
 */
import type { SessionInfo } from "../api/types";
import type { MessageKey } from "../i18n/en";

/** The action names of backend/wayfinder/auth/permissions.py that the UI asks about. */
export type Action =
  | "journeys.read"
  | "journeys.write"
  | "journeys.publish"
  | "customers.read"
  | "personal.read"
  | "messages.read"
  | "content.preview"
  | "email.test"
  | "members.read"
  | "members.manage"
  | "keys.manage"
  | "audit.read"
  | "workspace.settings"
  | "devtools.use"
  | "health.detail";

/** Whether the session's role may perform `action` (no session, or an older server without `actions`: no). */
export function can(session: SessionInfo | null, action: Action): boolean {
  return !!session?.actions?.includes(action);
}

/** Why a control is disabled, per action: a sentence that names the role ("Your role (Analyst) can view …"). */
export const REASONS: Partial<Record<Action, MessageKey>> = {
  "journeys.write": "perm.journeysWrite",
  "journeys.publish": "perm.journeysPublish",
  "devtools.use": "perm.devtools",
  "content.preview": "perm.contentPreview",
  "email.test": "perm.emailTest",
};
