// A whole library indexed straight into a frozen index (frozenIndex.ts), without
// MiniSearch's Maps: what `addAll` then `freeze` give, but for the order of the terms.
//
// A first indexing of 20,000 papers spent most of its time in MiniSearch's structures:
// a Set of each field's tokens, a nested Map per term (term → field → document →
// frequency), the radix tree, and the garbage they leave. Here each document's fields are
// tokenized and processed by the index's own options, each term is numbered once in one
// hash table (TermTable), and the postings are written to flat arrays, then grouped by
// term and field with a counting sort (kept as runs: `postingRuns`). Documents may be
// tokenized ahead, as they come, and put together later (`FrozenBuilder`). The terms are
// kept in code-unit order, which is also a radix tree's depth-first order when its nodes'
// keys are in that order (`thaw` builds it so); `addAll` then `freeze` keep them in the order they first came. Every term,
// posting, field length and average is the same as theirs (a unit test compares them); a
// query's prefix or typo expansions are visited in the other order, so a score that adds
// up several of them may differ in its last bits.
import MiniSearch, { type Options } from 'minisearch';
import { FROZEN_FORMAT, NO_LENGTH, postingRuns, type FrozenData } from './frozenIndex';
import { FNV_BASIS, fnvStep } from '../text/fnv';

/**
 * A field's terms when they are known without the general path: exactly what
 * `processTerm` gives for the tokens of `tokenize(extractField(doc, field))` (the tokens
 * it drops left out), and how many distinct tokens there are (the field's length, as
 * MiniSearch counts it: before `processTerm`). `undefined` sends the field down the
 * general path.
 */
export type ProcessedTokens<T> = (doc: T, field: string) => { readonly terms: readonly string[]; readonly distinct: number } | undefined;

/** MiniSearch's options as it completes them, and its field ids. */
interface Completed<T> {
  readonly _options: Required<Pick<Options<T>, 'idField' | 'fields' | 'extractField' | 'stringifyField' | 'tokenize' | 'processTerm'>>;
  readonly _fieldIds: Record<string, number>;
}

/** A typed array twice as long: `array` first, then `fill`. */
function doubled<A extends Int32Array | Uint32Array | Uint16Array>(array: A, fill = 0): A {
  const bigger = new (array.constructor as new (length: number) => A)(array.length * 2);
  bigger.set(array);
  if (fill !== 0) {
    bigger.fill(fill, array.length);
  }
  return bigger;
}

/** A growing run of numbers in a typed array. */
class Column {
  array: Uint32Array;
  length = 0;

  constructor(capacity: number) {
    this.array = new Uint32Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.array.length) {
      this.array = doubled(this.array);
    }
    this.array[this.length++] = value;
  }

  /** Room for `count` more, written straight into `array` from `length` on. */
  reserve(count: number): Uint32Array {
    while (this.length + count > this.array.length) {
      this.array = doubled(this.array);
    }
    return this.array;
  }
}

/**
 * Terms numbered in the order they first come: open addressing over their FNV-1a hashes
 * in typed arrays. A first indexing looks a term up for every token (1.6 million at
 * 20,000 papers); a Map of strings spent a third of the indexing doing it. Each term's
 * code units are copied, one term after another, when it is first numbered: a look-up
 * compares with them, sorting the terms reads them there (`inCodeUnitOrder`), and the
 * index's term text is made of them. No term's string is kept: a token cut out of a
 * longer string may be a slice of it that holds the whole (V8's sliced strings), and
 * keeping the terms' strings held 120 MB at 100,000 papers where the units take 17.
 */
class TermTable {
  /** Terms numbered so far. */
  count = 0;
  private hashes = new Int32Array(1024);
  private slots = new Int32Array(1 << 16).fill(-1);
  /** Term i is code units `[begin[i], begin[i] + size[i])` of `units`; `widest` is the largest unit. */
  units = new Uint16Array(1 << 16);
  begin = new Uint32Array(1024);
  size = new Uint32Array(1024);
  private unitCount = 0;
  widest = 0;

