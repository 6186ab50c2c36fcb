// Ranked search over a MiniSearch index, without MiniSearch's per-document result objects.
//
// MiniSearch stays the index: its tokenizer, term processing, radix tree, prefix and fuzzy
// expansion and BM25 statistics. What this replaces is the scoring loop of
// `MiniSearch.search`, which builds an object (score, terms, match) for every posting of
// every matched term and then sorts every result: at 20,000 papers a common word such as
// "gradient" has 13,000 postings, and that allocation was most of a keystroke's time.
// Here scores accumulate in flat arrays indexed by MiniSearch's short document ids, only
// the requested number of results is ranked, and the matched terms are worked out for
// those alone.
//
// The scores are MiniSearch's to the bit (same BM25+, same prefix and fuzzy weights, same
// order of additions, same AND/OR combination and "quality" factor); a unit test holds
// that against `MiniSearch.search` on the bundled corpus and a synthetic library. Two
// deliberate differences, both only where MiniSearch's own answer is arbitrary:
// - exact ties are ordered by short id (the order papers entered the index), where
//   MiniSearch's order follows hash-map insertion;
// - a posting of a discarded document that is not yet vacuumed is skipped without
//   changing the term's document frequency (MiniSearch deletes it during the search and
//   lowers the frequency for the documents after it, so the same query could score
//   differently before and after).
import type MiniSearch from 'minisearch';
import type { SearchOptions } from 'minisearch';
import type { FrozenIndex } from './frozenIndex';

/** What can be ranked: a MiniSearch index, or one frozen from it (frozenIndex.ts, the same internals). */
export type Rankable<T> = MiniSearch<T> | FrozenIndex;

/** One ranked document: MiniSearch's id, its score and the index terms it matched. */
export interface Ranked {
  readonly id: number;
  readonly score: number;
  readonly terms: string[];
}

/**
 * A term's documents in one field and their term frequencies: MiniSearch's Map (short id →
 * frequency), or a frozen index's arrays read in place. Only what the ranking reads.
 */
export interface DocFrequencies {
  readonly size: number;
  forEach(each: (termFreq: number, docId: number) => void): void;
  has(docId: number): boolean;
  /** A frozen index's postings as they lie: documents `docs[from, to)`, their frequencies in `freqs`. */
  readonly span?: PostingSpan;
}

/** Postings in arrays (see DocFrequencies.span). */
export interface PostingSpan {
  readonly docs: Uint32Array;
  readonly freqs: Uint8Array | Uint16Array | Uint32Array;
  readonly from: number;
  readonly to: number;
}

/** A term's postings by field id (MiniSearch's Map of Maps, or a frozen index's view). */
export interface TermPostings {
  get(fieldId: number): DocFrequencies | undefined;
}

/** MiniSearch 7's document statistics, as its instance holds them (frozenIndex.ts reads them too). */
export interface DocumentStatistics {
  _fieldIds: Record<string, number>;
  _avgFieldLength: number[];
  _fieldLength: Map<number, number[]>;
  _documentIds: Map<number, number>;
  _documentCount: number;
  _nextId: number;
}

/** The parts of MiniSearch 7's instance the ranking reads (checked on first use). */
interface Internals extends Omit<DocumentStatistics, '_fieldLength'> {
  /** MiniSearch's field lengths by short id (a frozen index has `_flatLengths` instead). */
  _fieldLength?: Map<number, number[]>;
  _index: {
    get(term: string): TermPostings | undefined;
    atPrefix(prefix: string): Iterable<[string, TermPostings]>;
    fuzzyGet(term: string, maxDistance: number): Map<string, [TermPostings, number]>;
  };
  /** A frozen index's field lengths, already flat, per field. */
  _flatLengths?: Uint32Array[];
  _options: {
    fields: string[];
    tokenize: (text: string, field?: string) => string[];
    processTerm: (term: string, field?: string) => string | string[] | null | undefined | false;
    searchOptions?: SearchOptions;
  };
}

