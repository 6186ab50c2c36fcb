// A MiniSearch index frozen into flat arrays: read-only, loaded without rebuilding
// anything, and ranked by ranking.ts exactly as the index it was frozen from.
//
// A kept index in MiniSearch's own shape is hundreds of thousands of Maps (one per term
// and field): V8 takes 0.8 s to deserialise those of 20,000 papers, and a window reload
// waited for it. Frozen, the same index is a handful of typed arrays (the terms' code
// units among them), read back as they lie in the file's bytes; a term's postings become
// a Map only when a query reaches the term.
//
// The terms are kept in the order MiniSearch's radix tree yields them to its fuzzy search
// (depth first, each node's keys in insertion order); its iterator (`atPrefix`) yields
// exactly the reverse (it walks each node's keys from the last), and the terms under a
// prefix are contiguous in both. A second
// array orders the terms by code unit, which finds a prefix by binary search and walks
// the sorted terms as an implicit trie for the fuzzy search. Derived terms come out in
// MiniSearch's order, so scores add up in the same order and are the same to the bit (a
// unit test compares them with the index frozen).
import type MiniSearch from 'minisearch';
import type { Options } from 'minisearch';
import { fromState } from './bulkIndex';
import type { DocFrequencies, DocumentStatistics, PostingSpan, TermPostings } from './ranking';

type Postings = Map<number, Map<number, number>>; // fieldId → shortId → term frequency

/** Bumped whenever the layout below changes. */
export const FROZEN_FORMAT = 3;

/** A field length MiniSearch never set (a field the document has no value for): a hole in its array, not a 0. */
export const NO_LENGTH = 0xffffffff;

/** A frozen index: plain data, typed arrays and one string (V8's serializer copies them whole). */
export interface FrozenData {
  readonly format: number;
  readonly fieldIds: Readonly<Record<string, number>>;
  readonly fieldCount: number;
  readonly documentCount: number;
  readonly nextId: number;
  /** Documents discarded and not yet vacuumed (MiniSearch's count, kept for `thaw`). */
  readonly dirtCount: number;
  readonly avgFieldLength: readonly number[];
  /** Short id → the document's id (NaN where no document lives). */
  readonly documentIds: Float64Array;
  /** Field lengths of live documents, `fieldCount` per short id (NO_LENGTH where MiniSearch has none). */
  readonly fieldLength: Uint32Array;
  /**
   * Every term's code units, one term after another, in the fuzzy search's order (see
   * above): a byte each when every one is Latin-1. Typed, so that a kept head is read as
   * it lies (a string was copied out of it: 79 ms of a 100,000-paper preload).
   */
  readonly termText: Uint8Array | Uint16Array;
  /** Term i is code units `[termStart[i], termStart[i + 1])` of `termText`. */
  readonly termStart: Uint32Array;
  /** Term indexes in code-unit order. */
  readonly sorted: Uint32Array;
  /**
   * Postings by term and field, as runs: term i's runs are `[termRuns[i], termRuns[i + 1])`,
   * and run r holds field `runField[r]`'s postings `[runStart[r], runStart[r + 1])`, fields
   * ascending within a term, no run empty. (A start for every term and field, most of
   * them empty, was 29.5 of a 100,000-paper kept head's 86 MB.)
   */
  readonly termRuns: Uint32Array;
  readonly runField: Uint8Array;
  readonly runStart: Uint32Array;
  readonly postingDoc: Uint32Array;
  /** Term frequencies, in the narrowest array that holds them (most are 1 or 2: a byte each). */
  readonly postingFreq: Uint8Array | Uint16Array | Uint32Array;
}

/** The parts of MiniSearch 7's instance read here: what ranking.ts reads, and its radix tree. */
interface Source extends DocumentStatistics {
  /** SearchableMap's tree: edges to nodes, '' to a term's postings. */
  _index: { _tree: Map<string, unknown> };
  _dirtCount: number;
}

/** Freezes an index as it is now (discarded documents not yet vacuumed included, as MiniSearch counts them). */
export function freeze<T>(mini: MiniSearch<T>): FrozenData {
  return finish(freezeInSteps(mini));
}

/** Runs steps to the end; their result. */
export function finish<R>(steps: Generator<void, R>): R {
  for (;;) {
    const step = steps.next();
    if (step.done) {
      return step.value;
    }
  }
}

