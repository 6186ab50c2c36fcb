import { familyName, fold } from '../text/text';

/** Title words skipped when choosing the key's title word. */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  ('a an the on of in for to and or with via by from at as is are do does can we ' +
    'towards toward through without').split(' '),
);

/** Lower-case ASCII letters only: "Möller" → "moller", "Q(λ)" → "q". */
function letters(text: string): string {
  return fold(text).replace(/[^a-z]/g, '');
}

/** The first title word that is not a function word, as lower-case ASCII letters. */
export function keyTitleWord(title: string): string {
  for (const raw of title.split(/[\s\-‐‑‒–—/]+/u)) {
    const word = letters(raw);
    if (word && !FUNCTION_WORDS.has(word)) {
      return word;
    }
  }
  return '';
}

/** The collision-free part of a key: family name of the first author + year + title word. */
export function baseCitationKey(authors: readonly string[], year: number | undefined, title: string): string {
  const author = authors.length > 0 ? letters(familyName(authors[0])) : '';
  return `${author || 'anon'}${year ?? ''}${keyTitleWord(title)}`;
}

/**
 * Assigns keys in order: the first paper with a base key keeps it, later ones get
 * `a`, `b`, … (then `aa`, `ab`, …), skipping any key already taken.
 */
export function assignCitationKeys(
  papers: readonly { authors: readonly string[]; year?: number; title: string }[],
  taken: ReadonlySet<string> = new Set(),
): string[] {
  const used = new Set(taken);
  return papers.map((p) => {
    const base = baseCitationKey(p.authors, p.year, p.title);
    let key = base;
    for (let n = 0; used.has(key); n++) {
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
