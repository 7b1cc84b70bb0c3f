import { describe, expect, it } from "vitest";
import { makeT } from "../i18n";
import { en } from "../i18n/en";
import { zhTW } from "../i18n/zh-TW";
import { translateLocatedError } from "../i18n/errors";
import { defaultHandle, getStep, STEP_TYPES } from "./registry";

const t = makeT("en");

describe("step registry", () => {
  it("has one definition per type with distinct output ids", () => {
    const types = STEP_TYPES.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    for (const d of STEP_TYPES) expect(new Set(d.outputs.map((o) => o.id)).size).toBe(d.outputs.length);
  });

  it("matches the documented handles", () => {
    expect(getStep("event_trigger")!.outputs.map((o) => o.id)).toEqual(["next"]);
    expect(getStep("event_trigger")!.hasInput).toBe(false);
    expect(getStep("condition")!.outputs.map((o) => o.id)).toEqual(["yes", "no"]);
    expect(getStep("exit")!.outputs).toEqual([]);
    expect(defaultHandle("wait")).toBe("next");
    expect(defaultHandle("condition")).toBeNull();
  });

  it("summarises settings in one line", () => {
    expect(getStep("wait")!.summary({ amount: 1, unit: "hours" }, t)).toBe("Wait 1 hour");
    expect(getStep("wait")!.summary({ amount: 3, unit: "days" }, t)).toBe("Wait 3 days");
    expect(getStep("event_trigger")!.summary({ event: "cart_updated", filters: [] }, t)).toBe("Event: cart_updated");
    expect(getStep("condition")!.summary({ kind: "attribute", attribute: "city", op: "eq", value: "Taipei" }, t)).toBe("city = Taipei");
    expect(makeT("zh-TW")("summary.wait", { amount: 1, unit: "小時" })).toBe("等待 1 小時");
  });

  it("summarises every type's defaults without throwing", () => {
    for (const d of STEP_TYPES) expect(typeof d.summary(d.defaultSettings(), t)).toBe("string");
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

  it("says a required field needs a value, in both languages", () => {
    const raw = { node_id: "t", edge_id: null, code: "invalid_settings", message: "Length must be between 1 and 128.", field: "event" };
    expect(translateLocatedError(raw, t)).toBe("“Event name” needs a value.");
    expect(translateLocatedError(raw, makeT("zh-TW"))).not.toContain("Length");
  });
});
