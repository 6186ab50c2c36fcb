// Acronyms a paper is known by, so `trpo`, `gae`, `ppo` or `ddpm` find their papers: the
// ones its title and abstract define in parentheses ("… Optimization (TRPO)"), and the
// initials of the word runs that start or end a title phrase ("Trust Region Policy
// Optimization" → trpo; "… Using Generalized Advantage Estimation" → gae).
import { FUNCTION_WORDS } from '../text/titleWords';
import { fold } from '../text/text';

const DEFINED = /\(([A-Z][A-Za-z0-9]{0,2}[A-Z0-9][A-Za-z0-9-]{0,8})s?\)/g;
const MAX_RUN = 6;

/** What separates a title's phrases, and a phrase's words (hyphens and slashes among them). */
const PHRASE_GAP = /[:;?!.()[\]]+/;
const WORD_GAP = /[\s\-‐‑/]+/;
/** What a word's initial is not taken from ("don't" is one word, "dont"). */
const NOT_WORD = /[^a-z0-9]/g;

/**
 * Initials of the runs of content words that begin or end each phrase of a title. The
 * title is folded once, and a phrase's initials are one string cut into the runs: this
 * runs for every paper of a library as it is indexed.
 */
function titleInitials(title: string): string[] {
  const out: string[] = [];
  for (const phrase of fold(title).split(PHRASE_GAP)) {
    let initials = '';
    for (const raw of phrase.split(WORD_GAP)) {
      const w = raw.replace(NOT_WORD, '');
      if (w !== '' && !FUNCTION_WORDS.has(w)) {
        initials += w[0];
      }
    }
    const n = initials.length;
    for (let len = 2; len <= Math.min(MAX_RUN, n); len++) {
      out.push(initials.slice(0, len), initials.slice(n - len));
    }
  }
  return out;
}

/** The acronyms of a paper (an index field): distinct, each lower-case letters and digits. */
export function acronymsOf(paper: { readonly title: string; readonly abstract: string }): string[] {
  const found = new Set<string>(titleInitials(paper.title));
  for (const text of [paper.title, paper.abstract.slice(0, 4000)]) {
    // Told apart first: a text without a parenthesis defines nothing (the expression's
    // own search for one cost five times as much).
    if (text.includes('(')) {
      for (const m of text.matchAll(DEFINED)) {
        found.add(m[1].toLowerCase().replace(/-/g, ''));
      }
    }
  }
  return [...found];
}
