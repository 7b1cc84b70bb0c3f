import { describe, expect, it } from "vitest";
import { topmostPanel } from "./panels";

describe("topmostPanel", () => {
  it("is the one panel Escape closes: the topmost shown", () => {
    expect(topmostPanel({ settings: true, preview: true })).toBe("settings");
    expect(topmostPanel({ customers: true, preview: true })).toBe("customers");
    expect(topmostPanel({ preview: true })).toBe("preview");
  });
  it("is null when no panel is shown (Escape then clears the selection)", () => {
    expect(topmostPanel({})).toBeNull();
    expect(topmostPanel({ settings: false, customers: false, preview: false })).toBeNull();
  });
});
