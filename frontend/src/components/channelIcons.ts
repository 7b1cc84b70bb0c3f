import type { IconName } from "./Icon";

/** The icon of each channel a message goes out on (message log rows, gallery cards). */
export const CHANNEL_ICONS: Record<string, IconName> = {
  email: "mail",
  sms: "messageSquare",
  line: "messageCircle",
  push: "smartphone",
  webpush: "bell",
  in_app: "appWindow",
  webhook: "webhook",
};
