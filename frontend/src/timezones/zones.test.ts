import { describe, expect, it } from "vitest";
import { buildZoneList, COMMON_ZONES, describeZone, isOfferable, searchZones, utcOffset, zoneLabel } from "./zones";

// What the backend serves: canonical zones — plus aliases, to prove the list filters them even if it did not.
const SERVED = [
  "Asia/Taipei", "Asia/Tokyo", "Asia/Kolkata", "America/Argentina/Buenos_Aires", "Europe/Lisbon", "Africa/Nairobi",
  "Pacific/Chatham", "UTC", "W-SU", "Zulu", "localtime", "Etc/GMT+5", "EST5EDT", "Asia/Calcutta", "US/Eastern", "ROC",
];
const COUNTRIES = { "Europe/Lisbon": "PT", "Africa/Nairobi": "KE", "America/Argentina/Buenos_Aires": "AR", "Pacific/Chatham": "NZ" };
const JAN = new Date("2026-01-15T12:00:00Z");
const JUL = new Date("2026-07-15T12:00:00Z");

describe("time-zone list", () => {
  it("starts with the common zones, Asia/Taipei first, in the fixed order", () => {
    const list = buildZoneList(SERVED, "en", COUNTRIES, JAN);
    expect(list.common.map((z) => z.id).slice(0, 6)).toEqual(["Asia/Taipei", "Asia/Hong_Kong", "Asia/Shanghai", "Asia/Singapore", "Asia/Tokyo", "Asia/Seoul"]);
    expect(list.common[list.common.length - 1].id).toBe("UTC");
  });

  it("names zones by city in the UI's language with their UTC offset", () => {
    expect(zoneLabel(describeZone("Asia/Taipei", "zh-TW", {}, JAN))).toBe("台北 (UTC+8)");
    expect(zoneLabel(describeZone("Asia/Taipei", "en", {}, JAN))).toBe("Taipei (UTC+8)");
    expect(zoneLabel(describeZone("Asia/Kolkata", "en", {}, JAN))).toBe("Kolkata (India) (UTC+5:30)");
    expect(zoneLabel(describeZone("UTC", "en", {}, JAN))).toBe("Coordinated Universal Time (UTC)");
    expect(describeZone("Asia/Taipei", "zh-TW", {}, JAN).country).toBe("台灣");
  });

  it("gives offsets for the date (daylight saving) and negative ones with a minus sign", () => {
    expect(utcOffset("America/New_York", JAN)).toBe("UTC−5");
    expect(utcOffset("America/New_York", JUL)).toBe("UTC−4");
    expect(utcOffset("Pacific/Chatham", JAN)).toBe("UTC+13:45");
    expect(utcOffset("Europe/London", JAN)).toBe("UTC+0");
    expect(utcOffset("Europe/London", JUL)).toBe("UTC+1");
  });

  it("offers no aliases or legacy names in the other zones", () => {
    const others = buildZoneList(SERVED, "en", COUNTRIES, JAN).others.map((z) => z.id);
    expect(others).toEqual(expect.arrayContaining(["Europe/Lisbon", "Africa/Nairobi", "America/Argentina/Buenos_Aires"]));
    for (const alias of ["W-SU", "Zulu", "localtime", "Etc/GMT+5", "EST5EDT", "Asia/Calcutta", "US/Eastern", "ROC"]) {
      expect(isOfferable(alias)).toBe(false);
      expect(others).not.toContain(alias);
    }
    // a common zone is not repeated below
    expect(others).not.toContain("Asia/Taipei");
    // other zones are ordered by offset (west to east)
    expect(others.indexOf("America/Argentina/Buenos_Aires")).toBeLessThan(others.indexOf("Europe/Lisbon"));
    expect(others.indexOf("Europe/Lisbon")).toBeLessThan(others.indexOf("Africa/Nairobi"));
  });

  it("still names a zone outside the list (an older journey's alias)", () => {
    const z = describeZone("W-SU", "en", {}, JAN);
    expect(zoneLabel(z)).toBe("W-SU (UTC+3)");
    expect(zoneLabel(describeZone("Asia/Calcutta", "zh-TW", {}, JAN))).toBe("Calcutta (UTC+5:30)");
  });

  it("searches by city, country and IANA id, in either language", () => {
    const en = buildZoneList(SERVED, "en", COUNTRIES, JAN);
    const ids = (q: string) => {
      const r = searchZones(en, q);
      return [...r.common, ...r.others].map((z) => z.id);
    };
    expect(ids("taipei")).toEqual(["Asia/Taipei"]);
    expect(ids("台北")).toEqual(["Asia/Taipei"]);
    expect(ids("Japan")).toEqual(["Asia/Tokyo"]);
    expect(ids("日本")).toEqual(["Asia/Tokyo"]);
    expect(ids("台灣")).toEqual(["Asia/Taipei"]);
    expect(ids("asia/kolkata")).toEqual(["Asia/Kolkata"]);
    expect(ids("new york")).toEqual(["America/New_York"]);
    expect(ids("Sao Paulo")).toEqual(["America/Sao_Paulo"]); // accents folded
    expect(ids("portugal")).toEqual(["Europe/Lisbon"]);
    expect(ids("buenos aires")).toEqual(["America/Argentina/Buenos_Aires"]);
    expect(ids("zzzz")).toEqual([]);
    expect(ids("   ")).toHaveLength(COMMON_ZONES.length + en.others.length);
  });
});
