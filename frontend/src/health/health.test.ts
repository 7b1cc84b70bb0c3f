import { describe, expect, it } from "vitest";
import { en } from "../i18n/en";
import { zhTW } from "../i18n/zh-TW";
import { healthProblems, type HealthReport } from "./health";

const healthy: HealthReport = {
  ok: true,
  customers_moving: true,
  database: { ok: true },
  redis: { ok: true },
  ticker: { alive: true, last_pass: "2026-12-02T10:00:00+00:00" },
  workers: { alive: 1, dead: 0 },
  problems: [],
};
const keys = (r: HealthReport | null) => healthProblems(r).map((p) => p.key);

describe("healthProblems", () => {
  it("says nothing when customers move or nothing is known", () => {
    expect(healthProblems(healthy)).toEqual([]);
    expect(healthProblems(null)).toEqual([]);
  });

  it("takes the server's reasons, with the operator's command", () => {
    const stopped: HealthReport = {
      ...healthy,
      customers_moving: false,
      workers: { alive: 0, dead: 1 },
      ticker: { alive: false, last_pass: null },
      problems: [
        { code: "no_worker", command: "wayfinder worker" },
        { code: "no_ticker", command: "wayfinder ticker" },
      ],
    };
    expect(healthProblems(stopped)).toEqual([
      { code: "no_worker", key: "health.noWorker", command: "wayfinder worker" },
      { code: "no_ticker", key: "health.noTicker", command: "wayfinder ticker" },
    ]);
  });

  it("works them out from an older server's report", () => {
    const { problems: _, ...old } = healthy;
    const stopped = { ...old, customers_moving: false, workers: { alive: 0, dead: 1 } };
    expect(keys(stopped)).toEqual(["health.noWorker"]);
    expect(keys({ ...stopped, ticker: { alive: false, last_pass: null } })).toEqual(["health.noWorker", "health.noTicker"]);
    const down = { ...old, ok: false, customers_moving: false, redis: { ok: false, error: "refused" } };
    expect(healthProblems(down)).toEqual([{ code: "services_down", key: "health.servicesDown", command: "wayfinder doctor" }]);
  });

  it("words every problem for a marketer: no command and no jargon in the message itself", () => {
    for (const key of ["health.notMoving", "health.noWorker", "health.noTicker", "health.servicesDown", "health.askTeam"] as const) {
      for (const text of [en[key], zhTW[key]]) {
        expect(text, key).not.toMatch(/wayfinder (worker|ticker|doctor)|`|worker|ticker|Redis|RQ/i);
      }
      expect(zhTW[key], key).not.toContain("你");
    }
  });
});
