/** Where a step's name may break across lines. Chinese has no spaces, so a browser breaks it between any two
 * characters: zoomed out, 「提醒簡訊」 came out as 「提醒簡」 over 「訊」, or one character a line. Split at word
 * boundaries instead (Intl.Segmenter's dictionary: 提醒 | 簡訊), keep punctuation with its word (「嗎？」, 「「提醒」」),
 * and let the name's box (`word-break: keep-all`) break only there. Pure, so it is unit-tested. */

const OPENING = /^[\p{Ps}\p{Pi}]+$/u;
let segmenter: Intl.Segmenter | null | undefined;

function wordSegmenter(): Intl.Segmenter | null {
  if (segmenter === undefined) segmenter = typeof Intl.Segmenter === "function" ? new Intl.Segmenter("zh-TW", { granularity: "word" }) : null;
  return segmenter;
}

/** `name` in pieces a line may break between; joined they are `name` again. */
export function nameWords(name: string): string[] {
  const words = wordSegmenter();
  if (!words || !name) return name ? [name] : [];
  const pieces: string[] = [];
  let pending = ""; // opening brackets and quotes wait for the word they open
  for (const { segment, isWordLike } of words.segment(name)) {
    if (isWordLike) {
      pieces.push(pending + segment);
      pending = "";
    } else if (OPENING.test(segment)) {
      pending += segment;
    } else if (pieces.length && !pending) {
      pieces[pieces.length - 1] += segment; // spaces and closing punctuation stay on the line they end
    } else {
      pending += segment;
    }
  }
  if (pending) pieces.push(pending);
  return pieces;
}
