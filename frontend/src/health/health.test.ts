import { describe, expect, it } from "vitest";
import { healthProblems, type HealthReport } from "./health";

const healthy: HealthReport = {
  ok: true,
  customers_moving: true,
  database: { ok: true },
  redis: { ok: true },
  ticker: { alive: true, last_pass: "2026-12-02T10:00:00+00:00" },
  workers: { alive: 1, dead: 0 },
};

describe("healthProblems", () => {
  it("says nothing when customers move or nothing is known", () => {
    expect(healthProblems(healthy)).toEqual([]);
    expect(healthProblems(null)).toEqual([]);
  });

  it("names a missing worker and a stopped ticker", () => {
    const stopped = { ...healthy, customers_moving: false, workers: { alive: 0, dead: 1 } };
    expect(healthProblems(stopped)).toEqual(["health.noWorker"]);
    const both = { ...stopped, ticker: { alive: false, last_pass: null } };
    expect(healthProblems(both)).toEqual(["health.noWorker", "health.noTicker"]);
    expect(healthProblems({ ...healthy, customers_moving: false, ticker: { alive: false, last_pass: null } })).toEqual([
      "health.noTicker",
    ]);
  });

  it("reports the database or Redis being down instead", () => {
    const down = { ...healthy, ok: false, customers_moving: false, redis: { ok: false, error: "refused" } };
    expect(healthProblems(down)).toEqual(["health.servicesDown"]);
  });
});
