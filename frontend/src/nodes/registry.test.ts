import { describe, expect, it } from "vitest";
import { makeT } from "../i18n";
import { en } from "../i18n/en";
import { zhTW } from "../i18n/zh-TW";
import { translateLocatedError } from "../i18n/errors";
import { defaultHandle, getStep, outputIds, outputLabel, stepName, stepTypes } from "./registry";

const t = makeT("en");

describe("step registry", () => {
  it("computes outputs from settings like the backend's outputs(settings)", () => {
    expect(getStep("event_trigger")!.outputs({}).map((o) => o.id)).toEqual(["next"]);
    expect(getStep("condition")!.outputs({}).map((o) => [o.id, o.tone])).toEqual([["yes", "yes"], ["no", "no"]]);
    expect(getStep("exit")!.outputs({})).toEqual([]);
    expect(getStep("wait_for_event")!.outputs({}).map((o) => o.id)).toEqual(["happened", "timed_out"]);
    const split = getStep("split")!.outputs({
      attribute: "gender",
      branches: [
        { id: "women", label: "Women", values: ["female"] },
        { id: "men", label: "", values: ["male"] },
        { id: "", label: "no id", values: ["x"] },
      ],
    });
    expect(split.map((o) => [o.id, o.label, o.tone])).toEqual([["women", "Women", "branch"], ["men", null, "branch"], ["default", null, "neutral"]]);
    const ab = getStep("random_split")!.outputs({ branches: [1, 2, 3, 4].map((i) => ({ id: `b${i}`, label: "", percent: 25 })) });
    expect(ab.map((o) => o.id)).toEqual(["b1", "b2", "b3", "b4"]);
    expect(defaultHandle("wait")).toBe("next");
    expect(defaultHandle("condition")).toBeNull();
  });

  it("gives a step's output ids in declared order, from its settings", () => {
    expect(outputIds("condition", {})).toEqual(["yes", "no"]);
    expect(outputIds("split", { attribute: "g", branches: [{ id: "a", label: "", values: ["x"] }, { id: "b", label: "", values: ["y"] }] })).toEqual(["a", "b", "default"]);
    expect(outputIds("exit", {})).toEqual([]);
    expect(outputIds("no_such_type", {})).toEqual([]);
    expect(outputIds(undefined)).toEqual([]);
  });

  it("names a step by its label, else by its type's name in the language shown", () => {
    expect(stepName({ type: "wait", data: { label: "Cool off" } }, t)).toBe("Cool off");
    expect(stepName({ type: "wait", data: { label: "" } }, t)).toBe(en["type.wait"]);
    expect(stepName({ type: "wait", data: { label: "" } }, makeT("zh-TW"))).toBe(zhTW["type.wait"]);
    expect(stepName({ type: "no_such_type", data: {} }, t)).toBe("no_such_type");
  });

  it("names handles by the marketer's label, the branch's values, or the translation", () => {
    const s = { attribute: "gender", branches: [{ id: "women", label: "Women", values: ["female"] }, { id: "men", label: "", values: ["male", "M"] }] };
    const d = getStep("split")!;
    expect(d.outputs(s).map((o) => outputLabel(d, o, s, t))).toEqual(["Women", "male, M", "Everyone else"]);
    const w = getStep("wait_for_event")!;
    expect(w.outputs({}).map((o) => outputLabel(w, o, {}, makeT("zh-TW")))).toEqual(["已發生", "逾時"]);
  });

  it("never shows an unnamed branch's id (branch_1): it is called by its place, translated", () => {
    const s = { attribute: "tier", branches: [{ id: "branch_1", label: "", values: [] }, { id: "branch_2", label: "", values: [""] }] };
    const d = getStep("split")!;
    expect(d.outputs(s).map((o) => outputLabel(d, o, s, t))).toEqual(["Branch 1", "Branch 2", "Everyone else"]);
    expect(d.outputs(s).map((o) => outputLabel(d, o, s, makeT("zh-TW"))).slice(0, 2)).toEqual(["分支 1", "分支 2"]);
    const r = getStep("random_split")!;
    const rs = { branches: [{ id: "a", label: "", percent: 50 }, { id: "branch_1", label: "", percent: 50 }] };
    expect(r.outputs(rs).map((o) => outputLabel(r, o, rs, t))).toEqual(["A", "Branch 2"]);
    expect(r.summary(rs, t)).not.toContain("branch_1");
  });

  it("summarises settings in one line", () => {
    expect(getStep("wait")!.summary({ amount: 1, unit: "hours" }, t)).toBe("Wait 1 hour");
    expect(getStep("wait")!.summary({ amount: 3, unit: "days" }, t)).toBe("Wait 3 days");
    expect(getStep("event_trigger")!.summary({ event: "cart_updated", filters: [] }, t)).toBe("Event: cart_updated");
    expect(getStep("condition")!.summary({ kind: "attribute", attribute: "city", op: "eq", value: "Taipei" }, t)).toBe("city = Taipei");
    expect(makeT("zh-TW")("summary.wait", { amount: 1, unit: "小時" })).toBe("等待 1 小時");
    expect(getStep("wait_for_event")!.summary({ event: "order_completed", timeout_amount: 1, timeout_unit: "days", same_as_trigger: ["cart_id"] }, t)).toBe(
      "Up to 1 day for order_completed · same cart_id",
    );
    expect(getStep("goal")!.summary({ event: "order_completed", filters: [] }, t)).toBe("Converts on order_completed");
    expect(getStep("random_split")!.summary({ branches: [{ id: "a", label: "A", percent: 70 }, { id: "b", label: "", percent: 30 }] }, t)).toBe("A 70% · B 30%");
    expect(getStep("split")!.summary({ attribute: "gender", branches: [{ id: "w", values: ["f"] }, { id: "m", values: ["m"] }] }, t)).toBe("By gender · 3 paths");
    expect(getStep("wait_until")!.summary({ mode: "weekday", time: "11:00", weekdays: ["wed", "fri"] }, t)).toBe("Until Wed, Fri at 11:00");
    expect(getStep("wait_until")!.summary({ mode: "weekday", time: "11:00", weekdays: ["wed"] }, makeT("zh-TW"))).toBe("等到三 11:00");
    const steps = [{ id: "mail-1", type: "send_email", name: "Reminder email" }];
    expect(getStep("condition")!.summary({ kind: "message", step: "mail-1", engagement: "opened" }, t, steps)).toBe("“Reminder email”: opened it?");
    expect(getStep("condition")!.summary({ kind: "event", event: "purchase", window: "last_days", days: 30, min_count: 3 }, t)).toBe(
      "purchase at least 3 times in 30 days?",
    );
  });

  it("summarises every type's defaults without throwing", () => {
    for (const d of stepTypes()) expect(typeof d.summary(d.defaultSettings(), t)).toBe("string");
  });
});

