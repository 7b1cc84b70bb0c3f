/**
 * How many SMS segments a text costs, counted the way the gateways bill it (the same function as the backend's
 * wayfinder/channels/sms_segments.py). Pure.
 *
 * GSM-7 when every character is in the GSM 03.38 alphabet: 160 septets single, 153 per concatenated part; an
 * extension-table character (€ [ ] { } ^ ~ | \ and form feed) costs 2. Otherwise UCS-2: 70 UTF-16 code units single,
 * 67 per part; a character outside the BMP (most emoji) costs 2. A part never splits an escape sequence or a
 * surrogate pair: a 2-unit character that does not fit the rest of a part opens the next one.
 */

const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENSION = "\f^{}\\[~]|€";
const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

export type SmsEncoding = "GSM-7" | "UCS-2";

/** Single message / per part of a concatenated one, in septets (GSM-7) or UTF-16 code units (UCS-2). */
export const SMS_LIMITS: Record<SmsEncoding, [number, number]> = { "GSM-7": [160, 153], "UCS-2": [70, 67] };

export interface SmsCount {
  encoding: SmsEncoding;
  /** The units counted against the limit: septets (GSM-7) or UTF-16 code units (UCS-2). */
  characters: number;
  /** Messages billed (0 for an empty text). */
  segments: number;
  /** The room of each: 160 / 70 for a single message, 153 / 67 when concatenated. */
  per_segment: number;
}

export function isGsm(text: string): boolean {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENSION.has(ch)) return false;
  return true;
}

function units(text: string, encoding: SmsEncoding): number[] {
  // `for…of` walks code points, so an emoji is one character of 2 UTF-16 code units (`ch.length`).
  return Array.from(text, (ch) => (encoding === "GSM-7" ? (EXTENSION.has(ch) ? 2 : 1) : ch.length));
}

function parts(costs: number[], room: number): number {
  let count = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > room) {
      count += 1;
      used = 0;
    }
    used += cost;
  }
  return count;
}

export function smsSegments(text: string): SmsCount {
  const encoding: SmsEncoding = isGsm(text) ? "GSM-7" : "UCS-2";
  const costs = units(text, encoding);
  const characters = costs.reduce((sum, cost) => sum + cost, 0);
  const [single, perPart] = SMS_LIMITS[encoding];
  if (characters <= single) return { encoding, characters, segments: characters ? 1 : 0, per_segment: single };
  return { encoding, characters, segments: parts(costs, perPart), per_segment: perPart };
}

/** The name the SMS form calls it by. */
export const segments = smsSegments;
