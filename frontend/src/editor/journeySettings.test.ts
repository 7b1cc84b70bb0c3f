/** The journey settings the backend serves have a label here in both languages (the panel builds its choices
 * from the manifest's enums). */
import { describe, expect, it } from "vitest";
import { en } from "../i18n/en";
import { zhTW } from "../i18n/zh-TW";
import { enumAt, type JsonSchema } from "../nodes/manifest";
import { useBackendManifest } from "../nodes/testManifest";

const manifest = useBackendManifest();
const settings = (manifest as unknown as { journey_settings: { settings: JsonSchema; defaults: Record<string, unknown> } }).journey_settings;

describe("journey settings (backend manifest vs front end)", () => {
  it("labels every priority in both languages, normal by default", () => {
    const priorities = enumAt(settings.settings, "priority");
    expect(priorities).toEqual(["high", "normal", "low"]);
    expect(settings.defaults.priority).toBe("normal");
    for (const p of priorities) {
      expect(en, p).toHaveProperty([`priority.${p}`]);
      expect(zhTW, p).toHaveProperty([`priority.${p}`]);
    }
    expect(zhTW["settings.priorityHint"]).not.toContain("你");
  });
});