function internalsOf<T>(mini: Rankable<T>): Internals {
  const m = mini as unknown as Internals;
  if (
    typeof m._index?.get !== 'function' ||
    typeof m._index.atPrefix !== 'function' ||
    typeof m._index.fuzzyGet !== 'function' ||
    !(m._fieldLength instanceof Map || (Array.isArray(m._flatLengths) && m._flatLengths.every((f) => f instanceof Uint32Array))) ||
    !(m._documentIds instanceof Map) ||
    typeof m._nextId !== 'number'
  ) {
    throw new Error('MiniSearch internals changed: ranking.ts must follow the new version');
  }
  return m;
}

const DEFAULT_WEIGHTS = { fuzzy: 0.45, prefix: 0.375 };
const DEFAULT_BM25 = { k: 1.2, b: 0.7, d: 0.5 };
const DEFAULT_MAX_FUZZY = 6;

/** One derived term of a query term (itself, a prefix completion or a fuzzy neighbour). */
interface Derived {
  readonly term: string;
  readonly weight: number;
  readonly postings: TermPostings;
}

/** A query term's matches: per-document scores in a scratch array, documents in first-seen order. */
interface TermMatches {
  readonly source: string;
  readonly slot: number;
  readonly derived: Derived[];
  readonly scores: Float64Array;
  readonly seen: Uint32Array;
  readonly stamp: number;
  /**
   * The matched documents, in the order first matched: the first `count` of `docs` (the
   * slot's scratch array; a JavaScript array grown by `push` took 5 ms for a common word's
   * 61,000 documents at 100,000 papers, the typed one 0.2 ms).
   */
  readonly docs: Uint32Array;
  count: number;
}

/**
 * Scratch arrays reused across searches (one pair per slot), so a keystroke allocates no
 * per-document memory. A stamp marks which entries belong to the current user of a slot;
 * nothing is ever cleared, and a slot taken again invalidates what its last user held.
 */
class Scratch {
  private scores: Float64Array[] = [];
  private seen: Uint32Array[] = [];
  private docs: Uint32Array[] = [];
  private readonly holder: number[] = [];
  private stamp = 0;

  take(slot: number, size: number): { scores: Float64Array; seen: Uint32Array; docs: Uint32Array; stamp: number } {
    if (!this.scores[slot] || this.scores[slot].length < size) {
      const grown = Math.max(size, Math.ceil((this.scores[slot]?.length ?? 0) * 1.5), 64);
      this.scores[slot] = new Float64Array(grown);
      this.seen[slot] = new Uint32Array(grown);
      this.docs[slot] = new Uint32Array(grown);
    }
    this.stamp = this.stamp >= 0xfffffffe ? 1 : this.stamp + 1;
    if (this.stamp === 1) {
      for (const s of this.seen) {
        s.fill(0);
      }
      this.holder.fill(0);
    }
    this.holder[slot] = this.stamp;
    return { scores: this.scores[slot], seen: this.seen[slot], docs: this.docs[slot], stamp: this.stamp };
  }

  /** Whether the slot still holds what was taken with this stamp. */
  holds(slot: number, stamp: number): boolean {
    return this.holder[slot] === stamp;
  }
}

const scratchOf = new WeakMap<object, Scratch>();

/**
 * Each live document's field lengths in one flat array per field (0 for a discarded
 * document), rebuilt when the index changed: a keystroke reads two arrays per posting
 * instead of two hash maps. Every add raises `_nextId` and every discard lowers
 * `_documentCount`, so the pair tells whether anything changed.
 */
interface FlatLengths {
  readonly nextId: number;
  readonly count: number;
  readonly byField: Uint32Array[];
}

const lengthsOf = new WeakMap<object, FlatLengths>();

function flatLengths(m: Internals): FlatLengths {
  if (m._flatLengths) {
    return { nextId: m._nextId, count: m._documentCount, byField: m._flatLengths };
  }
  const cached = lengthsOf.get(m);
  if (cached && cached.nextId === m._nextId && cached.count === m._documentCount) {
    return cached;
  }
  const fieldCount = Math.max(0, ...Object.values(m._fieldIds)) + 1;
  const byField = Array.from({ length: fieldCount }, () => new Uint32Array(m._nextId));
  for (const [docId, lengths] of m._fieldLength!) {
    if (m._documentIds.has(docId)) {
      for (let f = 0; f < lengths.length; f++) {
        byField[f][docId] = lengths[f] ?? 0;
      }
    }
  }
  const flat = { nextId: m._nextId, count: m._documentCount, byField };
  lengthsOf.set(m, flat);
  return flat;
}

