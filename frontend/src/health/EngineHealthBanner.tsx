/** A warning above the journeys list when no worker or no ticker is alive: journeys would silently stop. */
import { useEffect, useState } from "react";
import { Icon } from "../components/Icon";
import { useI18n } from "../i18n";
import { fetchHealth, healthProblems, type HealthReport } from "./health";

const POLL_MS = 10_000;

export function EngineHealthBanner() {
  const { t } = useI18n();
  const [report, setReport] = useState<HealthReport | null>(null);

  useEffect(() => {
    let alive = true;
    const poll = async () => {
      const next = await fetchHealth();
      if (alive) setReport(next);
    };
    void poll();
    const timer = window.setInterval(() => void poll(), POLL_MS);
    return () => {
      alive = false;
      window.clearInterval(timer);
    };
  }, []);

  const problems = healthProblems(report);
  if (problems.length === 0) return null;
  return (
    <div className="banner banner-warning" role="alert" data-testid="engine-health-banner">
      <Icon name="alert" size={16} />
      <div className="banner-text">
        <strong>{t("health.notMoving")}</strong>
        <ul>
          {problems.map((key) => (
            <li key={key} data-testid={`engine-health-${key.split(".")[1]}`}>
              {t(key)}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
