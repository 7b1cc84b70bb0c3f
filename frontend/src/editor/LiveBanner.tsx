/** Says when the live connection is lost and when it is back, so stale numbers are never mistaken for live ones. */
import { Icon } from "../components/Icon";
import { useT } from "../i18n";
import type { LiveState } from "./useLiveCounts";

export function LiveBanner({ state }: { state: LiveState }) {
  const t = useT();
  if (state === "lost") {
    return (
      <div className="banner banner-warning" role="status" data-testid="live-banner" data-state="lost">
        <Icon name="alert" size={16} />
        <div className="banner-text">{t("live.lost")}</div>
      </div>
    );
  }
  if (state === "back") {
    return (
      <div className="banner banner-success" role="status" data-testid="live-banner" data-state="back">
        <Icon name="checkCircle" size={16} />
        <div className="banner-text">{t("live.back")}</div>
      </div>
    );
  }
  return null;
}
