import { describe, expect, it } from "vitest";
import { makeT } from "../i18n";
import { readableTemplate } from "./templateText";

const t = makeT("en");

describe("readableTemplate", () => {
  it("shows personalisation as named fields, not template code", () => {
    expect(readableTemplate("{{ customer.first_name | default('Hi') }}, you left {{ event.product }} behind", t)).toBe(
      "‹First name›, you left ‹Product› behind",
    );
  });
  it("hides other template code and HTML", () => {
    expect(readableTemplate("<p>{% if x %}Hi{% endif %} {{ 1 + 2 }}</p>", t)).toBe("…Hi… …");
  });
  it("reads in Traditional Chinese too", () => {
    expect(readableTemplate("{{ customer.first_name }}", makeT("zh-TW"))).toBe("‹名字›");
  });
});
