// The library an index worker keeps between sessions, and how it is read back.
//
// Kept: the index frozen (frozenIndex.ts: typed arrays and one string) and the papers
// packed (each paper's JSON, UTF-8, one after another, with an offset table). The packed
// papers are the entry's tail, stored after everything else and not read with it: a
// `KeptReader` answers searches as soon as the index is read, ranks it as it lies, and
// reads and decodes a paper only when a search needs it (a hit, or a filter checking
// it). A reader is read-only; `index()` thaws it into a PaperIndex that can change.
import MiniSearch from 'minisearch';
import type { Paper } from '../library/paper';
import type { ParsedQuery } from './query';
import { foldedFields } from './query';
import { finish, FrozenIndex, type FrozenData } from './frozenIndex';
import { indexOptions, LIBRARY_FORMAT, PaperIndex, relatedPapers, searchPapers, type MatchMode, type SearchHit, type SearchSource } from './searchIndex';
import type { FilterFields } from './passing';

/** Where the packed papers are: paper i is the UTF-8 JSON of the tail's bytes `[offsets[i], offsets[i + 1])`, its id `ids[i]`. */
export interface PaperTable {
  readonly ids: Float64Array;
  readonly offsets: Uint32Array;
}

/** What is kept of an index between sessions, but the packed papers (the entry's tail). */
export interface KeptLibrary {
  readonly format: number;
  readonly papers: PaperTable;
  readonly frozen: FrozenData;
}

/** The packed papers of a kept entry, read a range at a time. */
export interface PaperBytes {
  readonly length: number;
  /** Bytes `[start, end)`; throws when they cannot be read. */
  read(start: number, end: number): Uint8Array;
}

/** Papers packed: their table, and the bytes the table points into. */
export function packPapers(papers: readonly Paper[]): { table: PaperTable; bytes: Uint8Array } {
  return finish(packPapersInSteps(papers));
}

/**
 * Papers a step of storing an index handles (packing them, digesting them): a few
 * milliseconds. Storing runs while searches are answered, and a search that comes
 * during a step waits for it: steps of a thousand papers took 18–20 ms at 20,000 papers
 * with abstracts, and with the slice around them a keystroke waited up to ~40 ms.
 */
export const STORE_STEP_PAPERS = 250;

/** Papers whose filter fields are read together, from one read of their bytes (`readFilterRun`): a few milliseconds' work. */
const FILTER_RUN = 250;

/**
 * `packPapers`, yielding every STORE_STEP_PAPERS papers: each paper's JSON is encoded
 * into one buffer as it is made (encoding them all at the end held a worker 2.4 s at
 * 100,000 papers).
 */
function* packPapersInSteps(papers: readonly Paper[]): Generator<void, { table: PaperTable; bytes: Uint8Array }> {
  const encoder = new TextEncoder();
  const offsets = new Uint32Array(papers.length + 1);
  let bytes = new Uint8Array(1 << 16);
  let at = 0;
  for (let i = 0; i < papers.length; i++) {
    const json = JSON.stringify(papers[i]);
    // UTF-8 takes at most three bytes per UTF-16 code unit. Grown to what the papers so far
    // promise for them all, with room to spare: a late doubling copied ~100 MB at 100,000 papers.
    if (at + json.length * 3 > bytes.length) {
      const promised = i > 0 ? Math.ceil((at / i) * papers.length * 1.25) : 0;
      const bigger = new Uint8Array(Math.max(bytes.length * 2, promised, at + json.length * 3));
      bigger.set(bytes.subarray(0, at));
      bytes = bigger;
    }
    at += encoder.encodeInto(json, bytes.subarray(at)).written;
    offsets[i + 1] = at;
    if ((i + 1) % STORE_STEP_PAPERS === 0) {
      yield;
    }
  }
  return { table: { ids: Float64Array.from(papers, (p) => p.id), offsets }, bytes: bytes.subarray(0, at) };
}

/**
 * An index to keep: its full text frozen and its papers' table, and the packed papers (the
 * tail) — in steps (seconds of work at 20,000 papers): the index must not change before
 * the last.
 */
