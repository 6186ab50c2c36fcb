// Which papers pass a query's field filters (`author:`, `venue:`, `year:`), newest first.
//
// Testing each paper object of a 20,000-paper library took 7–20 ms a keystroke: reading
// one field of 20,000 objects scattered over a large heap is slow, the more so in
// newest-first order (about 1 µs a paper). Once per list of papers, a table holds what
// the filters read in that order, flat: the years in an array, and the folded authors
// and venues each joined into one text. A filter then finds its papers by searching
// that text (`indexOf`, native and fast over megabytes) and tests only the papers
// found; a year range is a run of the years, found by halves.
import type { Paper } from '../library/paper';
import { filtersOf, hasFilters, type Filters, type FoldedFields, type ParsedQuery } from './query';

/** The year papers are ordered by: none as year 0 (last). */
const yearForOrder = (p: Paper): number => p.year ?? 0;

/** Newer first, then by id: THE order of `compareNewestFirst`, on a pair's numbers. */
function newerFirst(yearA: number, idA: number, yearB: number, idB: number): number {
  return yearB - yearA || idA - idB;
}

/** Newest first; ties keep library order. */
export function compareNewestFirst(a: Paper, b: Paper): number {
  return newerFirst(yearForOrder(a), a.id, yearForOrder(b), b.id);
}

/** What the filters read: the papers and their folded fields, by position. */
export interface FilterSource {
  /** Every paper; a list is replaced (a new array) whenever the papers change. */
  readonly papers: readonly Paper[];
  /** `FoldedFields` of the i-th of `papers`. */
  foldedAt(i: number): FoldedFields;
}

/** Between two papers' fields in a joined text: never in a folded name or venue (folding keeps no control characters a filter could ask for). */
const SEPARATOR = '\u0000';

/** Texts joined with a separator before each, and where each starts (text k at `start[k]`). */
interface Joined {
  readonly text: string;
  readonly start: Uint32Array;
}

function joined(parts: readonly string[]): Joined {
  const start = new Uint32Array(parts.length + 1);
  for (let k = 0; k < parts.length; k++) {
    start[k + 1] = start[k] + SEPARATOR.length + parts[k].length;
  }
  return { text: SEPARATOR + parts.join(SEPARATOR), start };
}

/** A list of papers as the filters read it, newest first. */
class FilterTable {
  /** Position in the list of the k-th paper newest first. */
  readonly order: Uint32Array;
  /** Its year (NaN when it has none): descending. */
  readonly years: Float64Array;
  readonly authors: readonly string[];
  readonly venues: readonly string[];
  private joinedAuthors: Joined | undefined;
  private joinedVenues: Joined | undefined;
  /** The last filters' passing ids: the words typed after them test no paper again. */
  lastIds: { readonly key: string; readonly ids: ReadonlySet<number> } | undefined;

  constructor(source: FilterSource) {
    const { papers } = source;
    // Every field read once, in list order (the objects lie scattered over the heap);
    // sorted and reordered as numbers and references.
    const year = Float64Array.from(papers, (p) => p.year ?? NaN);
    const orderYear = Float64Array.from(papers, yearForOrder);
    const id = Float64Array.from(papers, (p) => p.id);
    this.order = Uint32Array.from(papers.keys()).sort((a, b) => newerFirst(orderYear[a], id[a], orderYear[b], id[b]));
    const folded = papers.map((_, i) => source.foldedAt(i));
    const authors = folded.map((f) => f.authors);
    const venues = folded.map((f) => f.venue);
    this.years = Float64Array.from(this.order, (i) => year[i]);
    this.authors = Array.from(this.order, (i) => authors[i]);
    this.venues = Array.from(this.order, (i) => venues[i]);
  }

  /** The authors joined (made when an author filter first needs them). */
  get authorText(): Joined {
    this.joinedAuthors ??= joined(this.authors);
    return this.joinedAuthors;
  }

  get venueText(): Joined {
    this.joinedVenues ??= joined(this.venues);
    return this.joinedVenues;
  }
}

const tables = new WeakMap<readonly Paper[], FilterTable>();

function tableOf(source: FilterSource): FilterTable {
  let table = tables.get(source.papers);
  if (!table) {
    table = new FilterTable(source);
    tables.set(source.papers, table);
  }
  return table;
}

/** The first of 0…count - 1 for which `after` holds, it holding for every later one too (by halves). */
function firstWhere(count: number, after: (i: number) => boolean): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (after(mid)) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

/**
 * The papers (k, newest first) that pass, in order, until `limit` are found: candidates
 * from the text of one fragment (or the run of the years), each tested whole.
 */
function findPassing(table: FilterTable, filters: Filters, limit: number): number[] {
  const found: number[] = [];
  const test = (k: number): void => {
    if (filters.passesFields(Number.isNaN(table.years[k]) ? undefined : table.years[k], table.authors[k], table.venues[k])) {
      found.push(k);
    }
  };
  const fromText = ({ text, start }: Joined, fragment: string): void => {
    for (let at = text.indexOf(fragment); at >= 0 && found.length < limit; ) {
      const k = firstWhere(start.length, (m) => start[m] > at) - 1; // the paper whose text holds `at`
      test(k);
      at = text.indexOf(fragment, start[k + 1]); // the next paper's text
    }
  };
  const author = filters.authorPatterns.find((p) => !p.includes(SEPARATOR));
  const venue = filters.venues.find((v) => v !== '' && !v.includes(SEPARATOR));
  if (author !== undefined) {
    fromText(table.authorText, author);
  } else if (venue !== undefined) {
    fromText(table.venueText, venue);
  } else {
    // Years descend (no year, NaN, among the last): the first at most the range's end.
    const to = filters.years?.to;
    const from = to === undefined ? 0 : firstWhere(table.years.length, (m) => !(table.years[m] > to));
    for (let k = from; k < table.order.length && found.length < limit; k++) {
      const year = table.years[k];
      // Older, or no year (sorted as year 0): none after passes.
      if (filters.years && (year < filters.years.from || (Number.isNaN(year) && filters.years.from > 0))) {
        break;
      }
      test(k);
    }
  }
  return found;
}

/** The newest `limit` papers that pass the query's filters (every paper when it has none). */
export function newestPassing(source: FilterSource, q: ParsedQuery, limit: number): Paper[] {
  const { papers } = source;
  const table = tableOf(source);
  const ks = hasFilters(q) ? findPassing(table, filtersOf(q), limit) : Array.from(table.order.subarray(0, Math.min(limit, papers.length)).keys());
  return ks.map((k) => papers[table.order[k]]);
}

/** The ids of the papers that pass the query's filters; undefined when it has none. */
export function passingIds(source: FilterSource, q: ParsedQuery): ReadonlySet<number> | undefined {
  if (!hasFilters(q)) {
    return undefined;
  }
  const { papers } = source;
  const table = tableOf(source);
  const key = JSON.stringify([q.authors, q.venues, q.years]);
  if (table.lastIds?.key !== key) {
    table.lastIds = { key, ids: new Set(findPassing(table, filtersOf(q), Infinity).map((k) => papers[table.order[k]].id)) };
  }
  return table.lastIds.ids;
}
