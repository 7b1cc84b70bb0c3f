import { describe, expect, it } from "vitest";
import { nameWords } from "./nameBreaks";

describe("nameWords", () => {
  it("breaks a Chinese name between words, never inside one", () => {
    expect(nameWords("提醒簡訊")).toEqual(["提醒", "簡訊"]);
    expect(nameWords("傳送 LINE 訊息")).toEqual(["傳送 ", "LINE ", "訊息"]);
    expect(nameWords("Webhook 呼叫")).toEqual(["Webhook ", "呼叫"]);
  });

  it("keeps punctuation with the word it belongs to", () => {
    expect(nameWords("已經購買了嗎？").slice(-1)).toEqual(["嗎？"]);
    expect(nameWords("「提醒」簡訊")).toEqual(["「提醒」", "簡訊"]);
    expect(nameWords("A/B 測試：優惠").join("")).toBe("A/B 測試：優惠");
    expect(nameWords("A/B 測試：優惠")).toContain("測試：");
  });

  it("gives back the name whole when joined, English included", () => {
    for (const name of ["Send LINE message", "Reminder (Gold)", "  ", "…", "有點連結嗎？", "Gold 最後機會"]) expect(nameWords(name).join("")).toBe(name);
    expect(nameWords("")).toEqual([]);
  });
});
