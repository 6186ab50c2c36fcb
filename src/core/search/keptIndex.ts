// The library an index worker keeps between sessions, and how it is read back.
//
// Kept: the index frozen (frozenIndex.ts: typed arrays and one string) and the papers
// packed (each paper's JSON, UTF-8, one after another: bytes to copy, not objects to
// build). Read back, a `KeptReader` answers searches at once: the index is ranked as it
// lies, and a paper is decoded only when a search needs it (a hit, or a filter checking
// it). A reader is read-only; `index()` thaws it into a PaperIndex that can change.
import MiniSearch from 'minisearch';
import type { Paper } from '../library/paper';
import type { FoldedFields, ParsedQuery } from './query';
import { foldedFields } from './query';
import { FrozenIndex, type FrozenData } from './frozenIndex';
import { indexOptions, LIBRARY_FORMAT, PaperIndex, relatedPapers, searchPapers, type MatchMode, type SearchHit, type SearchSource } from './searchIndex';

/** Papers as bytes: paper i is the UTF-8 JSON `bytes[offsets[i], offsets[i + 1])`, its id `ids[i]`. */
export interface PackedPapers {
  readonly ids: Float64Array;
  readonly offsets: Uint32Array;
  readonly bytes: Uint8Array;
}

/** What is kept of an index between sessions. */
export interface KeptLibrary {
  readonly format: number;
  readonly papers: PackedPapers;
  readonly frozen: FrozenData;
}

export function packPapers(papers: readonly Paper[]): PackedPapers {
  const encoder = new TextEncoder();
  const parts = papers.map((p) => encoder.encode(JSON.stringify(p)));
  const offsets = new Uint32Array(parts.length + 1);
  parts.forEach((part, i) => (offsets[i + 1] = offsets[i] + part.length));
  const bytes = new Uint8Array(offsets[parts.length]);
  parts.forEach((part, i) => bytes.set(part, offsets[i]));
  return { ids: Float64Array.from(papers, (p) => p.id), offsets, bytes };
}

/** An index to keep: its papers packed, its full text frozen. */
export function keepIndex(index: PaperIndex): KeptLibrary {
  return { format: LIBRARY_FORMAT, papers: packPapers(index.papers), frozen: index.freeze() };
}

/** MiniSearch's options as it completes them (the frozen index ranks with them) and its field ids. */
let fresh: { readonly _options: FrozenIndex['_options']; readonly _fieldIds: Record<string, number> } | undefined;

/**
 * A kept library read back, searchable as it lies (see the file comment). Throws on
 * anything that is not a kept library of this format whose parts agree.
 */
export class KeptReader implements SearchSource {
  readonly rankable: FrozenIndex;
  private readonly position = new Map<number, number>();
  private readonly decoded: (Paper | undefined)[];
  private readonly folded = new Map<number, FoldedFields>();
  private all: Paper[] | undefined;
  private foldedList: FoldedFields[] | undefined;
  private readonly decoder = new TextDecoder();

  constructor(private readonly kept: KeptLibrary) {
    const packed = kept?.papers;
    if (
      kept?.format !== LIBRARY_FORMAT ||
      !(packed?.ids instanceof Float64Array) ||
      !(packed.offsets instanceof Uint32Array) ||
      !(packed.bytes instanceof Uint8Array) ||
      packed.offsets.length !== packed.ids.length + 1 ||
      packed.offsets[packed.ids.length] !== packed.bytes.length
    ) {
      throw new Error('not a kept library of this format');
    }
    fresh ??= new MiniSearch<Paper>(indexOptions()) as unknown as NonNullable<typeof fresh>;
    this.rankable = new FrozenIndex(kept.frozen, fresh._options);
    if (JSON.stringify(this.rankable._fieldIds) !== JSON.stringify(fresh._fieldIds)) {
      throw new Error('a kept index of other fields');
    }
    if (this.rankable.documentCount !== packed.ids.length) {
      throw new Error('a kept library whose index and papers differ');
    }
    packed.ids.forEach((id, i) => this.position.set(id, i));
    this.decoded = new Array<Paper | undefined>(packed.ids.length);
    // One paper read now: bytes that do not decode fail here, not in a search.
    if (packed.ids.length > 0 && this.at(0).id !== packed.ids[0]) {
      throw new Error('a kept library whose papers are not where it says');
    }
  }

  private at(i: number): Paper {
    let paper = this.decoded[i];
    if (!paper) {
      const { offsets, bytes } = this.kept.papers;
      paper = JSON.parse(this.decoder.decode(bytes.subarray(offsets[i], offsets[i + 1]))) as Paper;
      this.decoded[i] = paper;
    }
    return paper;
  }

  get size(): number {
    return this.position.size;
  }

  /** Every paper (all decoded: a filter-only query, or thawing). */
  get papers(): readonly Paper[] {
    this.all ??= Array.from(this.decoded, (_, i) => this.at(i));
    return this.all;
  }

  get(id: number): Paper | undefined {
    const i = this.position.get(id);
    return i === undefined ? undefined : this.at(i);
  }

  foldedOf(id: number): FoldedFields {
    let f = this.folded.get(id);
    if (!f) {
      f = foldedFields(this.get(id)!);
      this.folded.set(id, f);
    }
    return f;
  }

  foldedAt(i: number): FoldedFields {
    this.foldedList ??= this.papers.map((p) => this.foldedOf(p.id));
    return this.foldedList[i];
  }

  search(input: string | ParsedQuery, options: { limit?: number; mode?: MatchMode } = {}): SearchHit[] {
    return searchPapers(this, input, options);
  }

  related(paper: Pick<Paper, 'id' | 'title' | 'abstract'>, count = 5): Paper[] {
    return relatedPapers(this, paper, count);
  }

  /** The kept library as it was stored (to store it again under other sources). */
  get library(): KeptLibrary {
    return this.kept;
  }

  /** A PaperIndex of the same papers and index, to be changed (the full text thawed: ~1 s at 20,000 papers). */
  index(): PaperIndex {
    return PaperIndex.thawed(this.papers, this.kept.frozen);
  }
}
