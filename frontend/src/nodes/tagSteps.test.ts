import { describe, expect, it } from "vitest";
import { makeT } from "../i18n";
import { getStep, stepsInGroup } from "./registry";

const en = makeT("en");
const zh = makeT("zh-TW");

describe("tag and attribute steps", () => {
  it("are actions in the palette whose path may end after them", () => {
    const actions = stepsInGroup("action").map((d) => d.type);
    expect(actions).toEqual(expect.arrayContaining(["add_tag", "remove_tag", "update_attribute"]));
    for (const type of ["add_tag", "remove_tag", "update_attribute"]) {
      expect(getStep(type)!.outputs({}).map((o) => [o.id, o.required])).toEqual([["next", false]]);
    }
  });

  it("summarise what they do, in both languages", () => {
    const add = getStep("add_tag")!;
    expect(add.summary({ tag: "oily skin", weight_by: "fixed", amount: 2 }, en)).toBe("Tag “oily skin” +2");
    expect(add.summary({ tag: "油性肌", weight_by: "events", event: "purchase", days: 30 }, zh)).toBe("貼上「油性肌」，濃度＝最近 30 天的 purchase 次數");
    expect(add.summary({ tag: "", amount: 1 }, en)).toBe("Choose a tag");
    expect(add.summary({ tag: "x", weight_by: "events", event: "" }, en)).toBe(en("summary.incomplete"));
    expect(getStep("remove_tag")!.summary({ tag: "vip" }, zh)).toBe("移除標籤「vip」");
    const attr = getStep("update_attribute")!;
    expect(attr.summary({ attribute: "tier", operation: "set", value: "gold" }, en)).toBe("tier = gold");
    expect(attr.summary({ attribute: "points", operation: "increment", amount: -5 }, en)).toBe("points − 5");
    expect(attr.summary({ attribute: "points", operation: "increment", amount: 5 }, zh)).toBe("points 增加 5");
    expect(attr.summary({ attribute: "coupon", operation: "clear" }, en)).toBe("Clear coupon");
  });

  it("a tag trigger starts on a tag added, a weight reached or a tag removed", () => {
    const trigger = getStep("tag_trigger")!;
    expect(trigger.isTrigger && !trigger.hasInput).toBe(true);
    expect(trigger.summary({ tag: "vip", change: "added", min_weight: null }, en)).toBe("Tagged “vip”");
    expect(trigger.summary({ tag: "油性肌", change: "added", min_weight: 3 }, zh)).toBe("「油性肌」濃度達到 3 時");
    expect(trigger.summary({ tag: "vip", change: "removed" }, en)).toBe("“vip” removed");
  });

  it("a condition reads a tag and its weight", () => {
    const c = getStep("condition")!;
    expect(c.summary({ kind: "tag", tag: "vip", min_weight: null }, en)).toBe("Has tag “vip”?");
    expect(c.summary({ kind: "tag", tag: "vip", min_weight: 3 }, zh)).toBe("「vip」濃度 ≥ 3？");
    expect(c.summary({ kind: "tag", tag: "" }, en)).toBe(en("summary.incomplete"));
  });
});
