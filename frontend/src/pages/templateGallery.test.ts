import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { JourneyTemplate } from "../api/types";
import { makeT } from "../i18n";
import { TemplateGallery } from "./TemplateGallery";
import { BLANK, choiceKeys, moveChoice, nameAfterChoice } from "./templateGallery";

const templates: JourneyTemplate[] = [
  { key: "s1_abandoned_cart", name: "購物車未結帳提醒", description: "顧客把商品加入購物車後…", channels: ["email", "line", "sms"], steps: 9 },
  { key: "s5_daily_tagging", name: "每日油性肌膚貼標", description: "每天凌晨 12 點…", channels: [], steps: 3 },
  { key: "s7_store_opening", name: "高雄新店開幕", description: "高雄門市盛大開幕！", channels: ["sms"], steps: 2 },
];

function render(selected: string, lang: "en" | "zh-TW" = "zh-TW"): string {
  return renderToStaticMarkup(
    createElement(TemplateGallery, { templates, selected, onSelect: () => {}, t: makeT(lang), labelledBy: "start" }),
  );
}

describe("the new-journey gallery", () => {
  it("renders Blank and a card per template as one radio group, the chosen card alone in the tab order", () => {
    const html = render("s1_abandoned_cart");
    expect(html).toContain('role="radiogroup"');
    expect(html.match(/role="radio"/g)).toHaveLength(4);
    expect(html).toMatch(/aria-checked="false"[^>]*data-testid="template-blank"/);
    expect(html).toMatch(/aria-checked="true" tabindex="0"[^>]*data-testid="template-s1_abandoned_cart"/);
    expect(html.match(/tabindex="0"/g)).toHaveLength(1);
    // Name, two-line description, channel badges and step count, in the interface's language.
    expect(html).toContain("購物車未結帳提醒");
    expect(html).toContain("簡訊");
    expect(html).toContain("9 個步驟");
    expect(html).toContain("只貼標籤，不發訊息"); // a template that sends nothing says so
    expect(html).toContain('aria-describedby="template-desc-s7_store_opening template-steps-s7_store_opening template-meta-s7_store_opening"');
  });

  it("starts on Blank, named in English when the interface is", () => {
    const html = render(BLANK, "en");
    expect(html).toMatch(/aria-checked="true" tabindex="0"[^>]*data-testid="template-blank"/);
    expect(html).toContain("Blank journey");
    expect(html).toContain("2 steps");
  });

  it("moves the choice with the arrow keys across the grid, wrapping, and Home / End", () => {
    const count = choiceKeys(templates).length; // 4: Blank + 3
    expect(choiceKeys(templates)[0]).toBe(BLANK);
    // 3 columns: [0 1 2] / [3]
    expect(moveChoice("ArrowRight", 0, count, 3)).toBe(1);
    expect(moveChoice("ArrowRight", 3, count, 3)).toBe(0);
    expect(moveChoice("ArrowLeft", 0, count, 3)).toBe(3);
    expect(moveChoice("ArrowDown", 0, count, 3)).toBe(3);
    expect(moveChoice("ArrowDown", 2, count, 3)).toBe(2); // nothing below in the last row: the top of its column
    expect(moveChoice("ArrowDown", 3, count, 3)).toBe(0);
    expect(moveChoice("ArrowUp", 3, count, 3)).toBe(0);
    expect(moveChoice("ArrowUp", 0, count, 3)).toBe(3);
    expect(moveChoice("ArrowUp", 1, count, 3)).toBe(1 + 3 - 3); // column 1 has no second row: stays in the first
    expect(moveChoice("End", 0, count, 3)).toBe(3);
    expect(moveChoice("Home", 3, count, 3)).toBe(0);
    expect(moveChoice("Enter", 1, count, 3)).toBeNull();
    expect(moveChoice("ArrowDown", 1, count, 1)).toBe(2); // one column: down is next
  });

  it("pre-fills the template's name, keeps a name the marketer typed, clears a pre-filled name for Blank", () => {
    let state = nameAfterChoice("", "", "s1_abandoned_cart", templates);
    expect(state).toEqual({ name: "購物車未結帳提醒", prefilled: "購物車未結帳提醒" });
    state = nameAfterChoice(state.name, state.prefilled, "s7_store_opening", templates);
    expect(state.name).toBe("高雄新店開幕");
    expect(nameAfterChoice(state.name, state.prefilled, BLANK, templates).name).toBe("");
    const typed = nameAfterChoice("我的旅程", state.prefilled, "s1_abandoned_cart", templates);
    expect(typed.name).toBe("我的旅程");
  });
});
