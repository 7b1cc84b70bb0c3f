/** Which time zone a date-time is read or set in, and the small label that says so next to it.
 *
 * The editor provides the journey's zone (`settings.timezone`); pages outside a journey use the workspace's zone
 * (the brand default the backend serves in the manifest, Asia/Taipei until workspaces have their own). */
import { createContext, useContext } from "react";
import { Icon } from "../components/Icon";
import { useI18n } from "../i18n";
import { formatDateTime } from "../components/time";
import { installedManifest } from "../nodes/manifest";
import { describeZone, zoneLabel } from "./zones";

export const FALLBACK_ZONE = "Asia/Taipei";

/** The workspace's zone: the backend's default journey zone once the manifest is in, else Asia/Taipei. */
export function workspaceZone(): string {
  const defaults = (installedManifest()?.journey_settings as { defaults?: { timezone?: unknown } } | undefined)?.defaults;
  return typeof defaults?.timezone === "string" && defaults.timezone ? defaults.timezone : FALLBACK_ZONE;
}

/** A journey's zone from its graph settings (the workspace's when it has none yet). */
export function journeyZone(settings: Record<string, unknown> | undefined | null): string {
  const zone = settings?.timezone;
  return typeof zone === "string" && zone ? zone : workspaceZone();
}

const JourneyZoneContext = createContext<string | null>(null);
export const JourneyZoneProvider = JourneyZoneContext.Provider;

/** The zone of the journey being edited, or the workspace's outside the editor. */
export function useJourneyZone(): string {
  return useContext(JourneyZoneContext) ?? workspaceZone();
}

/** "台北 (UTC+8)" for a zone, in the UI's language. */
export function useZoneLabel(zone: string): string {
  const { lang } = useI18n();
  return zoneLabel(describeZone(zone, lang));
}

/** The label shown next to a date-time field: the zone it is in, or the customer's with this zone as fallback. */
export function ZoneNote({ zone, customer = false, testId }: { zone: string; customer?: boolean; testId?: string }) {
  const { t } = useI18n();
  const label = useZoneLabel(zone);
  return (
    <span className="zone-note" data-testid={testId} data-zone={zone}>
      <Icon name="globe" size={12} />
      {customer ? t("tz.customerOr", { zone: label }) : label}
    </span>
  );
}

/** Formats instants for reading, in the journey's (or workspace's) zone, with the zone named after them. */
export function useDateTimeFormat(): (iso: string | null | undefined) => string {
  const { lang } = useI18n();
  const zone = useJourneyZone();
  const label = useZoneLabel(zone);
  return (iso) => formatDateTime(iso, lang, zone, label);
}