export interface RankOptions extends SearchOptions {
  /** Only documents whose id passes are ranked. */
  readonly keep?: (id: number) => boolean;
  /** How many of the best results to return (all when absent). */
  readonly limit?: number;
}

/**
 * The best `limit` documents for a query, as `MiniSearch.search(query, options)` would
 * rank them (see the file comment for the two places where its arbitrary choices differ).
 * Supports the options Paperscope uses: fields, boost, bm25, weights, prefix, fuzzy,
 * maxFuzzy, combineWith AND/OR, tokenize and processTerm.
 */
export function rankedSearch<T>(mini: Rankable<T>, query: string, options: RankOptions = {}): Ranked[] {
  return new Ranker(mini).search(query, options);
}

/**
 * Query terms' matches an index's own Ranker (`Ranker.of`) keeps between searches, the
 * least recently used given up first: a keystroke mostly repeats the words before the one
 * being typed. Each holds a slot of scratch arrays as long as the index (16 bytes a paper:
 * 1.6 MB at 100,000 papers).
 */
const KEPT_MATCHES = 12;

const rankers = new WeakMap<object, Ranker<unknown>>();

/**
 * The query terms a search reads, the first ones: each distinct term takes a slot of
 * scratch arrays as long as the index, kept with it — a paragraph searched as a query
 * ("Search Papers for Selection": 2,000 words) took 2.5 s and kept 325 MB of them at
 * 20,000 papers. Related papers ask with 40.
 */
const MAX_QUERY_TERMS = 40;

/**
 * What the index is, as far as a term's matches go: they were worked out for it while
 * this is the same (every add raises `_nextId`, every discard lowers `_documentCount` and
 * raises `_dirtCount`, a vacuum lowers `_dirtCount` once done); undefined while a vacuum
 * is under way, which removes postings a batch at a time.
 */
function stateOf(m: Internals): string | undefined {
  const v = m as unknown as { _dirtCount?: number; _currentVacuum?: unknown; _enqueuedVacuum?: unknown };
  return v._currentVacuum || v._enqueuedVacuum ? undefined : `${m._nextId} ${m._documentCount} ${v._dirtCount ?? 0}`;
}

/**
 * Searches of one index: a query term's matches are worked out once and reused by the
 * searches that expand it the same way — those of one keystroke (every word, then typo
 * tolerance, then any word) and, with the index's own Ranker (`of`), the next keystrokes'
 * while the index stays as it was (`stateOf`). The matches live in scratch arrays shared
 * by the index's Rankers: one whose slot another Ranker took since works them out again.
 */
export class Ranker<T> {
  private readonly m: Internals;
  private readonly scratch: Scratch;
  private lengths: FlatLengths;
  /** Matches by the query term and its expansion, least recently used first. */
  private readonly known = new Map<string, TermMatches>();
  /** The index's `stateOf` when `known` was worked out. */
  private knownFor: string | undefined;

  /** The index's own Ranker, kept with it: a keystroke reuses the matches of the words the last ones had. */
  static of<T>(mini: Rankable<T>): Ranker<T> {
    let ranker = rankers.get(mini) as Ranker<T> | undefined;
    if (!ranker) {
      ranker = new Ranker(mini);
      rankers.set(mini, ranker as Ranker<unknown>);
    }
    return ranker;
  }

  constructor(mini: Rankable<T>) {
    this.m = internalsOf(mini);
    let scratch = scratchOf.get(mini);
    if (!scratch) {
      scratch = new Scratch();
      scratchOf.set(mini, scratch);
    }
    this.scratch = scratch;
    this.lengths = flatLengths(this.m);
    this.knownFor = stateOf(this.m);
  }

