/// <reference types="vite/client" />
import glossary from "../../../docs/glossary.md?raw";
import { describe, expect, it } from "vitest";
import { en } from "./en";
import { zhTW } from "./zh-TW";

// docs/glossary.md is the word list; both dictionaries must use exactly its words.
const rows = glossary
  .split("\n")
  .filter((l) => /^\| [a-z]/.test(l) && !l.startsWith("| key"))
  .map((l) => l.split("|").map((c) => c.trim()))
  .map(([, key, english, chinese]) => ({ key, english, chinese }));

describe("glossary", () => {
  it("has entries", () => {
    expect(rows.length).toBeGreaterThan(30);
  });
  it.each(rows)("$key is “$english” / “$chinese”", ({ key, english, chinese }) => {
    expect(en[key as keyof typeof en]).toBe(english);
    expect(zhTW[key as keyof typeof zhTW]).toBe(chinese);
  });
  it("keeps the stiff zh-TW terms out of the UI", () => {
    const all = Object.values(zhTW).join("\n");
    for (const stiff of ["已前進", "符合畫面", "運算子"]) expect(all).not.toContain(stiff);
  });
});