export function* keepIndexInSteps(index: PaperIndex): Generator<void, { library: KeptLibrary; tail: Uint8Array }> {
  const frozen = yield* index.freezeInSteps();
  const { table, bytes } = yield* packPapersInSteps(index.papers);
  return { library: { format: LIBRARY_FORMAT, papers: table, frozen }, tail: bytes };
}

/** Bytes in memory as PaperBytes. */
export function bytesInMemory(bytes: Uint8Array): PaperBytes {
  return { length: bytes.length, read: (start, end) => bytes.subarray(start, end) };
}

/** MiniSearch's options as it completes them (the frozen index ranks with them) and its field ids. */
let fresh: { readonly _options: FrozenIndex['_options']; readonly _fieldIds: Record<string, number> } | undefined;

/**
 * Positions by id: halving the ids when they ascend (papers are kept in id order), a Map
 * otherwise (a Map of 100,000 ids took 25–33 ms of a reopen's preload). Throws on an id
 * that comes twice.
 */
function positions(ids: ArrayLike<number>): (id: number) => number | undefined {
  let ascending = true;
  for (let i = 1; i < ids.length && ascending; i++) {
    ascending = ids[i] > ids[i - 1];
  }
  if (ascending) {
    return (id) => {
      let lo = 0;
      let hi = ids.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if (ids[mid] < id) {
          lo = mid + 1;
        } else if (ids[mid] > id) {
          hi = mid - 1;
        } else {
          return ids[mid] === id ? mid : undefined; // not NaN, which compares neither way
        }
      }
      return undefined;
    };
  }
  const byId = new Map<number, number>();
  for (let i = 0; i < ids.length; i++) {
    byId.set(ids[i], i);
  }
  if (byId.size !== ids.length) {
    throw new Error('a kept library with an id twice');
  }
  return (id) => byId.get(id);
}

/**
 * A library searchable as it lies: a frozen index and its papers — a kept library read
 * back (`new KeptReader`: its papers decoded one at a time, when a search needs one) or
 * a library just indexed straight into the frozen layout (`KeptReader.indexed`: its
 * papers in memory, packed only when stored). Throws on anything that is not a kept
 * library of this format whose parts agree.
 */
export class KeptReader implements SearchSource {
  readonly rankable: FrozenIndex;
  /** A paper's position by its id (see `positions`). */
  private readonly position: (id: number) => number | undefined;
  private readonly count: number;
  private readonly decoded: (Paper | undefined)[];
  private all: Paper[] | undefined;
  /** What the filters read of each paper, by position (`filterFieldsAt`). */
  private filterFields: (FilterFields | undefined)[] | undefined;
  private readonly decoder = new TextDecoder();
  private readonly kept: KeptLibrary | undefined;
  private readonly bytes: PaperBytes | undefined;
  private readonly frozen: FrozenData;

  constructor(kept: KeptLibrary, bytes: PaperBytes);
  constructor(kept: { frozen: FrozenData }, bytes: undefined, papers: Paper[]);
  constructor(kept: KeptLibrary | { frozen: FrozenData }, bytes: PaperBytes | undefined, papers?: Paper[]) {
    let ids: ArrayLike<number>;
    if (papers) {
      ids = papers.map((p) => p.id);
    } else {
      const packed = (kept as KeptLibrary)?.papers;
      if (
        (kept as KeptLibrary)?.format !== LIBRARY_FORMAT ||
        !(packed?.ids instanceof Float64Array) ||
        !(packed.offsets instanceof Uint32Array) ||
        packed.offsets.length !== packed.ids.length + 1 ||
        packed.offsets[packed.ids.length] !== bytes?.length
      ) {
        throw new Error('not a kept library of this format');
      }
      ids = packed.ids;
      this.kept = kept as KeptLibrary;
      this.bytes = bytes;
    }
    fresh ??= new MiniSearch<Paper>(indexOptions()) as unknown as NonNullable<typeof fresh>;
    this.frozen = kept?.frozen;
    this.rankable = new FrozenIndex(this.frozen, fresh._options);
    if (JSON.stringify(this.rankable._fieldIds) !== JSON.stringify(fresh._fieldIds)) {
      throw new Error('a kept index of other fields');
    }
    if (this.rankable.documentCount !== ids.length) {
      throw new Error('a kept library whose index and papers differ');
    }
    this.position = positions(ids);
    this.count = ids.length;
    this.all = papers;
    this.decoded = papers ?? new Array<Paper | undefined>(ids.length);
    // One paper read now: bytes that do not decode fail here, not in a search.
    if (ids.length > 0 && this.at(0).id !== ids[0]) {
      throw new Error('a kept library whose papers are not where it says');
    }
  }

