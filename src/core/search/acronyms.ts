// Acronyms a paper is known by, so `trpo`, `gae`, `ppo` or `ddpm` find their papers: the
// ones its title and abstract define in parentheses ("… Optimization (TRPO)"), and the
// initials of the word runs that start or end a title phrase ("Trust Region Policy
// Optimization" → trpo; "… Using Generalized Advantage Estimation" → gae).
import { FUNCTION_WORDS } from '../text/titleWords';
import { fold } from '../text/text';

const DEFINED = /\(([A-Z][A-Za-z0-9]{0,2}[A-Z0-9][A-Za-z0-9-]{0,8})s?\)/g;
const MAX_RUN = 6;

/** Initials of the runs of content words that begin or end each phrase of a title. */
function titleInitials(title: string): string[] {
  const out: string[] = [];
  for (const phrase of title.split(/[:;?!.()[\]]+/)) {
    const initials = fold(phrase)
      .split(/[\s\-‐‑/]+/)
      .map((w) => w.replace(/[^a-z0-9]/g, ''))
      .filter((w) => w !== '' && !FUNCTION_WORDS.has(w))
      .map((w) => w[0]);
    const n = initials.length;
    for (let len = 2; len <= Math.min(MAX_RUN, n); len++) {
      out.push(initials.slice(0, len).join(''), initials.slice(n - len).join(''));
    }
  }
  return out;
}

/** The acronyms of a paper (an index field): distinct, each lower-case letters and digits. */
export function acronymsOf(paper: { readonly title: string; readonly abstract: string }): string[] {
  const found = new Set<string>(titleInitials(paper.title));
  for (const text of [paper.title, paper.abstract.slice(0, 4000)]) {
    for (const m of text.matchAll(DEFINED)) {
      found.add(m[1].toLowerCase().replace(/-/g, ''));
    }
  }
  return [...found];
}