/** How much work a step of `freezeInSteps` does between yields: terms or nodes visited, postings copied. */
const STEP = 20_000;

/**
 * `freeze`, yielding every few thousand terms, so that a worker storing an index while
 * idle can stop the moment a message comes: the index must not change between steps.
 */
export function* freezeInSteps<T>(mini: MiniSearch<T>): Generator<void, FrozenData> {
  const m = mini as unknown as Source;
  if (!(m._fieldLength instanceof Map) || !(m._documentIds instanceof Map) || typeof m._nextId !== 'number' || !(m._index?._tree instanceof Map)) {
    throw new Error('MiniSearch internals changed: frozenIndex.ts must follow the new version');
  }
  const fieldCount = Math.max(0, ...Object.values(m._fieldIds)) + 1;
  type Node = Map<string, unknown>;
  // The terms in the fuzzy search's order: depth first, each node's keys as they come.
  const terms: string[] = [];
  const postingsOf: Postings[] = [];
  const stack: { entries: Iterator<[string, unknown]>; prefix: string }[] = [{ entries: m._index._tree.entries(), prefix: '' }];
  for (let n = 1; stack.length > 0; n++) {
    const top = stack[stack.length - 1];
    const next = top.entries.next();
    if (next.done) {
      stack.pop();
    } else if (next.value[0] === '') {
      terms.push(top.prefix);
      postingsOf.push(next.value[1] as Postings);
    } else {
      stack.push({ entries: (next.value[1] as Node).entries(), prefix: top.prefix + next.value[0] });
    }
    if (n % STEP === 0) {
      yield;
    }
  }
  // In code-unit order: the same tree, a node's own term first, then its edges by their
  // first code unit (distinct from one node): no comparison of whole terms.
  const rankOf = new Map<Postings, number>(postingsOf.map((p, i) => [p, i]));
  yield;
  const sorted = new Uint32Array(terms.length);
  let rank = 0;
  const NO_EDGES: string[] = [];
  const open = (node: Node): { node: Node; edges: string[]; at: number } => {
    const own = node.get('');
    if (own !== undefined) {
      sorted[rank++] = rankOf.get(own as Postings)!;
      if (node.size === 1) {
        return { node, edges: NO_EDGES, at: 0 }; // a leaf: most nodes
      }
    }
    const edges: string[] = [];
    for (const key of node.keys()) {
      if (key !== '') {
        edges.push(key);
      }
    }
    if (edges.length > 1) {
      edges.sort((a, b) => a.charCodeAt(0) - b.charCodeAt(0));
    }
    return { node, edges, at: 0 };
  };
  const sortedStack = [open(m._index._tree)];
  for (let n = 1; sortedStack.length > 0; n++) {
    const top = sortedStack[sortedStack.length - 1];
    if (top.at === top.edges.length) {
      sortedStack.pop();
    } else {
      sortedStack.push(open(top.node.get(top.edges[top.at++]) as Node));
    }
    if (n % STEP === 0) {
      yield;
    }
  }
  const termStart = new Uint32Array(terms.length + 1);
  let postingCount = 0;
  let maxFreq = 0;
  let runCount = 0;
  const countAndMax = (docs: Map<number, number>): void => {
    postingCount += docs.size;
    runCount += docs.size > 0 ? 1 : 0;
    docs.forEach((tf) => {
      if (tf > maxFreq) {
        maxFreq = tf;
      }
    });
  };
  for (let i = 0; i < terms.length; i++) {
    termStart[i + 1] = termStart[i] + terms[i].length;
    postingsOf[i].forEach(countAndMax);
    if (i % STEP === 0) {
      yield;
    }
  }
  const termRuns = new Uint32Array(terms.length + 1);
  const runField = new Uint8Array(runCount);
  const runStart = new Uint32Array(runCount + 1);
  let run = 0;
  const postingDoc = new Uint32Array(postingCount);
  const postingFreq = maxFreq <= 0xff ? new Uint8Array(postingCount) : maxFreq <= 0xffff ? new Uint16Array(postingCount) : new Uint32Array(postingCount);
  let at = 0;
  const copy = (tf: number, doc: number): void => {
    postingDoc[at] = doc;
    postingFreq[at] = tf;
    at++;
  };
  for (let i = 0; i < terms.length; i++) {
    const postings = postingsOf[i];
    termRuns[i] = run;
    for (let f = 0; f < fieldCount; f++) {
      const docs = postings.get(f);
      if (docs && docs.size > 0) {
        runField[run] = f;
        runStart[run++] = at;
        docs.forEach(copy);
      }
    }
    if (i % STEP === 0) {
      yield;
    }
  }
  termRuns[terms.length] = run;
  runStart[run] = at;
  const documentIds = new Float64Array(m._nextId).fill(NaN);
  const fieldLength = new Uint32Array(m._nextId * fieldCount).fill(NO_LENGTH);
  let n = 0;
  for (const [short, id] of m._documentIds) {
    documentIds[short] = id;
    const lengths = m._fieldLength.get(short) ?? [];
    for (let f = 0; f < fieldCount; f++) {
      if (f in lengths) {
        fieldLength[short * fieldCount + f] = lengths[f];
      }
    }
    if (++n % STEP === 0) {
      yield;
    }
  }
  return {
    format: FROZEN_FORMAT,
    fieldIds: { ...m._fieldIds },
    fieldCount,
    documentCount: m._documentCount,
    nextId: m._nextId,
    dirtCount: m._dirtCount,
    avgFieldLength: [...m._avgFieldLength],
    documentIds,
    fieldLength,
    termText: codeUnitsOf(terms, termStart[terms.length]),
    termStart,
    sorted,
    termRuns,
    runField,
    runStart,
    postingDoc,
    postingFreq,
  };
}