  /** Papers just indexed into `frozen` (`indexFrozen` over these papers, in this order). */
  static indexed(papers: Paper[], frozen: FrozenData): KeptReader {
    return new KeptReader({ frozen }, undefined, papers);
  }

  private at(i: number): Paper {
    let paper = this.decoded[i];
    if (!paper) {
      const { offsets } = this.kept!.papers;
      paper = JSON.parse(this.decoder.decode(this.bytes!.read(offsets[i], offsets[i + 1]))) as Paper;
      this.decoded[i] = paper;
    }
    return paper;
  }

  get size(): number {
    return this.count;
  }

  /** Every paper (all read and decoded, in one read: a filter-only query, or thawing). */
  get papers(): readonly Paper[] {
    if (!this.all) {
      const { offsets } = this.kept!.papers;
      const all = this.bytes!.read(0, this.bytes!.length);
      this.all = Array.from(this.decoded, (known, i) => known ?? (JSON.parse(this.decoder.decode(all.subarray(offsets[i], offsets[i + 1]))) as Paper));
    }
    return this.all;
  }

  get(id: number): Paper | undefined {
    const i = this.position(id);
    return i === undefined ? undefined : this.at(i);
  }

  /** A kept library never changes (a change thaws it into a PaperIndex): the filters' key to its papers is itself. */
  get filterKey(): object {
    return this;
  }

  filterFieldsAt(i: number): FilterFields {
    this.filterFields ??= new Array<FilterFields | undefined>(this.count);
    let fields = this.filterFields[i];
    if (!fields) {
      this.readFilterRun(this.filterFields, i);
      fields = this.filterFields[i]!;
    }
    return fields;
  }

  paperAt(i: number): Paper {
    return this.all?.[i] ?? this.at(i);
  }

  /**
   * The filter fields of FILTER_RUN papers from `from` on: of papers in memory as they are;
   * of the others from one read of their bytes, decoded for it and not kept (a kept
   * library's papers stay in their bytes until a search shows them: holding 100,000 of
   * them decoded would double the worker's heap for the sake of two strings each).
   */
  private readFilterRun(fields: (FilterFields | undefined)[], from: number): void {
    const to = Math.min(this.count, from + FILTER_RUN);
    const of = (p: Paper): FilterFields => ({ id: p.id, year: p.year, folded: foldedFields(p) });
    if (!this.kept || !this.bytes || this.all) {
      for (let i = from; i < to; i++) {
        fields[i] ??= of(this.paperAt(i));
      }
      return;
    }
    const { offsets } = this.kept.papers;
    const run = this.bytes.read(offsets[from], offsets[to]);
    for (let i = from; i < to; i++) {
      fields[i] ??= of(this.decoded[i] ?? (JSON.parse(this.decoder.decode(run.subarray(offsets[i] - offsets[from], offsets[i + 1] - offsets[from]))) as Paper));
    }
  }

  search(input: string | ParsedQuery, options: { limit?: number; mode?: MatchMode } = {}): SearchHit[] {
    return searchPapers(this, input, options);
  }

  related(paper: Pick<Paper, 'id' | 'title' | 'abstract'>, count = 5): Paper[] {
    return relatedPapers(this, paper, count);
  }

  /**
   * The library to keep, and its packed papers: a kept library as it was stored (to store
   * it again under other sources), papers just indexed packed in steps.
   */
  *storedInSteps(): Generator<void, { library: KeptLibrary; tail: Uint8Array }> {
    if (this.kept && this.bytes) {
      return { library: this.kept, tail: this.bytes.read(0, this.bytes.length) };
    }
    const { table, bytes } = yield* packPapersInSteps(this.papers);
    return { library: { format: LIBRARY_FORMAT, papers: table, frozen: this.frozen }, tail: bytes };
  }

  /** A PaperIndex of the same papers and index, to be changed (the full text thawed: ~1 s at 20,000 papers). */
  index(): PaperIndex {
    return PaperIndex.thawed(this.papers, this.frozen, this.filterFields);
  }
}
