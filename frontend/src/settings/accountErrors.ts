/** The account routes' refusals (owner rules, invitation and reset links) in the user's language; anything else
 * goes through the app's usual error translation. */
import { ApiError } from "../api/client";
import type { Role } from "../api/types";
import type { MessageKey, TFunction } from "../i18n";
import { translateApiError } from "../i18n/errors";

const BY_REASON: Record<string, MessageKey> = {
  owner_only: "accountErrors.ownerOnly",
  last_owner: "accountErrors.lastOwner",
  already_member: "accountErrors.alreadyMember",
  sign_in_required: "accountErrors.signInRequired",
  other_account: "accountErrors.otherAccount",
};

/** The roles a member can have, highest first (the role selects list them in this order). */
export const ROLES: Role[] = ["owner", "admin", "marketer", "analyst", "viewer"];

export function accountError(err: unknown, t: TFunction): string {
  if (err instanceof ApiError) {
    const reason = (err.body as { reason?: string } | null)?.reason;
    if (reason && BY_REASON[reason]) return t(BY_REASON[reason]);
    if (err.code === "invalid_link") return t("accountErrors.invalidLink");
    if (err.status === 429) return t("login.error.tooMany");
  }
  return translateApiError(err, t);
}