/** The code units of `terms`, one after another (`total` of them): a byte each when all are Latin-1. */
export function codeUnitsOf(terms: readonly string[], total: number): Uint8Array | Uint16Array {
  const wide = terms.some((t) => /[\u0100-\uffff]/.test(t));
  const units = wide ? new Uint16Array(total) : new Uint8Array(total);
  let at = 0;
  for (const t of terms) {
    for (let k = 0; k < t.length; k++) {
      units[at++] = t.charCodeAt(k);
    }
  }
  return units;
}

/** The string of code units `[from, to)`. */
function stringOf(units: Uint8Array | Uint16Array, from: number, to: number): string {
  let out = '';
  for (let at = from; at < to; at += 1024) {
    out += String.fromCharCode.apply(null, units.subarray(at, Math.min(to, at + 1024)) as unknown as number[]);
  }
  return out;
}

/**
 * The runs of postings (see FrozenData) from a start for every term and field
 * (`postingStart[i * fieldCount + f]`, one more at the end), as a first indexing counts them.
 */
export function postingRuns(postingStart: Uint32Array, termCount: number, fieldCount: number): Pick<FrozenData, 'termRuns' | 'runField' | 'runStart'> {
  let runCount = 0;
  for (let r = 0; r < termCount * fieldCount; r++) {
    runCount += postingStart[r + 1] > postingStart[r] ? 1 : 0;
  }
  const termRuns = new Uint32Array(termCount + 1);
  const runField = new Uint8Array(runCount);
  const runStart = new Uint32Array(runCount + 1);
  let run = 0;
  for (let i = 0; i < termCount; i++) {
    termRuns[i] = run;
    for (let f = 0; f < fieldCount; f++) {
      const from = postingStart[i * fieldCount + f];
      if (postingStart[i * fieldCount + f + 1] > from) {
        runField[run] = f;
        runStart[run++] = from;
      }
    }
  }
  termRuns[termCount] = run;
  runStart[run] = postingStart[termCount * fieldCount];
  return { termRuns, runField, runStart };
}

