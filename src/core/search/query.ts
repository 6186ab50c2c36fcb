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

/** The query's field filters as one test; `folded` is read only when the filters name authors or venues. */
export interface Filters {
  /** What each paper's `FoldedFields.authors` must contain (a fragment of a name, from a word start). */
  readonly authorPatterns: readonly string[];
  /** What each paper's `FoldedFields.venue` must contain. */
  readonly venues: readonly string[];
  readonly years?: { readonly from: number; readonly to: number };
  passes(paper: Filterable, folded?: FoldedFields): boolean;
  /** `passes` on a paper's year and folded fields. */
  passesFields(year: number | undefined, authors: string, venue: string): boolean;
}

/**
 * The query's field filters, with the wanted names normalised once: a filter-only
 * query tests every paper of the library on each keystroke.
 */
export function filtersOf(q: ParsedQuery): Filters {
  const authorPatterns = q.authors.map((wanted) => ` ${wanted.replace(/[^a-z0-9]+/g, ' ').trim()}`);
  const needsFolded = q.venues.length > 0 || authorPatterns.length > 0;
  const passesFields = (year: number | undefined, authors: string, venue: string): boolean => {
    if (q.years && (year === undefined || year < q.years.from || year > q.years.to)) {
      return false;
    }
    for (const v of q.venues) {
      if (!venue.includes(v)) {
        return false;
      }
    }
    for (const w of authorPatterns) {
      if (!authors.includes(w)) {
        return false;
      }
    }
    return true;
  };
  return {
    authorPatterns,
    venues: q.venues,
    years: q.years,
    passesFields,
    passes: (paper, folded) => {
      if (!needsFolded) {
        return passesFields(paper.year, '', '');
      }
      const f = folded ?? foldedFields(paper);
      return passesFields(paper.year, f.authors, f.venue);
    },
  };
}

/** Whether a paper passes the query's field filters (`folded` may be cached by the caller). */
export function matchesFilters(q: ParsedQuery, paper: Filterable, folded?: FoldedFields): boolean {
  return filtersOf(q).passes(paper, folded);
}