  /** A slot for a term's matches, none of `inUse` (this search's): a free one, or the least recently used one's. */
  private freeSlot(inUse: ReadonlySet<number>): number {
    if (this.known.size >= KEPT_MATCHES) {
      for (const [key, t] of this.known) {
        if (!inUse.has(t.slot)) {
          this.known.delete(key);
          return t.slot;
        }
      }
    }
    const taken = new Set<number>();
    this.known.forEach((t) => taken.add(t.slot));
    let slot = 0;
    while (taken.has(slot)) {
      slot++;
    }
    return slot;
  }

  search(query: string, searchOptions: RankOptions = {}): Ranked[] {
    const m = this.m;
    const options = { ...m._options.searchOptions, ...searchOptions };
    const combineWith = (options.combineWith ?? 'OR').toUpperCase();
    if (combineWith !== 'AND' && combineWith !== 'OR') {
      throw new Error(`combineWith ${options.combineWith} is not supported by rankedSearch`);
    }
    const tokenize = options.tokenize ?? m._options.tokenize;
    const processTerm = options.processTerm ?? m._options.processTerm;
    const terms = tokenize(query)
      .flatMap((t) => processTerm(t) || [])
      .slice(0, MAX_QUERY_TERMS);
    if (terms.length === 0) {
      return [];
    }
    const fields = options.fields ?? m._options.fields;
    const boosts = fields.map((f) => ({ fieldId: m._fieldIds[f], boost: (Object.prototype.hasOwnProperty.call(options.boost ?? {}, f) && options.boost?.[f]) || 1 }));
    const weights = { ...DEFAULT_WEIGHTS, ...options.weights };
    const bm25 = options.bm25 ?? DEFAULT_BM25;
    const maxFuzzy = options.maxFuzzy ?? DEFAULT_MAX_FUZZY;
    const state = stateOf(m);
    if (state === undefined || state !== this.knownFor) {
      this.known.clear();
      this.lengths = flatLengths(m);
      this.knownFor = state;
    }
    const inUse = new Set<number>();
    const matches = terms.map((term, i) => {
      const prefix = typeof options.prefix === 'function' ? options.prefix(term, i, terms) : options.prefix === true;
      const fuzzyOption = typeof options.fuzzy === 'function' ? options.fuzzy(term, i, terms) : options.fuzzy || false;
      const termBoost = typeof options.boostTerm === 'function' ? options.boostTerm(term, i, terms) : 1;
      const key = JSON.stringify([term, prefix, fuzzyOption, termBoost, maxFuzzy, weights, boosts, bm25]);
      let found = this.known.get(key);
      this.known.delete(key); // (set again below: the most recently used last)
      if (!found || !this.scratch.holds(found.slot, found.stamp)) {
        const derived = deriveTerms(m, term, prefix, fuzzyOption, maxFuzzy, weights);
        const slot = found?.slot ?? this.freeSlot(inUse);
        const { scores, seen, docs, stamp } = this.scratch.take(slot, m._nextId);
        found = { source: term, slot, derived, scores, seen, stamp, docs, count: 0 };
        for (const d of derived) {
          accumulate(m, this.lengths, found, d, termBoost, boosts, bm25);
        }
      }
      this.known.set(key, found);
      inUse.add(found.slot);
      return found;
    });
    return rank(
      m,
      matches,
      boosts.map((b) => b.fieldId),
      combineWith === 'AND',
      options.keep,
      options.limit ?? Infinity,
    );
  }
}

/** The terms a query term stands for, in MiniSearch's order: exact, prefix completions, fuzzy neighbours. */
function deriveTerms(
  m: Internals,
  term: string,
  prefix: boolean,
  fuzzyOption: boolean | number,
  maxFuzzy: number,
  weights: { fuzzy: number; prefix: number },
): Derived[] {
  const derived: Derived[] = [];
  const exact = m._index.get(term);
  if (exact) {
    derived.push({ term, weight: 1, postings: exact });
  }
  let fuzzyMatches: Map<string, [TermPostings, number]> | undefined;
  if (fuzzyOption !== false) {
    const fuzzy = fuzzyOption === true ? 0.2 : fuzzyOption;
    const maxDistance = fuzzy < 1 ? Math.min(maxFuzzy, Math.round(term.length * fuzzy)) : fuzzy;
    if (maxDistance) {
      fuzzyMatches = m._index.fuzzyGet(term, maxDistance);
    }
  }
  if (prefix) {
    for (const [t, postings] of m._index.atPrefix(term)) {
      const distance = t.length - term.length;
      if (!distance) {
        continue;
      }
      // A prefix completion that is also a fuzzy neighbour counts as a completion.
      fuzzyMatches?.delete(t);
      derived.push({ term: t, weight: (weights.prefix * t.length) / (t.length + 0.3 * distance), postings });
    }
  }
  if (fuzzyMatches) {
    for (const [t, [postings, distance]] of fuzzyMatches) {
      if (distance) {
        derived.push({ term: t, weight: (weights.fuzzy * t.length) / (t.length + distance), postings });
      }
    }
  }
  return derived;
}

