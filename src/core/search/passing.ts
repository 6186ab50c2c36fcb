// Which papers pass a query's field filters (`author:`, `venue:`, `year:`), newest first:
// worked out only as far as a search needs, and kept for the next keystroke.
//
// Testing every paper of a 20,000-paper library took 11–15 ms per keystroke of
// `author:smith` (a hash lookup and a substring test per paper), and testing each
// candidate of a filtered free-text search took most of its time. Now the papers are
// sorted newest first once per list; a filter-only query stops at the papers it shows;
// a query whose filters narrow the last one's (`author:smi` after `author:sm`) tests only
// the papers that passed it, and the ones it had not tested yet.
import type { Paper } from '../library/paper';
import { filtersOf, hasFilters, narrows, type Filters, type FoldedFields, type ParsedQuery } from './query';

/** Newest first; ties keep library order. */
export function compareNewestFirst(a: Paper, b: Paper): number {
  return (b.year ?? 0) - (a.year ?? 0) || a.id - b.id;
}

/** What the filters read: the papers and their folded fields, by position. */
export interface FilterSource {
  /** Every paper; a list is replaced (a new array) whenever the papers change. */
  readonly papers: readonly Paper[];
  /** `FoldedFields` of the i-th of `papers`. */
  foldedAt(i: number): FoldedFields;
}

/** Positions in a list of papers, newest first, per list. */
const newestOf = new WeakMap<readonly Paper[], Uint32Array>();

function newestFirst(papers: readonly Paper[]): Uint32Array {
  let order = newestOf.get(papers);
  if (!order) {
    order = Uint32Array.from(papers.keys()).sort((a, b) => compareNewestFirst(papers[a], papers[b]));
    newestOf.set(papers, order);
  }
  return order;
}

/** The papers that pass some filters, found newest first as far as asked. */
class Passing {
  /** Positions of the papers found to pass, newest first. */
  readonly found: number[] = [];
  /** How many of `candidates` are tested. */
  private tested = 0;
  private ids: Set<number> | undefined;

  constructor(
    readonly query: ParsedQuery,
    private readonly filters: Filters,
    private readonly source: FilterSource,
    /** Positions newest first that may pass (all others do not). */
    private readonly candidates: Uint32Array,
  ) {}

  /** Tests candidates until `count` are found to pass, or none is left. */
  fill(count: number): void {
    const { papers } = this.source;
    const { filters, candidates } = this;
    while (this.found.length < count && this.tested < candidates.length) {
      const i = candidates[this.tested++];
      if (filters.passes(papers[i], filters.needsFolded ? this.source.foldedAt(i) : undefined)) {
        this.found.push(i);
      }
    }
  }

  /** The ids of every paper that passes. */
  allIds(): ReadonlySet<number> {
    if (!this.ids) {
      this.fill(Infinity);
      const { papers } = this.source;
      this.ids = new Set(this.found.map((i) => papers[i].id));
    }
    return this.ids;
  }

  /** What may pass filters that narrow these: the papers found, then those not tested yet. */
  narrowed(): Uint32Array {
    const rest = this.candidates.subarray(this.tested);
    const out = new Uint32Array(this.found.length + rest.length);
    out.set(this.found);
    out.set(rest, this.found.length);
    return out;
  }
}

/** The last filters' `Passing`, per list of papers. */
const lastOf = new WeakMap<readonly Paper[], Passing>();

function passingFor(source: FilterSource, q: ParsedQuery): Passing {
  const key = (x: ParsedQuery) => JSON.stringify([x.authors, x.venues, x.years]);
  const last = lastOf.get(source.papers);
  if (last && key(last.query) === key(q)) {
    return last;
  }
  const candidates = last && narrows(q, last.query) ? last.narrowed() : newestFirst(source.papers);
  const passing = new Passing(q, filtersOf(q), source, candidates);
  lastOf.set(source.papers, passing);
  return passing;
}

/** The newest `limit` papers that pass the query's filters (every paper when it has none). */
export function newestPassing(source: FilterSource, q: ParsedQuery, limit: number): Paper[] {
  const { papers } = source;
  if (!hasFilters(q)) {
    return Array.from(newestFirst(papers).subarray(0, Math.min(limit, papers.length)), (i) => papers[i]);
  }
  const passing = passingFor(source, q);
  passing.fill(limit);
  return passing.found.slice(0, limit).map((i) => papers[i]);
}

/** The ids of the papers that pass the query's filters; undefined when it has none. */
export function passingIds(source: FilterSource, q: ParsedQuery): ReadonlySet<number> | undefined {
  return hasFilters(q) ? passingFor(source, q).allIds() : undefined;
}