/** Throws unless `data` is a frozen index of this layout whose arrays agree with each other. */
function check(data: FrozenData): void {
  const ok =
    data?.format === FROZEN_FORMAT &&
    Number.isInteger(data.fieldCount) &&
    data.fieldCount > 0 &&
    Number.isInteger(data.nextId) &&
    Number.isInteger(data.dirtCount) &&
    data.documentIds instanceof Float64Array &&
    data.documentIds.length === data.nextId &&
    data.fieldLength instanceof Uint32Array &&
    data.fieldLength.length === data.nextId * data.fieldCount &&
    (data.termText instanceof Uint8Array || data.termText instanceof Uint16Array) &&
    data.termStart instanceof Uint32Array &&
    data.termStart[data.termStart.length - 1] === data.termText.length &&
    data.sorted instanceof Uint32Array &&
    data.sorted.length === data.termStart.length - 1 &&
    data.fieldCount <= 256 &&
    data.termRuns instanceof Uint32Array &&
    data.termRuns.length === data.sorted.length + 1 &&
    data.runField instanceof Uint8Array &&
    data.runStart instanceof Uint32Array &&
    data.runStart.length === data.runField.length + 1 &&
    data.termRuns[0] === 0 &&
    data.termRuns[data.termRuns.length - 1] === data.runField.length &&
    data.postingDoc instanceof Uint32Array &&
    (data.postingFreq instanceof Uint8Array || data.postingFreq instanceof Uint16Array || data.postingFreq instanceof Uint32Array) &&
    data.postingDoc.length === data.postingFreq.length &&
    data.runStart[0] === 0 &&
    data.runStart[data.runStart.length - 1] === data.postingDoc.length &&
    Array.isArray(data.avgFieldLength) &&
    data.avgFieldLength.length >= data.fieldCount;
  if (!ok || !postingsInOrder(data)) {
    throw new Error('not a frozen index of this layout');
  }
}

/**
 * Whether each term's runs follow on from the last term's, each run holds a field of
 * the index after the run before it in that term, none is empty, and each lists live
 * short ids in ascending order, as MiniSearch adds them: `FrozenDocs.has` searches them
 * by halves. (At 100k papers, within the spread of a reopen: the worker answered
 * 489–807 ms after it started with this check, 474–546 ms without, six starts each.)
 */
function postingsInOrder(data: FrozenData): boolean {
  const { termRuns, runField, runStart, postingDoc, nextId, fieldCount } = data;
  for (let i = 0; i + 1 < termRuns.length; i++) {
    const first = termRuns[i];
    const end = termRuns[i + 1];
    if (end < first) {
      return false;
    }
    for (let r = first; r < end; r++) {
      if (runField[r] >= fieldCount || (r > first && runField[r] <= runField[r - 1])) {
        return false;
      }
      const from = runStart[r];
      const to = runStart[r + 1];
      if (to <= from) {
        return false;
      }
      let last = -1;
      for (let k = from; k < to; k++) {
        const doc = postingDoc[k];
        if (doc <= last || doc >= nextId) {
          return false;
        }
        last = doc;
      }
    }
  }
  return true;
}

/**
 * MiniSearch's short id → id Map, read from the frozen `documentIds` (NaN where a
 * document was removed) instead of filled: filling one took 39–40 ms of a reopen's
 * preload at 100,000 papers. Read-only.
 */
class ShortIds extends Map<number, number> {
  constructor(
    private readonly ids: Float64Array,
    private readonly count: number,
  ) {
    super();
  }

  override get size(): number {
    return this.count;
  }

  override has(short: number): boolean {
    return Number.isInteger(short) && short >= 0 && short < this.ids.length && !Number.isNaN(this.ids[short]);
  }

  override get(short: number): number | undefined {
    return this.has(short) ? this.ids[short] : undefined;
  }

  override *entries(): MapIterator<[number, number]> {
    for (let short = 0; short < this.ids.length; short++) {
      if (!Number.isNaN(this.ids[short])) {
        yield [short, this.ids[short]];
      }
    }
  }

  override [Symbol.iterator](): MapIterator<[number, number]> {
    return this.entries();
  }

  override *keys(): MapIterator<number> {
    for (const [short] of this.entries()) {
      yield short;
    }
  }

  override *values(): MapIterator<number> {
    for (const [, id] of this.entries()) {
      yield id;
    }
  }

  override forEach(callback: (id: number, short: number, map: Map<number, number>) => void, thisArg?: unknown): void {
    for (const [short, id] of this.entries()) {
      callback.call(thisArg, id, short, this);
    }
  }

  override set(): this {
    throw new Error('a frozen index is read-only');
  }

  override delete(): boolean {
    throw new Error('a frozen index is read-only');
  }

  override clear(): void {
    throw new Error('a frozen index is read-only');
  }
}