/** Adds one derived term's BM25+ scores to a query term's matches (MiniSearch's termResults, flat). */
function accumulate(
  m: Internals,
  lengths: FlatLengths,
  into: TermMatches,
  d: Derived,
  termBoost: number,
  boosts: readonly { fieldId: number; boost: number }[],
  bm25: { k: number; b: number; d: number },
): void {
  const { scores, seen, stamp, docs } = into;
  let count = into.count;
  const total = m._documentCount;
  for (const { fieldId, boost } of boosts) {
    const freqs = d.postings.get(fieldId);
    if (!freqs) {
      continue;
    }
    const avgFieldLength = m._avgFieldLength[fieldId];
    const matching = freqs.size;
    const invDocFreq = Math.log(1 + (total - matching + 0.5) / (matching + 0.5));
    // MiniSearch multiplies in this order (then by a document boost of 1, which changes no bit).
    const weight = d.weight * termBoost * boost;
    const fieldLengths = lengths.byField[fieldId];
    const add = (termFreq: number, docId: number): void => {
      const fieldLength = fieldLengths[docId];
      if (!fieldLength) {
        return; // discarded, not yet vacuumed
      }
      const raw = invDocFreq * (bm25.d + (termFreq * (bm25.k + 1)) / (termFreq + bm25.k * (1 - bm25.b + (bm25.b * fieldLength) / avgFieldLength)));
      const weighted = weight * raw;
      if (seen[docId] === stamp) {
        scores[docId] += weighted;
      } else {
        seen[docId] = stamp;
        scores[docId] = weighted;
        docs[count++] = docId;
      }
    };
    const span = freqs.span;
    if (span) {
      // A frozen index's arrays, read in a loop of their own: through `forEach`, called
      // with MiniSearch's Maps too, each posting was a call V8 did not inline (a common
      // word at 100,000 papers: 33 ms a keystroke).
      const { docs: spanDocs, freqs: spanFreqs, to } = span;
      for (let k = span.from; k < to; k++) {
        add(spanFreqs[k], spanDocs[k]);
      }
    } else {
      // forEach, not for…of: no iterator per field.
      freqs.forEach(add);
    }
  }
  into.count = count;
}

