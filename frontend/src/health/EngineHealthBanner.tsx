/** A warning above the journeys list when customers are not moving (no worker, no ticker, the database or Redis
 * down): what is wrong in a marketer's words, with the operator's commands inside a detail for the technical
 * team. */
import { useEffect, useState } from "react";
import { Icon } from "../components/Icon";
import { useI18n, type MessageKey } from "../i18n";
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
    <div className="banner banner-warning health-banner" role="alert" data-testid="engine-health-banner">
      <Icon name="alert" size={16} />
      <div className="banner-text">
        <strong>{t("health.notMoving")}</strong>
        <ul>
          {problems.map((p) => (
            <li key={p.code} data-testid={`engine-health-${p.key.split(".")[1]}`}>
              {t(p.key)}
            </li>
          ))}
        </ul>
        <p>{t("health.askTeam")}</p>
        <details className="health-detail" data-testid="engine-health-detail">
          <summary>{t("health.forTeam")}</summary>
          <ul>
            {problems.map((p) => (
              <li key={p.code} data-testid={`engine-health-command-${p.code}`}>
                {t(`health.fix.${p.code}` as MessageKey)} <code>{p.command}</code>
              </li>
            ))}
          </ul>
        </details>
      </div>
    </div>
  );
}