/**
 * A frozen index, in the shape ranking.ts reads from a MiniSearch instance: the ranking
 * cannot tell them apart. Read-only.
 */
export class FrozenIndex {
  readonly _fieldIds: Record<string, number>;
  readonly _avgFieldLength: number[];
  readonly _flatLengths: Uint32Array[];
  readonly _documentIds: Map<number, number>;
  readonly _documentCount: number;
  readonly _nextId: number;
  readonly _index: FrozenTerms;

  /** `options` must be those of the MiniSearch instance that was frozen, as MiniSearch completed them (`_options`). */
  constructor(
    data: FrozenData,
    readonly _options: Options<unknown> & { fields: string[]; tokenize: (text: string, field?: string) => string[] },
  ) {
    check(data);
    this._fieldIds = { ...data.fieldIds };
    this._avgFieldLength = [...data.avgFieldLength];
    this._documentCount = data.documentCount;
    this._nextId = data.nextId;
    this._flatLengths = Array.from({ length: data.fieldCount }, () => new Uint32Array(data.nextId));
    let live = 0;
    for (let short = 0; short < data.nextId; short++) {
      const id = data.documentIds[short];
      if (!Number.isNaN(id)) {
        live++;
        for (let f = 0; f < data.fieldCount; f++) {
          const length = data.fieldLength[short * data.fieldCount + f];
          this._flatLengths[f][short] = length === NO_LENGTH ? 0 : length;
        }
      }
    }
    this._documentIds = new ShortIds(data.documentIds, live);
    this._index = new FrozenTerms(data);
  }

  get documentCount(): number {
    return this._documentCount;
  }
}

/** The radix tree's three look-ups (`get`, `atPrefix`, `fuzzyGet`) over the frozen terms. */
class FrozenTerms {
  private readonly text: Uint8Array | Uint16Array;
  private readonly start: Uint32Array;
  private readonly sorted: Uint32Array;

  constructor(private readonly data: FrozenData) {
    this.text = data.termText;
    this.start = data.termStart;
    this.sorted = data.sorted;
  }

  term(i: number): string {
    return stringOf(this.text, this.start[i], this.start[i + 1]);
  }

  /** Term i against `s`, code unit by code unit, without making term i a string: < 0, 0 or > 0. */
  private compare(i: number, s: string): number {
    const from = this.start[i];
    const length = this.start[i + 1] - from;
    const common = Math.min(length, s.length);
    for (let k = 0; k < common; k++) {
      const d = this.text[from + k] - s.charCodeAt(k);
      if (d !== 0) {
        return d;
      }
    }
    return length - s.length;
  }

  /** Whether term i starts with `prefix`. */
  private startsWith(i: number, prefix: string): boolean {
    const from = this.start[i];
    if (this.start[i + 1] - from < prefix.length) {
      return false;
    }
    for (let k = 0; k < prefix.length; k++) {
      if (this.text[from + k] !== prefix.charCodeAt(k)) {
        return false;
      }
    }
    return true;
  }

  length(i: number): number {
    return this.start[i + 1] - this.start[i];
  }

  /** Code unit `depth` of term i (the term is longer than `depth`). */
  charAt(i: number, depth: number): number {
    return this.text[this.start[i] + depth];
  }

  /** Term i's postings, read in place by the ranking (no Map made). */
  postings(i: number): TermPostings {
    return new FrozenPostings(this.data, i);
  }

  /** Term i's postings as MiniSearch holds them, made when first read (ThawedPostings). */
  postingMaps(i: number): Postings {
    return new ThawedPostings(this.data, i);
  }

  /** The first position in sorted order whose term is not less than `s`. */
  private lowerBound(s: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.sorted[mid], s) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  get(term: string): TermPostings | undefined {
    const at = this.lowerBound(term);
    return at < this.sorted.length && this.compare(this.sorted[at], term) === 0 ? this.postings(this.sorted[at]) : undefined;
  }

  /** Every term starting with `prefix` (itself included), in MiniSearch's iteration order. */
  atPrefix(prefix: string): [string, TermPostings][] {
    const found: number[] = [];
    for (let at = this.lowerBound(prefix); at < this.sorted.length; at++) {
      const i = this.sorted[at];
      if (!this.startsWith(i, prefix)) {
        break;
      }
      found.push(i);
    }
    // A subtree: contiguous in the tree's order, which the iterator walks backwards.
    found.sort((a, b) => b - a);
    return found.map((i) => [this.term(i), this.postings(i)]);
  }