  /** The term's number: the one it has, or the next one. */
  number(term: string): number {
    let h = FNV_BASIS;
    for (let i = 0; i < term.length; i++) {
      h = fnvStep(h, term.charCodeAt(i));
    }
    const mask = this.slots.length - 1;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const id = this.slots[at];
      if (id < 0) {
        return this.add(term, h, at);
      }
      if (this.hashes[id] === h && this.is(id, term)) {
        return id;
      }
    }
  }

  /** Whether term `id` is `term`. */
  private is(id: number, term: string): boolean {
    if (this.size[id] !== term.length) {
      return false;
    }
    const { units } = this;
    for (let k = 0, at = this.begin[id]; k < term.length; k++, at++) {
      if (units[at] !== term.charCodeAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** Terms `[from, to)`, as strings. */
  text(from: number, to: number): string[] {
    const out: string[] = [];
    for (let id = from; id < to; id++) {
      let term = '';
      // (In pieces: a term may be as long as the longest token, and arguments are few.)
      for (let at = this.begin[id], end = at + this.size[id]; at < end; at += 4096) {
        term += String.fromCharCode(...this.units.subarray(at, Math.min(at + 4096, end)));
      }
      out.push(term);
    }
    return out;
  }

  private add(term: string, h: number, at: number): number {
    const id = this.count++;
    if (id === this.hashes.length) {
      this.hashes = doubled(this.hashes);
      this.begin = doubled(this.begin);
      this.size = doubled(this.size);
    }
    this.hashes[id] = h;
    this.slots[at] = id;
    while (this.unitCount + term.length > this.units.length) {
      this.units = doubled(this.units);
    }
    const { units } = this;
    let to = this.unitCount;
    this.begin[id] = to;
    this.size[id] = term.length;
    for (let k = 0; k < term.length; k++) {
      const c = term.charCodeAt(k);
      this.widest = c > this.widest ? c : this.widest;
      units[to++] = c;
    }
    this.unitCount = to;
    if (this.count * 2 > this.slots.length) {
      // At most half full: probes stay short. Each term goes where its hash says in the bigger table.
      const slots = new Int32Array(this.slots.length * 2).fill(-1);
      const mask = slots.length - 1;
      for (let t = 0; t < this.count; t++) {
        let k = this.hashes[t] & mask;
        while (slots[k] >= 0) {
          k = (k + 1) & mask;
        }
        slots[k] = t;
      }
      this.slots = slots;
    }
    return id;
  }
}

/**
 * The frozen index of `documents` (short ids in their order), as MiniSearch with these
 * options would index them into an empty index (see the file comment). Throws on a
 * document without a numeric id, or on a duplicate id.
 */
export function indexFrozen<T>(documents: readonly T[], options: Options<T>, processed?: ProcessedTokens<T>): FrozenData {
  return new FrozenBuilder(options, processed).index(documents);
}

/** Documents tokenized by one builder for another (`FrozenBuilder.tokenizeApart`, `adopt`): plain data, sent between threads. */
export interface Tokenized {
  /** The terms numbered since the previous batch, in number order. */
  readonly terms: readonly string[];
  /** The documents' records, one after another (see `FrozenBuilder`). */
  readonly records: Uint32Array;
}

/** A field absent from a document, in a record (MiniSearch leaves its length unset). */
const ABSENT = -1;

/**
 * `indexFrozen` in two parts: documents may be tokenized ahead (`tokenize`, while their
 * library is still being read), then `index` puts together the index of the documents it
 * is given — those tokenized ahead as they were, the others now. A document's record is
 * its fields' distinct-token counts and (term number, frequency) pairs, in one column.
 */
export class FrozenBuilder<T> {
  private readonly o: Completed<T>['_options'];
  private readonly fieldIds: Record<string, number>;
  private readonly fieldCount: number;
  private readonly termTable = new TermTable();
  /** Records, one after another: per field its distinct count (or ABSENT), its term count, then (term, frequency) pairs. */
  private readonly records = new Column(1 << 16);
  private readonly recordOf = new Map<T, number>();
  // One field of one document: its terms (by number) in the order met, and their counts.
  private slotOfTerm = new Int32Array(1024);
  private stampOfTerm = new Int32Array(1024).fill(-1);
  private readonly fieldTerms: number[] = [];
  private readonly fieldFreqs: number[] = [];
  private stamp = 0;
  /** Terms numbered here that `tokenizeApart` has sent. */
  private termsSent = 0;
  /** The other builder's term numbers → this one's (`adopt`). */
  private theirTerms = new Int32Array(1024);
  private theirTermCount = 0;

  constructor(
    options: Options<T>,
    private readonly processed?: ProcessedTokens<T>,
  ) {
    const { _options, _fieldIds } = new MiniSearch<T>(options) as unknown as Completed<T>;
    this.o = _options;
    this.fieldIds = _fieldIds;
    this.fieldCount = Math.max(0, ...Object.values(_fieldIds)) + 1;
  }

  /** Tokenizes a document ahead of `index` (again if it was: its newest record counts). */
  tokenize(doc: T): void {
    this.recordOf.set(doc, this.record(doc));
  }

  /** Forgets a document tokenized ahead that will not be indexed (its terms stay numbered, unused). */
  forget(doc: T): void {
    this.recordOf.delete(doc);
  }

  /**
   * Tokenizes documents for another builder to `adopt` (a second thread's share of a
   * first indexing): their records, with the terms numbered since the last batch. This
   * builder keeps only its term numbers; batches must be adopted in the order made.
   */
  tokenizeApart(docs: readonly T[]): Tokenized {
    this.records.length = 0;
    for (const doc of docs) {
      this.record(doc);
    }
    const terms = this.termTable.text(this.termsSent, this.termTable.count);
    this.termsSent = this.termTable.count;
    return { terms, records: this.records.array.slice(0, this.records.length) };
  }

  /**
   * Takes the records another builder made (`tokenizeApart`) as if these documents had
   * been tokenized here; `undefined` stands for a document since replaced or gone, whose
   * record is skipped. Every batch of that builder comes here, in order (its terms are
   * numbered incrementally).
   */
  adopt(docs: readonly (T | undefined)[], tokenized: Tokenized): void {
    const { termTable, records } = this;
    const fieldCount = this.o.fields.length;
    let theirs = this.theirTerms;
    const known = this.theirTermCount;
    if (known + tokenized.terms.length > theirs.length) {
      theirs = new Int32Array(Math.max(theirs.length * 2, known + tokenized.terms.length));
      theirs.set(this.theirTerms);
      this.theirTerms = theirs;
    }
    tokenized.terms.forEach((term, i) => (theirs[known + i] = termTable.number(term)));
    this.theirTermCount = known + tokenized.terms.length;
    const data = tokenized.records;
    // At most as many numbers as came (a skipped record writes none).
    const out = records.reserve(data.length);
    let to = records.length;
    let at = 0;
    for (const doc of docs) {
      const start = to;
      for (let f = 0; f < fieldCount; f++) {
        const unique = data[at++];
        const n = (unique | 0) === ABSENT ? 0 : data[at++];
        if (doc) {
          out[to++] = unique;
          if ((unique | 0) !== ABSENT) {
            out[to++] = n;
            for (let k = at, end = at + 2 * n; k < end; k += 2) {
              out[to++] = theirs[data[k]];
              out[to++] = data[k + 1];
            }
          }
        }
        at += 2 * n;
      }
      if (doc) {
        this.recordOf.set(doc, start);
      }
    }
    if (at !== data.length) {
      // Not records of these documents: none of them is taken (`index` tokenizes them).
      docs.forEach((doc) => doc && this.recordOf.delete(doc));
      throw new Error(`adopted records of ${docs.length} documents read ${at} of ${data.length} numbers`);
    }
    records.length = to;
  }

  private addTerm(term: string): void {
    const id = this.termTable.number(term);
    while (id >= this.slotOfTerm.length) {
      // (Adopted records number terms too: `id` may be past the end by more than one.)
      this.slotOfTerm = doubled(this.slotOfTerm);
      this.stampOfTerm = doubled(this.stampOfTerm, -1);
    }
    if (this.stampOfTerm[id] === this.stamp) {
      this.fieldFreqs[this.slotOfTerm[id]]++;
    } else {
      this.stampOfTerm[id] = this.stamp;
      this.slotOfTerm[id] = this.fieldTerms.length;
      this.fieldTerms.push(id);
      this.fieldFreqs.push(1);
    }
  }

  /** Writes a document's record; returns where it starts. */
  private record(doc: T): number {
    const { o, records, fieldTerms, fieldFreqs } = this;
    const at = records.length;
    for (const field of o.fields) {
      this.stamp++;
      fieldTerms.length = 0;
      fieldFreqs.length = 0;
      let unique: number;
      const known = this.processed?.(doc, field);
      if (known) {
        for (const term of known.terms) {
          this.addTerm(term);
        }
        unique = known.distinct;
      } else {
        const value = o.extractField(doc, field);
        if (value === null || value === undefined) {
          records.push(ABSENT);
          continue;
        }
        const tokens = o.tokenize(o.stringifyField(value, field), field);
        unique = distinctCount(tokens);
        for (const token of tokens) {
          const term = o.processTerm(token, field);
          if (Array.isArray(term)) {
            for (const t of term as string[]) {
              this.addTerm(t);
            }
          } else if (term) {
            this.addTerm(term);
          }
        }
      }
      records.push(unique);
      records.push(fieldTerms.length);
      for (let k = 0; k < fieldTerms.length; k++) {
        records.push(fieldTerms[k]);
        records.push(fieldFreqs[k]);
      }
    }
    return at;
  }

  /**
   * The frozen index of `documents`, in this order (see `indexFrozen`). The postings are
   * read from the documents' records three times (the terms used; how many postings
   * each term and field has; where each goes) rather than copied out into columns of
   * their own first: 100,000 papers' 3.5 million postings took 1.6 s through four
   * columns.
   */
  index(documents: readonly T[]): FrozenData {
    const { o, fieldIds, fieldCount, termTable } = this;
    const count = documents.length;
    const documentIds = new Float64Array(count);
    const seenIds = new Set<number>();
    const fieldLength = new Uint32Array(count * fieldCount).fill(NO_LENGTH);
    const avgFieldLength: number[] = [];
    const fields = o.fields.map((f) => fieldIds[f]);
    /** Where each document's record starts. */
    const recordAt = new Uint32Array(count);
    for (let d = 0; d < count; d++) {
      const doc = documents[d];
      const id = o.extractField(doc, o.idField);
      if (typeof id !== 'number' || seenIds.has(id)) {
        throw new Error(`cannot index a document with the id ${String(id)}: ids must be distinct numbers`);
      }
      seenIds.add(id);
      documentIds[d] = id;
      recordAt[d] = this.recordOf.get(doc) ?? this.record(doc);
    }
    this.recordOf.clear();
    const data = this.records.array; // (after every `record`: it may have grown)

    // The field lengths, and which terms have postings (a document tokenized ahead, then
    // changed or gone, leaves its terms numbered).
    const used = new Uint8Array(termTable.count);
    let total = 0;
    for (let d = 0; d < count; d++) {
      let at = recordAt[d];
      for (const fieldId of fields) {
        const unique = data[at++] | 0; // (ABSENT was stored as an unsigned number)
        if (unique === ABSENT) {
          continue;
        }
        // MiniSearch's running average, to the bit (`addFieldLength`).
        fieldLength[d * fieldCount + fieldId] = unique;
        avgFieldLength[fieldId] = ((avgFieldLength[fieldId] || 0) * d + unique) / (d + 1);
        const n = data[at++];
        for (const end = at + 2 * n; at < end; at += 2) {
          used[data[at]] = 1;
        }
        total += n;
      }
    }

    // The terms in code-unit order, and each term's rank in it: only terms with postings.
    let live = 0;
    for (let t = 0; t < used.length; t++) {
      live += used[t];
    }
    const order = new Int32Array(live);
    for (let t = 0, r = 0; t < used.length; t++) {
      if (used[t] === 1) {
        order[r++] = t;
      }
    }
    const { units } = termTable;
    // (Where each term's units start and how many, in that order: read in order below.)
    const { from, length } = inCodeUnitOrder(units, termTable.begin, termTable.size, order);
    const termCount = order.length;
    const rankOf = new Uint32Array(termTable.count);
    const termStart = new Uint32Array(termCount + 1);
    for (let rank = 0; rank < termCount; rank++) {
      rankOf[order[rank]] = rank;
      termStart[rank + 1] = termStart[rank] + length[rank];
    }
    // The terms' code units in that order: a byte each when every one is Latin-1.
    const termText = termTable.widest > 0xff ? new Uint16Array(termStart[termCount]) : new Uint8Array(termStart[termCount]);
    for (let rank = 0, to = 0; rank < termCount; rank++) {
      for (let k = from[rank], end = k + length[rank]; k < end; k++) {
        termText[to++] = units[k];
      }
    }

    // Postings grouped by term and field: a stable counting sort (documents in order) keeps
    // each run's documents ascending. (Its two passes over the records are written out: one
    // function calling back for each posting made the put-together slower, 100k medians
    // 2,058 against 1,894 ms over fifteen runs each, out/tmp/idxab.ts.)
    const postingStart = new Uint32Array(termCount * fieldCount + 1);
    let maxFreq = 0;
    for (let d = 0; d < count; d++) {
      let at = recordAt[d];
      for (const fieldId of fields) {
        if ((data[at++] | 0) === ABSENT) {
          continue;
        }
        const n = data[at++];
        for (const end = at + 2 * n; at < end; at += 2) {
          // The term's rank replaces its number in the record, read again just below (the
          // records are not read after this: `recordOf` was cleared).
          const rank = rankOf[data[at]];
          data[at] = rank;
          postingStart[rank * fieldCount + fieldId + 1]++;
          maxFreq = Math.max(maxFreq, data[at + 1]);
        }
      }
    }
    for (let r = 0; r + 1 < postingStart.length; r++) {
      postingStart[r + 1] += postingStart[r];
    }
    const next = postingStart.slice(0, postingStart.length - 1);
    const docs = new Uint32Array(total);
    const freqs = maxFreq <= 0xff ? new Uint8Array(total) : maxFreq <= 0xffff ? new Uint16Array(total) : new Uint32Array(total);
    for (let d = 0; d < count; d++) {
      let at = recordAt[d];
      for (const fieldId of fields) {
        if ((data[at++] | 0) === ABSENT) {
          continue;
        }
        const n = data[at++];
        for (const end = at + 2 * n; at < end; at += 2) {
          const to = next[data[at] * fieldCount + fieldId]++;
          docs[to] = d;
          freqs[to] = data[at + 1];
        }
      }
    }
    return {
      format: FROZEN_FORMAT,
      fieldIds: { ...fieldIds },
      fieldCount,
      documentCount: count,
      nextId: count,
      dirtCount: 0,
      avgFieldLength,
      documentIds,
      fieldLength,
      termText: termTable.widest > 0xff && !termText.some((c) => c > 0xff) ? Uint8Array.from(termText) : termText,
      termStart,
      sorted: identity(termCount),
      ...postingRuns(postingStart, termCount, fieldCount),
      postingDoc: docs,
      postingFreq: freqs,
    };
  }
}

/** 0, 1, …, length − 1 (`Uint32Array.from(keys())` took 30 ms for 225k terms). */
function identity(length: number): Uint32Array {
  const out = new Uint32Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = i;
  }
  return out;
}

/**
 * How many distinct strings: a field's tokens are mostly a title's dozen, compared pair
 * by pair without the Set that took 48 of the 450 ms indexing spent in its own loop at
 * 20,000 papers.
 */
export function distinctCount(tokens: readonly string[]): number {
  if (tokens.length > 32) {
    return new Set(tokens).size;
  }
  let count = 0;
  for (let i = 0; i < tokens.length; i++) {
    let seen = false;
    for (let j = 0; j < i && !seen; j++) {
      seen = tokens[j] === tokens[i];
    }
    count += seen ? 0 : 1;
  }
  return count;
}

/** Ranges of `inCodeUnitOrder` this short are sorted by comparison; ranges wider in code units than this too. */
const SHORT_RANGE = 24;
const WIDEST_BUCKETS = 1024;

/**
 * Sorts `order` (term numbers) into the terms' code-unit order (the default sort's), with
 * a most-significant-digit radix sort over their code units (`units`, term t from
 * `begin[t]`, `size[t]` long): each range of terms that agree up to `depth` is bucketed by
 * its code unit there (a term that ends first comes first), a short range by comparison.
 * The 920,000 terms of the bench's 100,000-paper library: 0.32–0.43 s, against 1.0–1.2 s
 * for the strings put in buckets by their first two code units, each sorted by
 * comparison (the string reads chasing pointers; 20,000 papers: indexing's last part
 * 0.80–0.82 s → 0.51 s). Returns where each term's units start and how many, in the
 * sorted order (moved along with `order`), so that the caller reads them in order too.
 */
function inCodeUnitOrder(units: Uint16Array, begin: Uint32Array, size: Uint32Array, order: Int32Array): { from: Uint32Array; length: Uint32Array } {
  const n = order.length;
  // Where each term's units start and how many: moved along with `order`, so that every
  // pass reads them in order (only the unit at `depth` is read where it lies).
  const from = new Uint32Array(n);
  const length = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    from[i] = begin[order[i]];
    length[i] = size[order[i]];
  }
  const moved = { order: new Int32Array(n), from: new Uint32Array(n), length: new Uint32Array(n) };
  /** Copies positions `[start, end)` of `moved` back, in their new order. */
  const takeMoved = (start: number, end: number): void => {
    order.set(moved.order.subarray(start, end), start);
    from.set(moved.from.subarray(start, end), start);
    length.set(moved.length.subarray(start, end), start);
  };
  let counts = new Int32Array(258);
  // Ranges still to sort: start, end, depth.
  const stack: number[] = [0, n, 0];
  while (stack.length > 0) {
    const depth = stack.pop()!;
    const end = stack.pop()!;
    const start = stack.pop()!;
    if (end - start <= SHORT_RANGE) {
      byComparison(units, order, from, length, start, end, depth);
      continue;
    }
    // Units at `depth` span [low, high]; a term as long as `depth` goes first.
    let low = 0xffff;
    let high = 0;
    for (let i = start; i < end; i++) {
      if (depth < length[i]) {
        const c = units[from[i] + depth];
        low = c < low ? c : low;
        high = c > high ? c : high;
      }
    }
    if (high < low) {
      continue; // every term ends here: all equal (terms are distinct: one at most)
    }
    const width = high - low + 2; // bucket 0: terms that end at `depth`
    if (width > WIDEST_BUCKETS) {
      // Scripts far apart (Latin and CJK, say): compared rather than bucketed by the code units they span.
      const positions = Array.from({ length: end - start }, (_, k) => start + k).sort((a, b) => compareUnits(units, from[a], length[a], from[b], length[b], depth));
      positions.forEach((p, k) => {
        moved.order[start + k] = order[p];
        moved.from[start + k] = from[p];
        moved.length[start + k] = length[p];
      });
      takeMoved(start, end);
      continue;
    }
    if (counts.length < width + 1) {
      counts = new Int32Array(width + 1);
    }
    counts.fill(0, 0, width + 1);
    const base = 1 - low;
    for (let i = start; i < end; i++) {
      counts[(depth < length[i] ? units[from[i] + depth] + base : 0) + 1]++;
    }
    for (let b = 0; b < width; b++) {
      counts[b + 1] += counts[b];
    }
    // counts[b] is now where bucket b starts, relative to `start`; after the scattering, where it ends.
    for (let i = start; i < end; i++) {
      const to = start + counts[depth < length[i] ? units[from[i] + depth] + base : 0]++;
      moved.order[to] = order[i];
      moved.from[to] = from[i];
      moved.length[to] = length[i];
    }
    takeMoved(start, end);
    for (let b = 1; b < width; b++) {
      if (counts[b] - counts[b - 1] > 1) {
        stack.push(start + counts[b - 1], start + counts[b], depth + 1);
      }
    }
  }
  return { from, length };
}

/** Two runs of code units compared from `depth` (they agree before it): negative, zero or positive. */
function compareUnits(units: Uint16Array, a: number, aLength: number, b: number, bLength: number, depth: number): number {
  const common = Math.min(aLength, bLength);
  for (let k = depth; k < common; k++) {
    const d = units[a + k] - units[b + k];
    if (d !== 0) {
      return d;
    }
  }
  return aLength - bLength;
}

/** Sorts positions `[start, end)` by their terms (which agree before `depth`), by insertion: a range is short. */
function byComparison(units: Uint16Array, order: Int32Array, from: Uint32Array, length: Uint32Array, start: number, end: number, depth: number): void {
  for (let i = start + 1; i < end; i++) {
    const id = order[i];
    const f = from[i];
    const l = length[i];
    let j = i - 1;
    while (j >= start && compareUnits(units, from[j], length[j], f, l, depth) > 0) {
      order[j + 1] = order[j];
      from[j + 1] = from[j];
      length[j + 1] = length[j];
      j--;
    }
    order[j + 1] = id;
    from[j + 1] = f;
    length[j + 1] = l;
  }
}
