import { describe, expect, it } from "vitest";
import { auditQuery } from "../api/client";
import { SETTINGS_TABS, tabsFor } from "./registry";

describe("settings tabs", () => {
  it("shows the members, audit, API keys and channels tabs to owners and admins only", () => {
    expect(tabsFor("owner").map((t) => t.id)).toEqual(["members", "audit", "keys", "channels"]);
    expect(tabsFor("admin").map((t) => t.id)).toEqual(["members", "audit", "keys", "channels"]);
    for (const role of ["marketer", "analyst", "viewer", null] as const) expect(tabsFor(role)).toEqual([]);
  });
  it("has unique ids (they are URL segments and test ids)", () => {
    expect(new Set(SETTINGS_TABS.map((t) => t.id)).size).toBe(SETTINGS_TABS.length);
  });
});

describe("auditQuery", () => {
  it("leaves out empty filters and keeps the page", () => {
    expect(auditQuery({ member: null, action: "", since: null }, { page: "2" })).toBe("page=2");
    expect(auditQuery({ member: 3, action: "journey.published", since: "2026-12-01T00:00:00.000Z" })).toBe(
      "member=3&action=journey.published&since=2026-12-01T00%3A00%3A00.000Z",
    );
  });
});
