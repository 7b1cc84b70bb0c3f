import { describe, expect, it } from "vitest";
import { smsSegments, type SmsCount } from "./smsSegments";

const EMOJI = "\u{1F600}"; // 😀: outside the BMP, 2 UTF-16 code units
const a = (n: number) => "a".repeat(n);
const count = (encoding: SmsCount["encoding"], characters: number, segments: number, per_segment: number) => ({
  encoding,
  characters,
  segments,
  per_segment,
});

// The same cases as tests/unit/test_sms_segments.py.
const CASES: [string, string, SmsCount][] = [
  ["empty", "", count("GSM-7", 0, 0, 160)],
  ["160 GSM", a(160), count("GSM-7", 160, 1, 160)],
  ["161 GSM", a(161), count("GSM-7", 161, 2, 153)],
  ["306 GSM", a(306), count("GSM-7", 306, 2, 153)],
  ["307 GSM", a(307), count("GSM-7", 307, 3, 153)],
  ["80 €", "€".repeat(80), count("GSM-7", 160, 1, 160)],
  ["80 € + 1", "€".repeat(80) + "a", count("GSM-7", 161, 2, 153)],
  ["extension table", "[]{}^~|\\", count("GSM-7", 16, 1, 160)],
  ["escape never split", a(152) + "€" + a(152), count("GSM-7", 306, 3, 153)],
  ["non-ASCII GSM", "Ça coute 5 £ à Zürich", count("GSM-7", 21, 1, 160)],
  ["lower-case ç is not GSM", "ç", count("UCS-2", 1, 1, 70)],
  ["70 Chinese", "中".repeat(70), count("UCS-2", 70, 1, 70)],
  ["71 Chinese", "中".repeat(71), count("UCS-2", 71, 2, 67)],
  ["134 Chinese", "中".repeat(134), count("UCS-2", 134, 2, 67)],
  ["135 Chinese", "中".repeat(135), count("UCS-2", 135, 3, 67)],
  ["one Chinese character switches all", a(159) + "中", count("UCS-2", 160, 3, 67)],
  ["35 emoji", EMOJI.repeat(35), count("UCS-2", 70, 1, 70)],
  ["emoji over 70", a(69) + EMOJI, count("UCS-2", 71, 2, 67)],
  ["surrogate pair never split", a(66) + EMOJI + a(66), count("UCS-2", 134, 3, 67)],
];

describe("smsSegments", () => {
  it.each(CASES)("%s", (_name, text, expected) => {
    expect(smsSegments(text)).toEqual(expected);
  });
});