  /**
   * Every term within `maxDistance` edits (Levenshtein) of `query`, with its distance, in
   * the order MiniSearch's fuzzy search finds them. The sorted terms are walked as a trie:
   * the terms sharing a prefix are a run, split by their next code unit; a Levenshtein
   * row per depth, a branch dropped once its row's minimum exceeds the distance.
   */
  fuzzyGet(query: string, maxDistance: number): Map<string, [TermPostings, number]> {
    const n = query.length + 1;
    const maxDepth = query.length + maxDistance;
    const rows = new Int32Array((maxDepth + 1) * n);
    for (let j = 0; j < n; j++) {
      rows[j] = j;
    }
    const q = Array.from({ length: query.length }, (_, j) => query.charCodeAt(j));
    const found: { i: number; distance: number }[] = [];
    const walk = (lo: number, hi: number, depth: number): void => {
      let at = lo;
      const row = depth * n;
      // The one term that ends here sorts first.
      if (this.length(this.sorted[at]) === depth) {
        const distance = rows[row + n - 1];
        if (distance <= maxDistance) {
          found.push({ i: this.sorted[at], distance });
        }
        at++;
      }
      if (depth >= maxDepth) {
        return;
      }
      while (at < hi) {
        const c = this.charAt(this.sorted[at], depth);
        // The run of terms with this code unit next: binary search for its end.
        let l = at + 1;
        let h = hi;
        while (l < h) {
          const mid = (l + h) >>> 1;
          if (this.charAt(this.sorted[mid], depth) <= c) {
            l = mid + 1;
          } else {
            h = mid;
          }
        }
        const next = row + n;
        rows[next] = depth + 1;
        let min = rows[next];
        for (let j = 1; j < n; j++) {
          const value = Math.min(rows[row + j - 1] + (q[j - 1] === c ? 0 : 1), rows[row + j] + 1, rows[next + j - 1] + 1);
          rows[next + j] = value;
          if (value < min) {
            min = value;
          }
        }
        if (min <= maxDistance) {
          walk(at, l, depth + 1);
        }
        at = l;
      }
    };
    if (this.sorted.length > 0) {
      walk(0, this.sorted.length, 0);
    }
    found.sort((a, b) => a.i - b.i);
    return new Map(found.map(({ i, distance }) => [this.term(i), [this.postings(i), distance]]));
  }
}

/** A term's postings in a frozen index, by field: views of its arrays. */
class FrozenPostings implements TermPostings {
  constructor(
    private readonly data: FrozenData,
    private readonly term: number,
  ) {}

  get(fieldId: number): DocFrequencies | undefined {
    const { termRuns, runField, runStart } = this.data;
    // A term is in a field or two, rarely more: its runs are read in turn.
    for (let r = termRuns[this.term]; r < termRuns[this.term + 1]; r++) {
      if (runField[r] === fieldId) {
        return new FrozenDocs(this.data, runStart[r], runStart[r + 1]);
      }
    }
    return undefined;
  }
}

/** A term's documents in one field: postings `[from, to)` of a frozen index. */
class FrozenDocs implements DocFrequencies {
  constructor(
    private readonly data: FrozenData,
    private readonly from: number,
    private readonly to: number,
  ) {}

  get size(): number {
    return this.to - this.from;
  }

  get span(): PostingSpan {
    return { docs: this.data.postingDoc, freqs: this.data.postingFreq, from: this.from, to: this.to };
  }

  forEach(each: (termFreq: number, docId: number) => void): void {
    const { postingDoc, postingFreq } = this.data;
    for (let k = this.from; k < this.to; k++) {
      each(postingFreq[k], postingDoc[k]);
    }
  }

  has(docId: number): boolean {
    return postingOf(this.data.postingDoc, this.from, this.to, docId) >= 0;
  }
}

/** Where `docId` is among postings `[from, to)`, by binary search (a term's documents in a field are in ascending order: `check` holds that); -1 if not there. */
function postingOf(postingDoc: Uint32Array, from: number, to: number, docId: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (postingDoc[mid] < docId) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < to && postingDoc[lo] === docId ? lo : -1;
}

