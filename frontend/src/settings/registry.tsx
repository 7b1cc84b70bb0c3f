/** The workspace settings area's tabs, as data: a tab is one entry (its path under /settings, label, icon, who
 * may see it, and its lazily loaded page). The API keys and provider accounts (channels) tabs are among them. */
import { lazy, type ComponentType, type LazyExoticComponent } from "react";
import type { Role } from "../api/types";
import type { IconName } from "../components/Icon";
import type { MessageKey } from "../i18n";

export interface SettingsTab {
  /** The URL segment: /settings/<id>; also the tab's data-testid suffix. */
  id: string;
  label: MessageKey;
  icon: IconName;
  /** Roles that see the tab (the server checks every call anyway). */
  roles: readonly Role[];
  page: LazyExoticComponent<ComponentType>;
}

const ADMINS: readonly Role[] = ["owner", "admin"];

export const SETTINGS_TABS: SettingsTab[] = [
  {
    id: "members",
    label: "wsSettings.tab.members",
    icon: "users",
    roles: ADMINS,
    page: lazy(() => import("./MembersTab").then((m) => ({ default: m.MembersTab }))),
  },
  {
    id: "audit",
    label: "wsSettings.tab.audit",
    icon: "activity",
    roles: ADMINS,
    page: lazy(() => import("./AuditTab").then((m) => ({ default: m.AuditTab }))),
  },
  {
    id: "keys",
    label: "settings.tab.keys",
    icon: "lock",
    roles: ADMINS,
    page: lazy(() => import("./KeysTab").then((m) => ({ default: m.KeysTab }))),
  },
  {
    id: "channels",
    label: "settings.tab.channels",
    icon: "bell",
    roles: ADMINS,
    page: lazy(() => import("./ChannelsTab").then((m) => ({ default: m.ChannelsTab }))),
  },
];

export function tabsFor(role: Role | null | undefined): SettingsTab[] {
  return role ? SETTINGS_TABS.filter((tab) => tab.roles.includes(role)) : [];
}
