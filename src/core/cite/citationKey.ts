import { transliterate } from 'transliteration';
import { parseName } from '../bib/names';
import { fold } from '../text/text';
import { FUNCTION_WORDS } from '../text/titleWords';


/**
 * Lower-case ASCII letters and digits only: "Möller" → "moller", "Q(λ)" → "q", "3D" → "3d".
 * Text with no Latin letter at all is transliterated first ("张" → "zhang", "Иванов" →
 * "ivanov"), with the library Better BibTeX folds keys with, so keys stay ASCII for
 * BibTeX; if that yields nothing either, the text has no key letters.
 */
export function keyLetters(text: string): string {
  const folded = fold(text);
  const ascii = folded.replace(/[^a-z0-9]/g, '');
  if (/[a-z]/.test(ascii) || !/\p{L}/u.test(folded)) {
    return ascii;
  }
  return fold(transliterate(folded)).replace(/[^a-z0-9]/g, '');
}

/** The first title word that is not a function word, as lower-case ASCII letters and digits. */
export function keyTitleWord(title: string): string {
  for (const raw of title.split(/[\s\-‐‑‒–—/]+/u)) {
    const word = keyLetters(raw);
    if (word && !FUNCTION_WORDS.has(word)) {
      return word;
    }
  }
  return '';
}

/**
 * The collision-free part of a key: the first author's family name (BibTeX's Last part,
 * without von or Jr: "John von Neumann Jr." → `neumann`) + year + title word.
 */
export function baseCitationKey(authors: readonly string[], year: number | undefined, title: string): string {
  const author = authors.length > 0 ? keyLetters(parseName(authors[0], false).last).replace(/\d+/g, '') : '';
  return `${author || 'anon'}${year ?? ''}${keyTitleWord(title)}`;
}

/** Which keys are taken: a set, or a look-up into a library (no copy of every key). */
export interface KeyTaken {
  has(key: string): boolean;
}

/**
 * Assigns keys in order: the first paper with a base key keeps it, later ones get
 * `a`, `b`, … (then `aa`, `ab`, …), skipping any key already taken.
 */
export function assignCitationKeys(
  papers: readonly { authors: readonly string[]; year?: number; title: string }[],
  taken: KeyTaken = new Set(),
): string[] {
  const used = new Set<string>();
  return papers.map((p) => {
    const base = baseCitationKey(p.authors, p.year, p.title);
    let key = base;
    for (let n = 0; used.has(key) || taken.has(key); n++) {
      key = base + suffix(n);
    }
    used.add(key);
    return key;
  });
}

function suffix(n: number): string {
  // 0 → a, 25 → z, 26 → aa, …
  let s = '';
  let k = n;
  do {
    s = String.fromCharCode(97 + (k % 26)) + s;
    k = Math.floor(k / 26) - 1;
  } while (k >= 0);
  return s;
}

/**
 * A citation key read as a search: names, years and words apart, so an unknown key finds
 * its paper — `schulman2017proximal` → "schulman 2017 proximal", `Schulman:2017:PPO` →
 * "schulman 2017 ppo", `vaswaniAttention2017` → "vaswani attention 2017".
 */
export function keyAsQuery(key: string): string {
  return key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/(\d)([A-Za-z])/g, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
}
