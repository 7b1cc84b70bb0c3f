/**
 * Contract between the backend's step registry (its manifest, dumped by the real CLI) and this front end's:
 * fails when a step type is missing on one side, when a handle the backend declares has no translation,
 * or when a tone has no colour here.
 */
import { describe, expect, inject, it } from "vitest";
import { en } from "../i18n/en";
import { zhTW } from "../i18n/zh-TW";
import { outputsFor } from "./manifest";
import { AWAITING_FORMS, defaultHandle, STEP_TYPES } from "./registry";
import { useBackendManifest } from "./testManifest";

const manifest = useBackendManifest();
const backendTypes = manifest.types.map((t) => t.type).sort();
const frontendTypes = STEP_TYPES.map((d) => d.type).sort();

describe("step registries (backend manifest vs front end)", () => {
  it("know the same step types", () => {
    const drawable = backendTypes.filter((t) => !AWAITING_FORMS.includes(t));
    expect(frontendTypes).toEqual(drawable);
    for (const t of AWAITING_FORMS) {
      expect(backendTypes, `${t} is awaiting forms but the backend does not have it`).toContain(t);
      expect(frontendTypes, `${t} has a module: take it off AWAITING_FORMS`).not.toContain(t);
    }
  });

  it("translate every type and every fixed handle in both languages", () => {
    for (const entry of manifest.types.filter((e) => frontendTypes.includes(e.type))) {
      const fixed = [...(entry.outputs.static ?? []), ...(entry.outputs.then ?? [])];
      for (const key of [`type.${entry.type}`, `typeDesc.${entry.type}`, ...fixed.map((o) => `handle.${o.id}`)]) {
        expect(en, key).toHaveProperty([key]);
        expect(zhTW, key).toHaveProperty([key]);
      }
    }
  });

  it("colour every tone the backend uses", () => {
    const css = inject("nodesCss");
    const tones = new Set<string>();
    for (const entry of manifest.types) {
      for (const o of [...(entry.outputs.static ?? []), ...(entry.outputs.then ?? [])]) tones.add(o.tone);
      if (entry.outputs.tone) tones.add(entry.outputs.tone);
    }
    for (const tone of tones) {
      if (tone === "neutral") continue;
      expect(css, tone).toContain(`.out-${tone}`);
      expect(css, tone).toContain(`.edge-${tone}`);
    }
  });

  it("compute outputs from settings as the backend declares them", () => {
    const branches = [
      { id: "a", label: "Women", percent: 50 },
      { id: "b", label: "", percent: 50 },
    ];
    expect(outputsFor("random_split", { branches }).map((o) => [o.id, o.label, o.tone])).toEqual([
      ["a", "Women", "branch"],
      ["b", null, "branch"],
    ]);
    expect(outputsFor("split", { branches: [{ id: "women", values: ["female"] }] }).map((o) => o.id)).toEqual([
      "women",
      "default",
    ]);
    expect(outputsFor("random_split", { branches: "garbage" })).toEqual([]);
    expect(defaultHandle("wait")).toBe("next");
    expect(defaultHandle("condition")).toBeNull();
    expect(defaultHandle("unknown_type")).toBeNull();
  });
});