/**
 * A Map that is empty until first read or changed (any method), then filled once by
 * `fill`: part of a thawed index that MiniSearch has not reached yet. A subclass may
 * answer reads itself while `unfilled` (ThawedDocs).
 */
abstract class FilledOnUse<K, V> extends Map<K, V> {
  protected unfilled = true;

  /** Puts the Map's entries in, with `put` (called once). */
  protected abstract fill(): void;

  private ready(): void {
    if (this.unfilled) {
      this.unfilled = false;
      this.fill();
    }
  }

  protected put(key: K, value: V): void {
    super.set(key, value);
  }

  override get size(): number {
    this.ready();
    return super.size;
  }

  override get(key: K): V | undefined {
    this.ready();
    return super.get(key);
  }

  override has(key: K): boolean {
    this.ready();
    return super.has(key);
  }

  override set(key: K, value: V): this {
    this.ready();
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    this.ready();
    return super.delete(key);
  }

  override clear(): void {
    this.unfilled = false;
    super.clear();
  }

  override forEach(each: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    this.ready();
    super.forEach(each, thisArg);
  }

  override entries(): MapIterator<[K, V]> {
    this.ready();
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  override keys(): MapIterator<K> {
    this.ready();
    return super.keys();
  }

  override values(): MapIterator<V> {
    this.ready();
    return super.values();
  }
}

/**
 * A node of a thawed index's radix tree (SearchableMap's: edges to nodes, '' to a term's
 * postings), made when MiniSearch first reaches it: the terms `[lo, hi)`, which share
 * their first `depth` code units. Edges from a node start with distinct code units, and a
 * subtree's terms are contiguous (the terms are in the tree's order): a node's keys are
 * the runs of terms by their next code unit, each edge as long as its run's common
 * prefix; a term that ends at the node is its leaf (''), first, as MiniSearch has it. A
 * thaw built the whole tree, a million nodes at 100,000 papers (2–2.5 s), where a save
 * reaches the few paths of the terms it changes and a search those it looks up.
 */
class ThawedNode extends FilledOnUse<string, unknown> {
  constructor(
    private readonly terms: FrozenTerms,
    private readonly lo: number,
    private readonly hi: number,
    private readonly depth: number,
  ) {
    super();
  }

  protected fill(): void {
    const { terms, hi, depth } = this;
    let i = this.lo;
    while (i < hi) {
      if (terms.length(i) === depth) {
        this.put('', terms.postingMaps(i));
        i++;
        continue;
      }
      const c = terms.charAt(i, depth);
      let j = i + 1;
      while (j < hi && terms.length(j) > depth && terms.charAt(j, depth) === c) {
        j++;
      }
      let common = terms.length(i) - depth;
      for (let k = i + 1; k < j && common > 1; k++) {
        const most = Math.min(common, terms.length(k) - depth);
        let l = 1;
        while (l < most && terms.charAt(k, depth + l) === terms.charAt(i, depth + l)) {
          l++;
        }
        common = l;
      }
      this.put(terms.term(i).slice(depth, depth + common), new ThawedNode(terms, i, j, depth + common));
      i = j;
    }
  }
}

/**
 * A term's postings in a thawed index, as MiniSearch holds them (a Map of field id → its
 * documents), filled with the term's fields when first used, each read in place until
 * changed (ThawedDocs). A thaw made a Map per term and field for a million terms at
 * 100,000 papers, where a search reads a few and a save changes a few hundred.
 */
class ThawedPostings extends FilledOnUse<number, Map<number, number>> {
  constructor(
    private readonly data: FrozenData,
    private readonly term: number,
  ) {
    super();
  }

  protected fill(): void {
    const { termRuns, runField, runStart } = this.data;
    for (let r = termRuns[this.term]; r < termRuns[this.term + 1]; r++) {
      this.put(runField[r], new ThawedDocs(this.data, runStart[r], runStart[r + 1]));
    }
  }
}

/**
 * A term's documents in one field of a thawed index, as MiniSearch holds them (a Map of
 * short id → term frequency), read in place from the frozen arrays until MiniSearch first
 * changes them; then copied into the Map once. Thawing made a Map entry per posting: 15
 * million at 100,000 papers, 4.7 s of the thaw's CPU and most of its collections, where
 * a save changes the postings of a few hundred terms. While unchanged it gives the
 * ranking its span, as a frozen index does. An iteration begun before a change goes on
 * over the postings as they were (MiniSearch deletes only the entry it is at while it
 * iterates: its vacuum and its search's clean-up).
 */
class ThawedDocs extends FilledOnUse<number, number> {
  constructor(
    private readonly data: FrozenData,
    private readonly from: number,
    private readonly to: number,
  ) {
    super();
  }

