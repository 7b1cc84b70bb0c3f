import { describe, expect, it } from "vitest";
import { makeT } from "../i18n";
import { translateLocatedError } from "../i18n/errors";
import { ancestors, messageSteps } from "./messageSteps";
import { getStep, outputLabel } from "./registry";
import { useBackendManifest } from "./testManifest";

useBackendManifest();
const t = makeT("en");
const zh = makeT("zh-TW");
const steps = [
  { id: "mail", type: "send_email", name: "Welcome", before: true },
  { id: "sms", type: "send_sms", name: "Reminder SMS", before: true },
  { id: "later", type: "send_line", name: "LINE later", before: false },
  { id: "delay", type: "wait", name: "Wait", before: true },
];

describe("wait for engagement", () => {
  const d = () => getStep("wait_for_engagement")!;

  it("has Engaged (yes) and Timed out (no) outputs, translated", () => {
    const outputs = d().outputs({});
    expect(outputs.map((o) => [o.id, o.tone])).toEqual([
      ["engaged", "yes"],
      ["timeout", "no"],
    ]);
    expect(outputs.map((o) => outputLabel(d(), o, {}, zh))).toEqual(["已互動", "逾時"]);
  });

  it("summarises the step by its name, the engagement and the time limit", () => {
    const s = { message_step: "mail", engagement: "opened", url_contains: "", timeout_amount: 2, timeout_unit: "days" };
    expect(d().summary(s, t, steps)).toBe("Up to 2 days for “Welcome” to be opened");
    expect(d().summary({ ...s, engagement: "clicked" }, t, steps)).toBe("Up to 2 days for a click in “Welcome”");
    expect(d().summary({ ...s, engagement: "clicked_link", url_contains: "/sale" }, t, steps)).toBe("Up to 2 days for a click on “/sale” in “Welcome”");
    expect(d().summary({ ...s, engagement: "clicked_link", url_contains: " " }, t, steps)).toBe(t("summary.incomplete"));
    expect(d().summary({ ...s, message_step: "" }, t, steps)).toBe(t("summary.incomplete"));
    expect(d().summary({ ...s, timeout_amount: null }, t, steps)).toBe("“Welcome” · set a time limit");
    expect(d().summary({ ...s, timeout_amount: 1 }, zh, steps)).toBe("最多等 1 天：「Welcome」被開啟");
  });

  it("offers the send steps before it, of every channel", () => {
    expect(messageSteps(steps).map((s) => s.id)).toEqual(["mail", "sms"]);
    const edges = [
      { source: "trigger", target: "mail" },
      { source: "mail", target: "delay" },
      { source: "delay", target: "wait" },
      { source: "wait", target: "later" },
    ];
    expect([...ancestors("wait", edges)].sort()).toEqual(["delay", "mail", "trigger"]);
  });

  it("explains a missing or misplaced message step in plain words", () => {
    const missing = { code: "invalid_settings", message: "message_step: Choose the message step whose message to wait on", node_id: "w", edge_id: null, field: "message_step", severity: "error" as const };
    expect(translateLocatedError(missing, t, { stepType: "wait_for_engagement" })).toContain("Message step");
    const after = { ...missing, code: "engagement_step_not_before", message: "x" };
    expect(translateLocatedError(after, t)).toBe("Choose a send step that comes before this step on the path.");
  });
});
