import { describe, expect, it } from "vitest";
import type { SessionInfo } from "../api/types";
import { en } from "../i18n/en";
import { zhTW } from "../i18n/zh-TW";
import { can, REASONS } from "./permissions";

const session = (actions: string[]): SessionInfo => ({
  user: { id: 1, email: "a@example.com", display_name: "A", language: "en" },
  workspace: { id: 1, slug: "default", name: "Default" },
  role: "analyst",
  actions,
  memberships: [],
  csrf_token: "x",
  idle_timeout_seconds: 60,
});

describe("can", () => {
  it("reads the server's list and never guesses", () => {
    expect(can(session(["journeys.read"]), "journeys.read")).toBe(true);
    expect(can(session(["journeys.read"]), "journeys.publish")).toBe(false);
    expect(can(null, "journeys.read")).toBe(false);
    // An older server without `actions`: nothing is allowed in the UI (the server decides anyway).
    expect(can({ ...session([]), actions: undefined as unknown as string[] }, "journeys.read")).toBe(false);
  });
  it("has a reason in both languages for every action it explains", () => {
    for (const key of Object.values(REASONS)) {
      expect(en[key!]).toMatch(/\S/);
      expect(zhTW[key!]).toMatch(/\S/);
    }
    expect(en["perm.journeysPublish"]).toBe("Your role ({role}) can view journeys but not publish them.");
    expect(zhTW["perm.journeysPublish"]).toContain("您");
  });
});