  /** The postings copied into the Map, to be changed. */
  protected fill(): void {
    const { postingDoc, postingFreq } = this.data;
    for (let k = this.from; k < this.to; k++) {
      this.put(postingDoc[k], postingFreq[k]);
    }
  }

  get span(): PostingSpan | undefined {
    return this.unfilled ? { docs: this.data.postingDoc, freqs: this.data.postingFreq, from: this.from, to: this.to } : undefined;
  }

  override get size(): number {
    return this.unfilled ? this.to - this.from : super.size;
  }

  override get(docId: number): number | undefined {
    if (this.unfilled) {
      const k = postingOf(this.data.postingDoc, this.from, this.to, docId);
      return k < 0 ? undefined : this.data.postingFreq[k];
    }
    return super.get(docId);
  }

  override has(docId: number): boolean {
    return this.unfilled ? postingOf(this.data.postingDoc, this.from, this.to, docId) >= 0 : super.has(docId);
  }

  override forEach(each: (termFreq: number, docId: number, map: Map<number, number>) => void, thisArg?: unknown): void {
    if (!this.unfilled) {
      super.forEach(each, thisArg);
      return;
    }
    const { postingDoc, postingFreq } = this.data;
    for (let k = this.from; k < this.to; k++) {
      each.call(thisArg, postingFreq[k], postingDoc[k], this);
    }
  }

  override *entries(): MapIterator<[number, number]> {
    if (!this.unfilled) {
      yield* super.entries();
      return;
    }
    const { postingDoc, postingFreq } = this.data;
    for (let k = this.from; k < this.to; k++) {
      yield [postingDoc[k], postingFreq[k]];
    }
  }

  override *keys(): MapIterator<number> {
    for (const [docId] of this.entries()) {
      yield docId;
    }
  }

  override *values(): MapIterator<number> {
    for (const [, termFreq] of this.entries()) {
      yield termFreq;
    }
  }
}

/**
 * MiniSearch's index back from a frozen one, to be changed again: the same radix tree
 * (the terms in the fuzzy search's order give each node's keys, and where its own term
 * sits among them, in the order they had), the same postings, ids and field lengths.
 * The tree's nodes and postings are made as MiniSearch reaches them (ThawedNode,
 * ThawedPostings, ThawedDocs), from the frozen arrays, which the index keeps: at 100,000
 * papers a thaw took 7–12 s and held 1.3 GB more than the frozen index, now 0.3 s.
 * `options` must be those the index was made with. Throws on data that is not a frozen
 * index of this layout.
 */
export function thaw<T>(data: FrozenData, options: Options<T>): MiniSearch<T> {
  check(data);
  const terms = new FrozenTerms(data);
  const count = data.sorted.length;
  const documentIds = new Map<number, unknown>();
  const fieldLength = new Map<number, number[]>();
  for (let short = 0; short < data.nextId; short++) {
    const id = data.documentIds[short];
    if (!Number.isNaN(id)) {
      documentIds.set(short, id);
      // Sparse, as MiniSearch leaves it: a field without a value has no length.
      const lengths: number[] = [];
      for (let f = 0; f < data.fieldCount; f++) {
        const length = data.fieldLength[short * data.fieldCount + f];
        if (length !== NO_LENGTH) {
          lengths[f] = length;
        }
      }
      if (lengths.length > 0) {
        fieldLength.set(short, lengths);
      }
    }
  }
  return fromState<T>(
    {
      tree: new ThawedNode(terms, 0, count, 0),
      documentIds,
      fieldLength,
      storedFields: new Map(),
      fieldIds: { ...data.fieldIds },
      averageFieldLength: [...data.avgFieldLength],
      documentCount: data.documentCount,
      nextId: data.nextId,
      dirtCount: data.dirtCount,
    },
    options,
  );
}
