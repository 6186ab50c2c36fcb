import { lookupTable } from './lookup';
// Small text helpers shared by keys, search, detection and display.

const SPECIAL_LETTERS: Readonly<Record<string, string>> = lookupTable({
  ß: 'ss', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', ø: 'o', Ø: 'O', ł: 'l', Ł: 'L',
  đ: 'd', Đ: 'D', ð: 'd', þ: 'th', Þ: 'Th', ı: 'i', ŋ: 'ng',
});
const SPECIAL_RE = new RegExp(`[${Object.keys(SPECIAL_LETTERS).join('')}]`, 'g');
/** Accents written on their own, beside the letter (¨ ¯ ´ ˇ ˘ ˙ ˚ ˛ ˜ ˝: Zotero's `Huba{\textasciicaron}cek`). */
const SPACING_ACCENTS = /[\u00a8\u00af\u00b4\u02c7\u02d8-\u02dd]/g;

/** Any character beyond ASCII (astral ones are surrogate pairs, inside this range too). */
const NON_ASCII = /[\u0080-\uffff]/;

/** Whether text is all ASCII (fast paths for the common case). */
export function isAscii(text: string): boolean {
  return !NON_ASCII.test(text);
}

/** Drops accents (combined or spacing) and maps letters without a decomposition (ø, ł, ß, ı) to ASCII. */
export function foldAccents(text: string): string {
  // ASCII has no accents and none of the special letters.
  if (isAscii(text)) {
    return text;
  }
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(SPACING_ACCENTS, '')
    .replace(SPECIAL_RE, (ch) => SPECIAL_LETTERS[ch] ?? ch);
}

/** Lower-case, accent-free form used for comparisons. */
export function fold(text: string): string {
  return foldAccents(text).toLowerCase();
}

/** Title normalised for "same paper" comparisons: folded letters and digits only, single spaces. */
export function normalizeTitle(title: string): string {
  return fold(title)
    .replace(/[{}\\]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Cuts text to at most `max` characters at a word boundary, adding an ellipsis when cut. */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  const cut = text.slice(0, max);
  const lastSpace = cut.lastIndexOf(' ');
  const base = lastSpace > 0 ? cut.slice(0, lastSpace) : cut;
  return `${base.replace(/[\s,;:.]+$/, '')}…`;
}

/** Collapses runs of white space (including newlines) to single spaces. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * A window of about `width` characters of `text` around the first occurrence of any of
 * `terms` (matched case- and accent-insensitively at a word start); the start of the
 * text when none occurs.
 */
export function excerptAround(text: string, terms: readonly string[], width = 110): string {
  const flat = collapseWhitespace(text);
  if (flat.length <= width) {
    return flat;
  }
  const folded = fold(flat);
  let hit = -1;
  for (const term of terms) {
    const t = fold(term);
    if (t.length < 2) {
      continue;
    }
    const re = new RegExp(`(^|[^a-z0-9])${escapeRegExp(t)}`);
    const m = re.exec(folded);
    if (m && (hit < 0 || m.index + m[1].length < hit)) {
      hit = m.index + m[1].length;
    }
  }
  if (hit < 0 || hit < width / 2) {
    return truncateAtWord(flat, width);
  }
  let start = flat.lastIndexOf(' ', Math.max(0, hit - Math.floor(width / 3)));
  start = start < 0 ? 0 : start + 1;
  const rest = flat.slice(start);
  return `…${truncateAtWord(rest, width)}`;
}

/** Escapes a string for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