describe("i18n", () => {
  it("zh-TW translates every key", () => {
    expect(Object.keys(zhTW).sort()).toEqual(Object.keys(en).sort());
    for (const [k, v] of Object.entries(zhTW)) expect(v, k).not.toBe("");
  });

  it("keeps the same placeholders in both languages", () => {
    const vars = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join();
    for (const k of Object.keys(en) as (keyof typeof en)[]) expect(vars(zhTW[k]), k).toBe(vars(en[k]));
  });

  it("translates located error codes in plain language, never showing the server's raw text", () => {
    const base = { node_id: "w", edge_id: null, message: "server says", field: null };
    expect(translateLocatedError({ ...base, code: "cycle" }, makeT("zh-TW"))).toContain("繞成了一圈");
    expect(translateLocatedError({ ...base, code: "cycle" }, t, { loop: ["Wait a day", "Bought?"] })).toContain("“Wait a day” → “Bought?”");
    expect(translateLocatedError({ ...base, code: "invalid_settings", field: "amount" }, t)).toContain("How long");
    expect(translateLocatedError({ ...base, code: "brand_new_code" }, t)).not.toContain("server says");
    expect(translateLocatedError({ ...base, code: "invalid_settings" }, t)).not.toContain("server says");
  });

  it("names a journey setting's problem by the settings drawer's label", () => {
    const err = { node_id: null, edge_id: null, code: "invalid_journey_settings", message: "The end date must be after the start date.", field: "settings.end_at" };
    expect(translateLocatedError(err, t)).toBe("“End” isn’t valid yet."); // listed under "Journey settings"
    expect(translateLocatedError({ ...err, field: "settings.quiet_hours.end" }, makeT("zh-TW"))).toContain(zhTW["settings.quietHours"]);
  });

  it("translates the engagement error and the data warnings in both languages", () => {
    const base = { node_id: "n", edge_id: null, message: "server says", field: null };
    for (const lang of ["en", "zh-TW"] as const) {
      const tr = makeT(lang);
      for (const [code, field] of [["unknown_template_variable", "subject"], ["goal_event_unknown", "event"], ["engagement_step_not_before", "step"]]) {
        const text = translateLocatedError({ ...base, code, field }, tr);
        expect(text).not.toBe(tr("errors.unknownProblem"));
        expect(text).not.toContain("server says");
      }
    }
  });

  it("says a required field needs a value, in both languages", () => {
    const raw = { node_id: "t", edge_id: null, code: "invalid_settings", message: "Length must be between 1 and 128.", field: "event" };
    expect(translateLocatedError(raw, t)).toBe("“Event name” needs a value.");
    expect(translateLocatedError(raw, makeT("zh-TW"))).not.toContain("Length");
  });
});
