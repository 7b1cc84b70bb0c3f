import { describe, expect, it } from "vitest";
import type { LocatedError } from "../api/types";
import { bySeverity, fieldTestId, isJourneySetting, isLoud, loopSteps, problemEntries, settingsFieldTestIds, withKnownWarnings } from "./problems";

const err = (p: Partial<LocatedError>): LocatedError => ({ node_id: null, edge_id: null, code: "invalid_settings", message: "raw", field: null, ...p });
const calm = { attempted: false, touched: new Set<string>() };

describe("isLoud", () => {
  it("keeps unfinished work calm until publish is attempted", () => {
    const missing = err({ node_id: "wait-1", field: "amount" });
    expect(isLoud(missing, calm)).toBe(false);
    expect(isLoud(err({ code: "handle_unconnected", node_id: "wait-1", field: "next" }), calm)).toBe(false);
    expect(isLoud(missing, { attempted: true, touched: new Set() })).toBe(true);
  });
  it("is loud for a touched field, including a filter row of a touched list", () => {
    expect(isLoud(err({ node_id: "wait-1", field: "amount" }), { attempted: false, touched: new Set(["wait-1:amount"]) })).toBe(true);
    expect(isLoud(err({ node_id: "t-1", field: "filters.0.value" }), { attempted: false, touched: new Set(["t-1:filters"]) })).toBe(true);
    expect(isLoud(err({ node_id: "wait-2", field: "amount" }), { attempted: false, touched: new Set(["wait-1:amount"]) })).toBe(false);
  });
  it("is loud for what the marketer just did: a loop, a bad template", () => {
    expect(isLoud(err({ code: "cycle", node_id: "a" }), calm)).toBe(true);
    expect(isLoud(err({ code: "invalid_template", node_id: "m", field: "body" }), calm)).toBe(true);
  });
});

describe("fieldTestId", () => {
  it("maps fields to their controls", () => {
    expect(fieldTestId("event")).toBe("setting-event");
    expect(fieldTestId("filters.2.value")).toBe("filter-2-value");
    expect(fieldTestId(null)).toBeNull();
  });
});

describe("problemEntries", () => {
  const steps = [
    { id: "t", name: "Added to cart" },
    { id: "w", name: "Give them time" },
    { id: "c", name: "Purchased?" },
  ];
  it("names steps, lists a loop once, orders by the canvas with journey-level first", () => {
    const entries = problemEntries(
      [
        err({ code: "cycle", node_id: "c" }),
        err({ code: "cycle", node_id: "w" }),
        err({ node_id: "t", field: "event" }),
        err({ code: "handle_unconnected", edge_id: null, node_id: "c", field: "no" }),
        err({ code: "no_trigger" }),
        err({ code: "handle_multiple", edge_id: "e9" }),
      ],
      steps,
      [{ id: "e9", source: "w" }],
      calm,
    );
    expect(entries.map((e) => [e.error.code, e.stepName])).toEqual([
      ["no_trigger", null],
      ["invalid_settings", "Added to cart"],
      ["handle_multiple", "Give them time"],
      ["cycle", "Purchased?"],
      ["handle_unconnected", "Purchased?"],
    ]);
  });
  it("gives the loop's step names in canvas order", () => {
    expect(loopSteps([err({ code: "cycle", node_id: "c" }), err({ code: "cycle", node_id: "w" })], steps)).toEqual(["Give them time", "Purchased?"]);
  });
});

describe("one problems list", () => {
  const missing = err({ node_id: "wait-1", field: "amount", severity: "error" });
  const refused = err({ node_id: "t-1", code: "handle_unconnected" }); // a refused publish's error: no mark needed
  const unknown = err({ node_id: "mail-1", code: "unknown_template_variable", severity: "warning" });
  it("splits by severity, keeping the list's order", () => {
    expect(bySeverity([missing, unknown, refused])).toEqual({ errors: [missing, refused], warnings: [unknown] });
    expect(bySeverity([])).toEqual({ errors: [], warnings: [] });
  });
  it("keeps the known warnings when a refused publish replaces the errors", () => {
    expect(withKnownWarnings([refused], [missing, unknown])).toEqual([refused, unknown]);
  });
});

describe("journey-settings problems", () => {
  it("are recognised by their field", () => {
    expect(isJourneySetting("settings.end_at")).toBe(true);
    expect(isJourneySetting("end_at")).toBe(false);
    expect(isJourneySetting(null)).toBe(false);
  });
  it("point at the drawer's control, best first", () => {
    expect(settingsFieldTestIds("settings.end_at")).toEqual(["setting-journey-end_at"]);
    expect(settingsFieldTestIds("settings.reentry_cooldown.amount")[0]).toBe("journey-setting-cooldown-amount");
    expect(settingsFieldTestIds("settings.quiet_hours.end")[0]).toBe("journey-setting-quiet-end");
    expect(settingsFieldTestIds("settings.frequency_caps.1.period")[0]).toBe("cap-1-period");
    expect(settingsFieldTestIds("settings.frequency_caps")[0]).toBe("cap-0-channel");
    expect(settingsFieldTestIds("settings.timezone")).toEqual(["journey-setting-timezone-search"]);
    expect(settingsFieldTestIds("settings.something_new")).toEqual([]);
    expect(settingsFieldTestIds("amount")).toEqual([]);
  });
});
