import { fold } from '../text/text';
import { venueGroup } from './venues';

/** A search query split into free text and field filters. */
export interface ParsedQuery {
  /** Free text for the full-text index (may be empty). */
  readonly text: string;
  /** Folded author fragments; each must match some author. */
  readonly authors: readonly string[];
  /** Folded venue fragments; each must occur in the venue. */
  readonly venues: readonly string[];
  /** Inclusive year range. */
  readonly years?: { readonly from: number; readonly to: number };
}

const FIELD_RE = /^(author|authors|au|year|venue):(?:"([^"]*)"?|(\S*))$/i;
const TOKEN_RE = /\S*"[^"]*"?\S*|\S+/g;

function parseYears(value: string): { from: number; to: number } | undefined {
  const m = /^(\d{4})(?:(?:-|–|\.\.)(\d{4}))?$/.exec(value);
  if (!m) {
    return undefined;
  }
  const a = Number(m[1]);
  const b = m[2] ? Number(m[2]) : a;
  return { from: Math.min(a, b), to: Math.max(a, b) };
}

/**
 * Parses `author:zenke year:2020-2022 venue:iclr free text`. Field values may be
 * quoted (`author:"de bezenac"`). An unknown field, an empty value or a malformed
 * year stays in the free text, so nothing the user types is an error.
 */
export function parseQuery(input: string): ParsedQuery {
  const text: string[] = [];
  const authors: string[] = [];
  const venues: string[] = [];
  let years: { from: number; to: number } | undefined;
  for (const token of input.match(TOKEN_RE) ?? []) {
    const m = FIELD_RE.exec(token);
    const value = m ? (m[2] ?? m[3] ?? '').trim() : '';
    if (!m || value === '') {
      text.push(token);
      continue;
    }
    const field = m[1].toLowerCase();
    if (field === 'year') {
      const range = parseYears(value);
      if (!range) {
        text.push(token);
        continue;
      }
      years = years
        ? { from: Math.max(years.from, range.from), to: Math.min(years.to, range.to) }
        : range;
    } else if (field === 'venue') {
      venues.push(fold(value));
    } else {
      authors.push(fold(value));
    }
  }
  return { text: text.join(' ').replace(/"/g, ' ').trim(), authors, venues, years };
}

/** True when the query has any field filter. */
export function hasFilters(q: ParsedQuery): boolean {
  return q.authors.length > 0 || q.venues.length > 0 || q.years !== undefined;
}

/** A paper's author names and venue as the filters compare them (folded, words padded with spaces). */
export interface FoldedFields {
  /** Every author, folded, each after a blank and ended by `|` (a name never runs into the next). */
  readonly authors: string;
  readonly venue: string;
}

/** Folds a paper's filterable fields once. The venue matches as written and by its group ("International Conference on Machine Learning" is `venue:icml`). */
export function foldedFields(paper: { authors: readonly string[]; venue?: string }): FoldedFields {
  const group = venueGroup(paper.venue);
  return {
    authors: paper.authors.map((a) => ` ${fold(a).replace(/[^a-z0-9]+/g, ' ')}|`).join(''),
    venue: `${fold(paper.venue ?? '')}${group ? ` | ${fold(group.label)}` : ''}`,
  };
}

type Filterable = { authors: readonly string[]; venue?: string; year?: number };

/** The query's field filters as one test; `folded` is read only when `needsFolded`. */
export interface Filters {
  readonly needsFolded: boolean;
  passes(paper: Filterable, folded?: FoldedFields): boolean;
}

/** What a wanted author fragment must be found as in `FoldedFields.authors`. */
function authorPattern(wanted: string): string {
  return ` ${wanted.replace(/[^a-z0-9]+/g, ' ').trim()}`;
}

/**
 * Whether every paper that passes `q`'s filters passes `before`'s: each of its author and
 * venue fragments is within one of `q`'s, its years within `q`'s (typing `author:smi` on
 * from `author:sm`). Then `q` need only test the papers that passed `before`.
 */
export function narrows(q: ParsedQuery, before: ParsedQuery): boolean {
  const within = (wanted: readonly string[], was: readonly string[]) => was.every((w) => wanted.some((v) => v.includes(w)));
  return (
    within(q.authors.map(authorPattern), before.authors.map(authorPattern)) &&
    within(q.venues, before.venues) &&
    (before.years === undefined || (q.years !== undefined && q.years.from >= before.years.from && q.years.to <= before.years.to))
  );
}

/**
 * The query's field filters, with the wanted names normalised once: a filter-only
 * query tests every paper of the library on each keystroke.
 */
export function filtersOf(q: ParsedQuery): Filters {
  const wantedAuthors = q.authors.map(authorPattern);
  const needsFolded = q.venues.length > 0 || wantedAuthors.length > 0;
  return {
    needsFolded,
    passes: (paper, folded) => {
      if (q.years && (paper.year === undefined || paper.year < q.years.from || paper.year > q.years.to)) {
        return false;
      }
      if (!needsFolded) {
        return true;
      }
      const f = folded ?? foldedFields(paper);
      return q.venues.every((v) => f.venue.includes(v)) && wantedAuthors.every((w) => f.authors.includes(w));
    },
  };
}

/** Whether a paper passes the query's field filters (`folded` may be cached by the caller). */
export function matchesFilters(q: ParsedQuery, paper: Filterable, folded?: FoldedFields): boolean {
  return filtersOf(q).passes(paper, folded);
}
