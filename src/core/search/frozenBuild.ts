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
import { codeUnitsOf, FROZEN_FORMAT, NO_LENGTH, postingRuns, type FrozenData } from './frozenIndex';

/**
 * A field's terms when they are known without the general path: exactly what
 * `processTerm` gives for each token of `tokenize(extractField(doc, field))`, every token
 * kept and unchanged by `processTerm`. `undefined` sends the field down the general path.
 */
export type ProcessedTokens<T> = (doc: T, field: string) => readonly string[] | undefined;

/** MiniSearch's options as it completes them, and its field ids. */
interface Completed<T> {
  readonly _options: Required<Pick<Options<T>, 'idField' | 'fields' | 'extractField' | 'stringifyField' | 'tokenize' | 'processTerm'>>;
  readonly _fieldIds: Record<string, number>;
}

/** A typed array twice as long: `array` first, then `fill`. */
function doubled<A extends Int32Array | Uint32Array>(array: A, fill = 0): A {
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
}

/**
 * Terms numbered in the order they first come: open addressing over their FNV-1a hashes
 * in typed arrays. A first indexing looks a term up for every token (1.6 million at
 * 20,000 papers); a Map of strings spent a third of the indexing doing it.
 */
class TermTable {
  readonly terms: string[] = [];
  private hashes = new Int32Array(1024);
  private slots = new Int32Array(1 << 16).fill(-1);

  /** The term's number: the one it has, or the next one. */
  number(term: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < term.length; i++) {
      h = Math.imul(h ^ term.charCodeAt(i), 0x01000193);
    }
    const mask = this.slots.length - 1;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const id = this.slots[at];
      if (id < 0) {
        return this.add(term, h, at);
      }
      if (this.hashes[id] === h && this.terms[id] === term) {
        return id;
      }
    }
  }

  private add(term: string, h: number, at: number): number {
    const id = this.terms.length;
    this.terms.push(term);
    if (id === this.hashes.length) {
      this.hashes = doubled(this.hashes);
    }
    this.hashes[id] = h;
    this.slots[at] = id;
    if (this.terms.length * 2 > this.slots.length) {
      // At most half full: probes stay short. Each term goes where its hash says in the bigger table.
      const slots = new Int32Array(this.slots.length * 2).fill(-1);
      const mask = slots.length - 1;
      for (let t = 0; t < this.terms.length; t++) {
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

  private addTerm(term: string): void {
    const id = this.termTable.number(term);
    if (id === this.slotOfTerm.length) {
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
        for (const term of known) {
          this.addTerm(term);
        }
        unique = fieldTerms.length;
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

  /** The frozen index of `documents`, in this order (see `indexFrozen`). */
  index(documents: readonly T[]): FrozenData {
    const { o, fieldIds, fieldCount, termTable } = this;
    const count = documents.length;
    const documentIds = new Float64Array(count);
    const seenIds = new Set<number>();
    const fieldLength = new Uint32Array(count * fieldCount).fill(NO_LENGTH);
    const avgFieldLength: number[] = [];
    const fields = o.fields.map((f) => fieldIds[f]);
    // Postings as they come: term, field, document, frequency.
    const capacity = Math.max(1024, count * 64);
    const postingTerm = new Column(capacity);
    const postingField = new Column(capacity);
    const postingDoc = new Column(capacity);
    const postingFreq = new Column(capacity);
    for (let d = 0; d < count; d++) {
      const doc = documents[d];
      const id = o.extractField(doc, o.idField);
      if (typeof id !== 'number' || seenIds.has(id)) {
        throw new Error(`cannot index a document with the id ${String(id)}: ids must be distinct numbers`);
      }
      seenIds.add(id);
      documentIds[d] = id;
      let at = this.recordOf.get(doc) ?? this.record(doc);
      const data = this.records.array; // (after `record`: it may have grown)
      for (const fieldId of fields) {
        const unique = data[at++] | 0; // (ABSENT was stored as an unsigned number)
        if (unique === ABSENT) {
          continue;
        }
        // MiniSearch's running average, to the bit (`addFieldLength`).
        fieldLength[d * fieldCount + fieldId] = unique;
        avgFieldLength[fieldId] = ((avgFieldLength[fieldId] || 0) * d + unique) / (d + 1);
        const n = data[at++];
        for (let k = 0; k < n; k++) {
          postingTerm.push(data[at++]);
          postingField.push(fieldId);
          postingDoc.push(d);
          postingFreq.push(data[at++]);
        }
      }
    }
    this.recordOf.clear();

    // The terms in code-unit order, and each term's rank in it: only terms with postings
    // (a document tokenized ahead, then changed or gone, leaves its terms numbered).
    const total = postingDoc.length;
    const used = new Uint8Array(termTable.terms.length);
    for (let k = 0; k < total; k++) {
      used[postingTerm.array[k]] = 1;
    }
    const live = used.every((u) => u === 1) ? termTable.terms : termTable.terms.filter((_, t) => used[t] === 1);
    const sortedTerms = inCodeUnitOrder(live);
    const termCount = sortedTerms.length;
    const rankOf = new Uint32Array(termTable.terms.length);
    sortedTerms.forEach((term, rank) => (rankOf[termTable.number(term)] = rank));
    const termStart = new Uint32Array(termCount + 1);
    sortedTerms.forEach((term, rank) => (termStart[rank + 1] = termStart[rank] + term.length));

    // Postings grouped by term and field: a stable counting sort keeps each run's documents ascending.
    const postingStart = new Uint32Array(termCount * fieldCount + 1);
    let maxFreq = 0;
    for (let k = 0; k < total; k++) {
      postingStart[rankOf[postingTerm.array[k]] * fieldCount + postingField.array[k] + 1]++;
      maxFreq = Math.max(maxFreq, postingFreq.array[k]);
    }
    for (let r = 0; r + 1 < postingStart.length; r++) {
      postingStart[r + 1] += postingStart[r];
    }
    const next = postingStart.slice(0, postingStart.length - 1);
    const docs = new Uint32Array(total);
    const freqs = maxFreq <= 0xff ? new Uint8Array(total) : maxFreq <= 0xffff ? new Uint16Array(total) : new Uint32Array(total);
    for (let k = 0; k < total; k++) {
      const at = next[rankOf[postingTerm.array[k]] * fieldCount + postingField.array[k]]++;
      docs[at] = postingDoc.array[k];
      freqs[at] = postingFreq.array[k];
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
      termText: codeUnitsOf(sortedTerms, termStart[termCount]),
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
function distinctCount(tokens: readonly string[]): number {
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

/**
 * Strings in code-unit order (the default sort's), sorted by their first two code units
 * as a number, then each run of the same two by comparison: 227,000 terms in 0.33–0.41 s
 * against 0.55–0.76 s for one sort of them all.
 */
function inCodeUnitOrder(strings: readonly string[]): string[] {
  const runs = new Map<number, string[]>();
  for (const s of strings) {
    // A string of one code unit comes before every longer one that starts with it.
    const key = s.length === 0 ? 0 : s.charCodeAt(0) * 0x10001 + (s.length > 1 ? s.charCodeAt(1) + 1 : 0);
    const run = runs.get(key);
    if (run) {
      run.push(s);
    } else {
      runs.set(key, [s]);
    }
  }
  const out: string[] = [];
  for (const key of Float64Array.from(runs.keys()).sort()) {
    for (const s of runs.get(key)!.sort()) {
      out.push(s);
    }
  }
  return out;
}
