/**
 * TEMPORARY stand-in (helper h4): another helper writes the real `smsSegments.ts` with this same signature; theirs
 * wins at merge. How an SMS is split and billed: GSM-7 when every character is in the GSM 03.38 alphabet (160
 * characters in one message, 153 per part once split; the extension characters such as € [ ] { } count twice),
 * otherwise UCS-2 (70, then 67 per part; a character outside the BMP, an emoji, counts twice).
 */
export interface SmsSegments {
  encoding: "GSM-7" | "UCS-2";
  /** Characters as the marketer sees them. */
  characters: number;
  segments: number;
  /** Characters per segment for this text's encoding and length (160/153 or 70/67). */
  perSegment: number;
}

const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED = "^{}\\[~]|€\f";
const BASIC = new Set(GSM_BASIC);
const EXTENDED = new Set(GSM_EXTENDED);

export function segments(text: string): SmsSegments {
  const chars = [...text];
  const gsm = chars.every((c) => BASIC.has(c) || EXTENDED.has(c));
  const units = gsm ? chars.reduce((n, c) => n + (EXTENDED.has(c) ? 2 : 1), 0) : text.length;
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  const count = units === 0 ? 0 : units <= single ? 1 : Math.ceil(units / multi);
  return { encoding: gsm ? "GSM-7" : "UCS-2", characters: chars.length, segments: count, perSegment: count > 1 ? multi : single };
}
