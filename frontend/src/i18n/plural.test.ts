import { describe, expect, it } from "vitest";
import { makeT } from ".";
import { en, enOne } from "./en";

const t = makeT("en");
const zh = makeT("zh-TW");

describe("counts of one", () => {
  it("take the singular form in English, given as a number or already formatted", () => {
    expect(t("edge.split", { n: 1, pct: 50 })).toBe("1 customer · 50%");
    expect(t("edge.split", { n: "1", pct: 50 })).toBe("1 customer · 50%");
    expect(t("field.eventSeen", { n: 1, when: "just now" })).toBe("Seen once, last seen just now.");
    expect(t("summary.line", { n: 1, first: "Hi" })).toBe("1 LINE message: Hi");
  });
  it("keep the plural form for every other count, zero and thousands included", () => {
    expect(t("edge.split", { n: 0, pct: 0 })).toBe("0 customers · 0%");
    expect(t("edge.split", { n: "1,000", pct: 100 })).toBe("1,000 customers · 100%");
    expect(t("customers.count", { n: 2 })).toBe("2 customers");
  });
  it("change nothing in Chinese, which has no plural forms", () => {
    expect(zh("edge.split", { n: 1, pct: 50 })).toBe(zh("edge.split", { n: 2, pct: 50 }).replace("2", "1"));
  });
  it("say the same as their template but for the count", () => {
    for (const [key, one] of Object.entries(enOne)) {
      const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).filter((v) => v !== "n");
      expect(names(one as string), key).toEqual(names(en[key as keyof typeof en]));
      expect(en[key as keyof typeof en], key).toContain("{n}");
      expect(one, key).not.toMatch(/\(s\)|\(es\)/);
    }
    for (const text of Object.values(en)) expect(text).not.toMatch(/\{n\}[^{]*\((s|es)\)/);
  });
});
