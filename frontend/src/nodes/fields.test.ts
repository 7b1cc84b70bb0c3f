import { describe, expect, it } from "vitest";
import { parseWhole } from "./fields";

describe("parseWhole", () => {
  it("accepts whole numbers", () => {
    expect(parseWhole("3", 1)).toEqual({ value: 3, problem: null });
    expect(parseWhole(" 12 ")).toEqual({ value: 12, problem: null });
  });
  it("refuses what it cannot hold instead of rounding", () => {
    expect(parseWhole("1.5", 1)).toEqual({ value: null, problem: "notWhole" });
    expect(parseWhole("2e3", 1)).toEqual({ value: null, problem: "notWhole" });
    expect(parseWhole("abc")).toEqual({ value: null, problem: "notWhole" });
    expect(parseWhole("99999999999999999999")).toEqual({ value: null, problem: "notWhole" });
  });
  it("refuses numbers below the minimum and treats empty as no value", () => {
    expect(parseWhole("0", 1)).toEqual({ value: null, problem: "tooSmall" });
    expect(parseWhole("", 1)).toEqual({ value: null, problem: null });
  });
});
