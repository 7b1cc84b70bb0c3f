import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { makeT } from "../i18n";
import { AudienceField } from "./AudienceField";
import { getStep } from "./registry";
import { useBackendManifest } from "./testManifest";

useBackendManifest();
const en = makeT("en");
const zh = makeT("zh-TW");

const audience = {
  match: "all",
  conditions: [
    { kind: "tag", tag: "oily skin", min_weight: 3, negate: true },
    { kind: "event", event: "purchase", min_count: 2, days: 30, negate: false },
    { kind: "attribute", attribute: "city", op: "eq", value: "Kaohsiung" },
  ],
};

const render = (t = en, settings: Record<string, unknown> = { event: "cart_updated", audience }) =>
  renderToString(createElement(AudienceField, { settings, schema: getStep("event_trigger")!.schema, t, onChange: () => {} }));

/** The <select> with this test id, and its selected option's value. */
function select(html: string, testId: string): { html: string; selected: string | null } {
  const match = html.match(new RegExp(`<select[^>]*data-testid="${testId}"[^>]*>.*?</select>`));
  expect(match, testId).not.toBeNull();
  const selected = match![0].match(/<option value="([^"]*)" selected=""/);
  return { html: match![0], selected: selected ? selected[1] : null };
}

describe("the audience field", () => {
  it("writes a tag row as “has / does not have [tag] with weight at least [n]”", () => {
    const html = render();
    const negate = select(html, "audience-0-negate");
    expect(negate.html).toContain(`aria-label="${en("audience.row", { n: 1 })}: ${en("audience.hasLabel")}"`);
    expect(negate.html).toContain(`<option value="has">${en("audience.has")}</option>`);
    expect(negate.selected).toBe("not");
    expect(html).toMatch(/data-testid="audience-0-tag"[^>]*value="oily skin"/);
    expect(html).toMatch(/data-testid="audience-0-min_weight"[^>]*value="3"/);
    expect(html).toContain(en("audience.weightAtLeast"));
    expect(html).not.toContain('data-testid="audience-0-event"');
  });

  it("writes an event row as “did / did not [event] at least [n] times in [d] days”", () => {
    const html = render();
    const negate = select(html, "audience-1-negate");
    expect(negate.html).toContain(`aria-label="${en("audience.row", { n: 2 })}: ${en("audience.didLabel")}"`);
    expect(negate.html).toContain(`<option value="not">${en("audience.didNot")}</option>`);
    expect(negate.selected).toBe("did");
    expect(html).toMatch(/data-testid="audience-1-event"[^>]*value="purchase"/);
    expect(html).toMatch(/data-testid="audience-1-min_count"[^>]*value="2"/);
    expect(html).toMatch(/data-testid="audience-1-days"[^>]*value="30"/);
    for (const words of ["audience.atLeast", "audience.timesIn", "audience.days"] as const) expect(html).toContain(en(words));
    expect(html).not.toContain('data-testid="audience-1-tag"');
  });

  it("keeps the two rows' own words in each language and the attribute row apart", () => {
    const html = render(zh);
    expect(select(html, "audience-0-negate").html).toContain(`<option value="not" selected="">${zh("audience.hasNot")}</option>`);
    expect(select(html, "audience-1-negate").html).toContain(`<option value="did" selected="">${zh("audience.did")}</option>`);
    expect(html).toContain(`placeholder="${zh("field.tagPlaceholder")}"`);
    expect(html).toContain(`placeholder="${zh("field.eventPlaceholder")}"`);
    expect(html).toMatch(/data-testid="audience-2-attribute"[^>]*value="city"/);
    expect(html).not.toContain('data-testid="audience-2-negate"');
  });
});
