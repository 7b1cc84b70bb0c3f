import { describe, expect, it } from "vitest";
import { evenPercents, nextLetterId, nextNumberedId, parseValues, remainder } from "./branches";

describe("split branch helpers", () => {
  it("shows what is left to reach 100 %, or how much is over", () => {
    expect(remainder([{ percent: 50 }, { percent: 30 }])).toEqual({ total: 80, left: 20 });
    expect(remainder([{ percent: 70 }, { percent: 50 }])).toEqual({ total: 120, left: -20 });
    expect(remainder([{ percent: null }, { percent: 100 }])).toEqual({ total: 100, left: 0 });
  });

  it("splits evenly in whole percentages that add up to 100", () => {
    expect(evenPercents(3)).toEqual([34, 33, 33]);
    expect(evenPercents(7).reduce((a, b) => a + b)).toBe(100);
    expect(evenPercents(2)).toEqual([50, 50]);
  });

  it("names new branches without clashing", () => {
    expect(nextLetterId(["a", "b"])).toBe("c");
    expect(nextLetterId(["b"])).toBe("a");
    expect(nextNumberedId("branch", ["branch_1", "branch_3"])).toBe("branch_2");
  });

  it("reads comma-separated values, numbers as numbers, full-width commas too", () => {
    expect(parseValues("female, F")).toEqual(["female", "F"]);
    expect(parseValues("女性，女、 1")).toEqual(["女性", "女", 1]);
    expect(parseValues(" , ")).toEqual([]);
  });
});
