import { describe, expect, it } from "vitest";
import { addChips, chipsOf, evenPercents, nextLetterId, nextNumberedId, parseValues, remainder, savedValues, splitTyped } from "./branches";

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

describe("value chips", () => {
  it("shows a new branch's placeholder as no chip and saves no chip as the placeholder", () => {
    expect(chipsOf([""])).toEqual([]);
    expect(chipsOf(["female", 25, " ", null])).toEqual(["female", 25]);
    expect(savedValues([])).toEqual([""]);
    expect(savedValues(["female", 25])).toEqual(["female", 25]);
  });
  it("adds typed values as chips, numbers as numbers, each once", () => {
    expect(addChips([], "female")).toEqual(["female"]);
    expect(addChips(["female"], " F , 25,")).toEqual(["female", "F", 25]);
    expect(addChips(["female", 25], "female，25")).toEqual(["female", 25]);
    expect(addChips(["a"], "   ")).toEqual(["a"]);
  });
  it("splits typed text at its last separator", () => {
    expect(splitTyped("female")).toEqual({ complete: "", rest: "female" });
    expect(splitTyped("female,")).toEqual({ complete: "female", rest: "" });
    expect(splitTyped("female, F, ma")).toEqual({ complete: "female, F", rest: " ma" });
    expect(splitTyped("女性、男")).toEqual({ complete: "女性", rest: "男" });
  });
});
