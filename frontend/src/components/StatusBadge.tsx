import type { JourneyStatus } from "../api/types";
import { useT } from "../i18n";

export function StatusBadge({ status, testId = "status-badge" }: { status: JourneyStatus; testId?: string }) {
  const t = useT();
  return (
    <span className={`badge badge-${status}`} data-testid={testId} data-status={status}>
      <span className="badge-dot" aria-hidden="true" />
      {t(`status.${status}`)}
    </span>
  );
}
