/**
 * Contract between the backend's step registry (its manifest, dumped by the real CLI) and this front end's:
 * fails when a step type is missing on one side, when a handle the backend declares has no translation,
 * or when a tone has no colour here.
 */
import { describe, expect, inject, it } from "vitest";
import { en } from "../i18n/en";
import { zhTW } from "../i18n/zh-TW";
import { outputsFor } from "./manifest";
import { enumAt, type JsonSchema } from "./manifest";
import { AWAITING_FORMS, defaultHandle, getStep, MODULES } from "./registry";
import { useBackendManifest } from "./testManifest";

const manifest = useBackendManifest();
const backendTypes = manifest.types.map((t) => t.type).sort();
const frontendTypes = MODULES.map((d) => d.type).sort();

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
    const paths = [
      { id: "path_2", label: "婉拒", event: "coupon_reply" },
      { id: "path_1", label: "", event: "coupon_reply" },
    ];
    expect(outputsFor("action_paths", { paths }).map((o) => [o.id, o.label, o.tone, o.required])).toEqual([
      ["path_2", "婉拒", "branch", true],
      ["path_1", null, "branch", true],
      ["timed_out", null, "timeout", true],
    ]);
    expect(defaultHandle("wait")).toBe("next");
    expect(defaultHandle("condition")).toBeNull();
    expect(defaultHandle("unknown_type")).toBeNull();
  });
});

// Every enum a form shows is translated under one prefix; a new enum in the manifest must be added here.
const ENUM_PREFIX: Record<string, string> = {
  unit: "unit",
  timeout_unit: "unit",
  op: "op",
  "filters.op": "op",
  "paths.filters.op": "op",
  kind: "kind",
  window: "window",
  engagement: "engagement",
  mode: "waitUntil",
  weekdays: "weekday",
  repeat: "repeat",
  anchor: "anchor",
  direction: "direction",
  "audience.match": "audience.match",
  "audience.conditions.kind": "audience.kind",
  "audience.conditions.op": "op",
  weight_by: "weightBy",
  operation: "operation",
  change: "tagChange",
  "messages.type": "lineType",
  method: "httpMethod",
};

function enumSettings(schema: JsonSchema, prefix = ""): string[] {
  const out: string[] = [];
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const path = prefix + name;
    if (prop.enum || prop.items?.enum) out.push(path);
    if (prop.items?.properties) out.push(...enumSettings(prop.items, `${path}.`));
    if (prop.properties) out.push(...enumSettings(prop, `${path}.`));
  }
  return out;
}

describe("step modules joined with the manifest", () => {
  it("take group, input, trigger flag, schema and defaults from the manifest", () => {
    for (const e of manifest.types.filter((x) => frontendTypes.includes(x.type))) {
      const d = getStep(e.type)!;
      expect(d.group, e.type).toBe(e.group);
      expect(d.hasInput, e.type).toBe(e.has_input);
      expect(d.isTrigger, e.type).toBe(e.is_trigger);
      expect(d.defaultSettings(), e.type).toEqual(e.defaults);
      expect(d.schema, e.type).toEqual(e.settings);
    }
  });

  it("translate every enum value a form offers, in both languages", () => {
    for (const e of manifest.types.filter((x) => frontendTypes.includes(x.type))) {
      for (const path of enumSettings(e.settings as JsonSchema)) {
        const prefix = ENUM_PREFIX[path];
        expect(prefix, `${e.type}.${path}: an enum the front end has no translations for`).toBeDefined();
        for (const v of enumAt(e.settings as JsonSchema, path)) {
          expect(en, `${e.type}.${path}: ${prefix}.${v}`).toHaveProperty([`${prefix}.${v}`]);
          expect(zhTW, `${e.type}.${path}: ${prefix}.${v}`).toHaveProperty([`${prefix}.${v}`]);
        }
      }
    }
  });
});