/** Combines the query terms' matches (AND: every term, OR: any), scores by quality, keeps the best. */
function rank(
  m: Internals,
  matches: readonly TermMatches[],
  fieldIds: readonly number[],
  and: boolean,
  keep: ((id: number) => boolean) | undefined,
  limit: number,
): Ranked[] {
  // (Typed, for the reason TermMatches.docs is: a common word makes tens of thousands.)
  let most = 0;
  for (const t of matches) {
    most += t.count;
  }
  const candidates = new Uint32Array(and ? Math.min(most, ...matches.map((t) => t.count)) : most);
  const finalScores = new Float64Array(candidates.length);
  let count = 0;
  const matched = (t: TermMatches, docId: number): boolean => t.seen[docId] === t.stamp;
  // MiniSearch multiplies a score by how many distinct query words the document matched:
  // a word typed twice counts once. For each term, the earlier terms with the same word.
  const sameWordBefore = matches.map((t, k) => matches.slice(0, k).filter((u) => u.source === t.source));
  const qualityOf = (docId: number): number => {
    let distinct = 0;
    for (let k = 0; k < matches.length; k++) {
      if (matched(matches[k], docId) && !sameWordBefore[k].some((u) => matched(u, docId))) {
        distinct++;
      }
    }
    return distinct || 1;
  };
  // (A keystroke's OR search may consider every document of a common word: no lookups
  // here that are not needed, the ids of the best only looked up at the end.)
  const consider = (docId: number): void => {
    if (keep && !keep(m._documentIds.get(docId)!)) {
      return;
    }
    let score = 0;
    for (const t of matches) {
      if (matched(t, docId)) {
        score = score + t.scores[docId];
      }
    }
    candidates[count] = docId;
    finalScores[count++] = score * qualityOf(docId);
  };
  if (and) {
    // Walk the rarest term's documents; each must be in every other term's.
    let rarest = matches[0];
    for (const t of matches) {
      if (t.count < rarest.count) {
        rarest = t;
      }
    }
    for (let i = 0; i < rarest.count; i++) {
      const docId = rarest.docs[i];
      if (matches.every((t) => matched(t, docId))) {
        consider(docId);
      }
    }
  } else {
    const seenAny = new Uint8Array(m._nextId);
    for (const t of matches) {
      for (let i = 0; i < t.count; i++) {
        const docId = t.docs[i];
        if (seenAny[docId] === 0) {
          seenAny[docId] = 1;
          consider(docId);
        }
      }
    }
  }
  // Higher score first; exact ties by short id, the order papers entered the index.
  const positions = new Uint32Array(count); // (`Array.from` with a mapping took 2 ms for 61,000)
  for (let i = 0; i < count; i++) {
    positions[i] = i;
  }
  const order = topK<number>(
    positions,
    limit,
    (a, b) => finalScores[a] > finalScores[b] || (finalScores[a] === finalScores[b] && candidates[a] < candidates[b]),
  );
  const terms = matchedTerms(
    matches,
    fieldIds,
    order.map((i) => candidates[i]),
  );
  return order.map((i) => ({ id: m._documentIds.get(candidates[i])!, score: finalScores[i], terms: terms.get(candidates[i])! }));
}

/**
 * The best `limit` items, best first, by `better` (a strict order: ties must be broken by
 * the caller). Sorts when most are wanted; otherwise keeps a short sorted list, so a
 * keystroke over 20,000 matches ranks 50 of them, not all.
 */
export function topK<T>(items: ArrayLike<T> & Iterable<T>, limit: number, better: (a: T, b: T) => boolean): T[] {
  if (limit >= items.length || limit > 256) {
    return [...items].sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0)).slice(0, limit);
  }
  const best: T[] = [];
  for (const item of items) {
    if (best.length === limit && !better(item, best[best.length - 1])) {
      continue;
    }
    let at = best.length;
    while (at > 0 && better(item, best[at - 1])) {
      at--;
    }
    best.splice(at, 0, item);
    if (best.length > limit) {
      best.pop();
    }
  }
  return best;
}

/**
 * The index terms each of the ranked documents matched in the searched fields, in the
 * order MiniSearch lists them. A prefix can stand for hundreds of terms, most of them
 * rare: each term's postings are walked when they are fewer than the documents asked
 * about, and looked up per document otherwise.
 */
function matchedTerms(matches: readonly TermMatches[], fieldIds: readonly number[], docIds: readonly number[]): Map<number, string[]> {
  const out = new Map<number, string[]>(docIds.map((d) => [d, []]));
  for (const t of matches) {
    for (const d of t.derived) {
      const having = new Set<number>();
      for (const f of fieldIds) {
        const freqs = d.postings.get(f);
        if (!freqs) {
          continue;
        }
        if (freqs.size < docIds.length) {
          freqs.forEach((_, docId) => {
            if (out.has(docId)) {
              having.add(docId);
            }
          });
        } else {
          for (const docId of docIds) {
            if (freqs.has(docId)) {
              having.add(docId);
            }
          }
        }
      }
      for (const docId of having) {
        const terms = out.get(docId)!;
        if (t.seen[docId] === t.stamp && !terms.includes(d.term)) {
          terms.push(d.term);
        }
      }
    }
  }
  return out;
}
