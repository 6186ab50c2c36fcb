// Which papers pass a query's field filters (`author:`, `venue:`, `year:`), newest first.
//
// Testing each paper object of a 20,000-paper library took 7–20 ms a keystroke: reading
// one field of 20,000 objects scattered over a large heap is slow, the more so in
// newest-first order (about 1 µs a paper). Once per list of papers, a table holds what
// the filters read in that order, flat: the years in an array, and the folded authors
// and venues each joined into one text. A filter then finds its papers by searching
// that text (`indexOf`, native and fast over megabytes) and tests only the papers
// found; a year range is a run of the years, found by halves.
//
// Making that table is reading, folding and sorting every paper: the first `author:`
// keystroke of a session paid for it (at 20,000 papers 124–139 ms, at 100,000 1.1 s in
// the index worker). A worker now makes it ahead, between messages, a few milliseconds
// at a time (`filtersInSteps`), once an index answers at start-up (after a change, the
// first filter makes it: see IndexServer.hasIdleSteps).
import type { Paper } from '../library/paper';
import { finish } from './frozenIndex';
import { filtersOf, hasFilters, type Filters, type FoldedFields, type ParsedQuery } from './query';

/** The year papers are ordered by: none as year 0 (last). */
const yearForOrder = (year: number | undefined): number => year ?? 0;

/** Newer first, then by id: THE order of `compareNewestFirst`, on a pair's numbers. */
function newerFirst(yearA: number, idA: number, yearB: number, idB: number): number {
  return yearB - yearA || idA - idB;
}

/** Newest first; ties keep library order. */
export function compareNewestFirst(a: Paper, b: Paper): number {
  return newerFirst(yearForOrder(a.year), a.id, yearForOrder(b.year), b.id);
}

/** What the filters read of one paper. */
export interface FilterFields {
  readonly id: number;
  readonly year: number | undefined;
  readonly folded: FoldedFields;
}

/** What the filters read: the papers by position, and what the filters read of each. */
export interface FilterSource {
  /** An object of its own for each set of papers: a new one whenever they change (their table is kept with it). */
  readonly filterKey: object;
  /** How many papers; positions are 0…size - 1 (fixed for a filterKey). */
  readonly size: number;
  /** What the filters read of the paper at position i. */
  filterFieldsAt(i: number): FilterFields;
  /** The paper at position i. */
  paperAt(i: number): Paper;
}

/** Papers read between two steps of making a table (`tableInSteps`): a few milliseconds. */
const TABLE_STEP = 250;

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
  private joinedAuthors: Joined | undefined;
  private joinedVenues: Joined | undefined;
  /** The last filters' passing ids: the words typed after them test no paper again. */
  lastIds: { readonly key: string; readonly ids: ReadonlySet<number> } | undefined;

  constructor(
    /** Position in the list of the k-th paper newest first. */
    readonly order: Uint32Array,
    /** Its id. */
    readonly ids: Float64Array,
    /** Its year (NaN when it has none): descending. */
    readonly years: Float64Array,
    readonly authors: readonly string[],
    readonly venues: readonly string[],
  ) {}

  /** The authors joined (made when an author filter first needs them, or ahead: `filtersInSteps`). */
  get authorText(): Joined {
    this.joinedAuthors ??= joined(this.authors);
    return this.joinedAuthors;
  }

  get venueText(): Joined {
    this.joinedVenues ??= joined(this.venues);
    return this.joinedVenues;
  }
}

/**
 * The table of a source's papers, in steps: every paper's fields read once, in list order
 * (a step every TABLE_STEP papers: reading them may mean decoding and folding them), then
 * sorted and reordered as numbers and references.
 */
function* tableInSteps(source: FilterSource): Generator<void, FilterTable> {
  const count = source.size;
  const year = new Float64Array(count);
  const orderYear = new Float64Array(count);
  const id = new Float64Array(count);
  const authors = new Array<string>(count);
  const venues = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    if (i % TABLE_STEP === TABLE_STEP - 1) {
      yield;
    }
    const f = source.filterFieldsAt(i);
    year[i] = f.year ?? NaN;
    orderYear[i] = yearForOrder(f.year);
    id[i] = f.id;
    authors[i] = f.folded.authors;
    venues[i] = f.folded.venue;
  }
  yield;
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    order[i] = i;
  }
  order.sort((a, b) => newerFirst(orderYear[a], id[a], orderYear[b], id[b]));
  yield;
  return new FilterTable(
    order,
    Float64Array.from(order, (i) => id[i]),
    Float64Array.from(order, (i) => year[i]),
    Array.from(order, (i) => authors[i]),
    Array.from(order, (i) => venues[i]),
  );
}

const tables = new WeakMap<object, FilterTable>();

function tableOf(source: FilterSource): FilterTable {
  let table = tables.get(source.filterKey);
  if (!table) {
    table = finish(tableInSteps(source));
    tables.set(source.filterKey, table);
  }
  return table;
}

/**
 * Makes ahead, in steps, what the filters will read of the source's papers as they are
 * now: its table (each paper's fields read, folded and sorted newest first) and the joined
 * authors and venues. A worker runs it between messages once an index answers, so that
 * the first `author:` keystroke does not pay for it (at 100,000 papers 0.6 s, or more
 * with a kept index's papers to decode). Ends early when the papers change meanwhile.
 */
export function* filtersInSteps(source: FilterSource): Generator<void, void> {
  const key = source.filterKey;
  if (!tables.has(key)) {
    const steps = tableInSteps(source);
    // (Until a filter-only query meanwhile made it.)
    for (let step = steps.next(); !tables.has(key); step = steps.next()) {
      if (step.done) {
        tables.set(key, step.value);
        break;
      }
      yield;
      if (source.filterKey !== key) {
        return; // the papers changed: no more of them is read as they were
      }
    }
  }
  const table = tables.get(key);
  yield;
  void table?.authorText;
  yield;
  void table?.venueText;
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
  const table = tableOf(source);
  const ks = hasFilters(q) ? findPassing(table, filtersOf(q), limit) : Array.from(table.order.subarray(0, Math.min(limit, source.size)).keys());
  return ks.map((k) => source.paperAt(table.order[k]));
}

/** The ids of the papers that pass the query's filters; undefined when it has none. */
export function passingIds(source: FilterSource, q: ParsedQuery): ReadonlySet<number> | undefined {
  if (!hasFilters(q)) {
    return undefined;
  }
  const table = tableOf(source);
  const key = JSON.stringify([q.authors, q.venues, q.years]);
  if (table.lastIds?.key !== key) {
    table.lastIds = { key, ids: new Set(findPassing(table, filtersOf(q), Infinity).map((k) => table.ids[k])) };
  }
  return table.lastIds.ids;
}
