import MiniSearch, { type AsPlainObject, type Options, type SearchOptions } from 'minisearch';
import type { Paper } from '../library/paper';
import { foldedFields, parseQuery, type FoldedFields, type ParsedQuery } from './query';
import { newestPassing, passingIds, type FilterFields, type FilterSource } from './passing';
import { fold, isAscii } from '../text/text';
import { acronymsOf } from './acronyms';
import { Ranker, rankedSearch, topK, type Rankable, type Ranked } from './ranking';
import { SLICE_MS, ticker } from '../text/slices';
import { ShardedMap } from '../text/shardedMap';
import { FNV_BASIS, fnvOf, fnvStep } from '../text/fnv';
import { addAllStaged, renameDocuments } from './bulkIndex';
import { freezeInSteps, thaw, type FrozenData } from './frozenIndex';
import { distinctCount } from './frozenBuild';

/** Format version of the serialised library; bump when fields or options change. */
export const LIBRARY_FORMAT = 2;

/** The shipped library: the papers (the document store) and the serialised index. */
export interface SerializedLibrary {
  readonly format: number;
  readonly papers: Paper[];
  readonly index: AsPlainObject;
}

/** English words too common to help ranking; dropped from the index and from queries. */
const STOP_WORDS = new Set(
  ('a an and are as at be but by can do does for from has have in into is it its of on or ' +
    'our that the their then there these this to was we were which while with via without ' +
    'towards toward through').split(' '),
);

/** A ranked search result. */
export interface SearchHit {
  readonly paper: Paper;
  readonly score: number;
  /** Index terms that matched, for excerpts and highlighting. */
  readonly terms: readonly string[];
}

/** How free text is combined: every word (falling back to any when nothing has all), or any word. */
export type MatchMode = 'all' | 'any';

/** How many distinct terms of an abstract a large library indexes. */
export const ABSTRACT_KEYWORDS = 24;
/** In a large library, exact matches this many strong skip the fuzzy search. */
const ENOUGH_EXACT = 10;
/** From this many new papers in one change, the full text is built in bulk. */
const BULK_FROM = 64;
/** Libraries up to this size index whole abstracts; beyond it, each abstract's keywords. */
export const FULL_ABSTRACTS_UP_TO = 5000;

/** Blanks and punctuation between an abstract's words. */
const WORD_GAP_CHAR = /[\s\p{P}]/u;
const WORD_GAP = new RegExp(`${WORD_GAP_CHAR.source}+`, 'u');
/** The same rule for the ASCII characters, as a table (1: a gap). */
const ASCII_GAP = Uint8Array.from({ length: 128 }, (_, c) => (WORD_GAP_CHAR.test(String.fromCharCode(c)) ? 1 : 0));

/**
 * An abstract's distinct words (`asciiWordCounts`), kept between calls: a table by hash
 * (open addressing, `stamps` telling this call's slots from older ones) and each word
 * where it first comes (`starts`, `lengths`) with its count (-1: a stop word): typed
 * arrays reused, not JavaScript arrays grown for each abstract.
 */
const wordTable = {
  stamps: new Int32Array(0),
  slots: new Int32Array(0),
  stamp: 0,
  starts: new Int32Array(0),
  lengths: new Int32Array(0),
  counts: new Int32Array(0),
  /** The best words so far, in order (`bestAsciiWords`). */
  best: new Int32Array(0),
};

/** The stop words' hashes: most words are none of them, and are told so without a look-up by string. */
const STOP_HASHES = new Set([...STOP_WORDS].map((w) => fnvOf(w)));

/**
 * Counts the words abstractKeywords counts in ASCII text (longer than two characters,
 * neither all digits nor a stop word), each once, with how often it comes: where each
 * first comes (`wordTable.starts`, `lengths`) and its count, for the `[0, n)` returned. A
 * loop over the gap table that hashes each word as it reads it (FNV-1a) and cuts out no
 * word: only the keywords chosen are.
 */
function asciiWordCounts(text: string): number {
  // At most a word for every four characters (three and a gap): a table at most half full.
  let size = 256;
  while (size < text.length / 2) {
    size *= 2;
  }
  if (wordTable.stamps.length < size) {
    wordTable.stamps = new Int32Array(size);
    wordTable.slots = new Int32Array(size);
    wordTable.stamp = 0;
    wordTable.starts = new Int32Array(size);
    wordTable.lengths = new Int32Array(size);
    wordTable.counts = new Int32Array(size);
  }
  const { stamps, slots, starts, lengths, counts } = wordTable;
  const mask = stamps.length - 1;
  if (++wordTable.stamp === 0x7fffffff) {
    stamps.fill(0);
    wordTable.stamp = 1;
  }
  const stamp = wordTable.stamp;
  // Stop words are in the table too (a count of -1), so that they are told apart once.
  let n = 0;
  const end = text.length;
  let i = 0;
  while (i < end) {
    const start = i;
    let hash = FNV_BASIS;
    let digitsOnly = true;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (ASCII_GAP[c] === 1) {
        break;
      }
      digitsOnly &&= c >= 48 && c <= 57;
      hash = fnvStep(hash, c);
    }
    const length = i - start;
    i++; // the gap
    if (length <= 2 || digitsOnly) {
      continue;
    }
    let slot = hash & mask;
    for (;;) {
      if (stamps[slot] !== stamp) {
        stamps[slot] = stamp;
        slots[slot] = n;
        starts[n] = start;
        lengths[n] = length;
        counts[n] = STOP_HASHES.has(hash) && STOP_WORDS.has(text.slice(start, i - 1)) ? -1 : 1;
        n++;
        break;
      }
      const w = slots[slot];
      if (lengths[w] === length && sameChars(text, starts[w], start, length)) {
        if (counts[w] > 0) {
          counts[w]++;
        }
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return n;
}

/**
 * `bestWords` of the `n` words `asciiWordCounts` counted in `text`, in typed arrays: the
 * best so far kept in order by insertion, without a closure over JavaScript arrays made
 * for each abstract (20,000 abstracts chose their keywords in about half the time). The
 * same order as `bestWords`, written for typed arrays on purpose: one selection shared by
 * both paths, over arrays of either kind, took a third longer (out/tmp/kwonly.ts).
 */
function bestAsciiWords(text: string, n: number, count: number): string[] {
  const { starts, lengths, counts } = wordTable;
  if (count <= 0) {
    return [];
  }
  if (wordTable.best.length < count) {
    wordTable.best = new Int32Array(count);
  }
  const { best } = wordTable;
  /** Whether word a ranks before word b: more frequent, then longer, then alphabetical. */
  const before = (a: number, b: number): boolean =>
    counts[a] > counts[b] || (counts[a] === counts[b] && (lengths[a] > lengths[b] || (lengths[a] === lengths[b] && firstDiffers(text, starts[a], starts[b], lengths[a]) < 0)));
  let kept = 0;
  for (let i = 0; i < n; i++) {
    if (counts[i] <= 0) {
      continue;
    }
    if (kept === count && !before(i, best[count - 1])) {
      continue;
    }
    let at = kept === count ? count - 1 : kept++;
    while (at > 0 && before(i, best[at - 1])) {
      best[at] = best[at - 1];
      at--;
    }
    best[at] = i;
  }
  const out: string[] = [];
  for (let k = 0; k < kept; k++) {
    out.push(text.slice(starts[best[k]], starts[best[k]] + lengths[best[k]]));
  }
  return out;
}

/** Whether `text` has the same `length` characters at `a` and at `b`. */
function sameChars(text: string, a: number, b: number, length: number): boolean {
  return firstDiffers(text, a, b, length) === 0;
}

/** The first difference of the `length` characters of `text` at `a` and at `b` (a's code unit less b's), 0 when none. */
function firstDiffers(text: string, a: number, b: number, length: number): number {
  for (let k = 0; k < length; k++) {
    const d = text.charCodeAt(a + k) - text.charCodeAt(b + k);
    if (d !== 0) {
      return d;
    }
  }
  return 0;
}

/**
 * The most telling terms of an abstract: its most frequent words that are not stop
 * words, longer words first among equals. Indexing these instead of the whole text
 * keeps a large library's postings (memory, load and query time) about six times
 * smaller while abstracts still answer topical queries.
 */
export function abstractKeywords(abstract: string, count = ABSTRACT_KEYWORDS): string {
  return abstractKeywordList(abstract, count).join(' ');
}

/** `abstractKeywords` as a list, best first. */
function abstractKeywordList(abstract: string, count = ABSTRACT_KEYWORDS): string[] {
  // Folded once as a whole (folding keeps blanks and punctuation where they are).
  const ascii = isAscii(abstract);
  const folded = ascii ? abstract.toLowerCase() : fold(abstract);
  if (ascii || isAscii(folded)) {
    return bestAsciiWords(folded, asciiWordCounts(folded), count);
  }
  const freq = new Map<string, number>();
  for (const word of folded.split(WORD_GAP)) {
    if (word.length > 2 && !/^\d+$/.test(word) && !STOP_WORDS.has(word)) {
      freq.set(word, (freq.get(word) ?? 0) + 1);
    }
  }
  const words = [...freq.keys()];
  return bestWords([...freq.values()], words.map((w) => w.length), count, (a, b) => words[a] < words[b], (i) => words[i]);
}

/**
 * The best `count` of an abstract's distinct words (`counts[i]` times, `lengths[i]` long;
 * a count of -1, a stop word, never) by a total order: more frequent, then longer, then
 * alphabetical (`before`, for two of the same length). Selected, not sorted — an
 * abstract has a hundred distinct words and 20,000 of them are read when a large .bib is
 * first indexed.
 */
function bestWords(counts: readonly number[], lengths: readonly number[], count: number, before: (a: number, b: number) => boolean, word: (i: number) => string): string[] {
  const candidates: number[] = [];
  counts.forEach((n, i) => n > 0 && candidates.push(i));
  const better = (a: number, b: number): boolean => counts[a] > counts[b] || (counts[a] === counts[b] && (lengths[a] > lengths[b] || (lengths[a] === lengths[b] && before(a, b))));
  return topK(candidates, count, better).map(word);
}

/** A term as it comes out of both `tokenizeForIndex` and the index's `processTerm` unchanged: lower-case ASCII letters and digits. */
const PLAIN_TERM = /^[a-z0-9]+$/;

/** A field's text as the index reads it (`extractField`; the id aside). */
function fieldText(doc: Paper, field: string): string {
  if (field === 'abstract' && doc.abstractIndex === 'keywords') {
    return abstractKeywords(doc.abstract);
  }
  if (field === 'acronyms') {
    return acronymsOf(doc).join(' ');
  }
  if (field === 'key') {
    // Every key and alias answers: `Schulman:2015:TRPO` as well as `schulman2015trust`.
    return [doc.key, ...(doc.aliases ?? [])].join(' ');
  }
  const value = (doc as unknown as Record<string, unknown>)[field];
  if (Array.isArray(value)) {
    return value.join(' ');
  }
  return value === undefined || value === null ? '' : String(value);
}

/** The index's `processTerm`: folded, and nothing for a stop word. */
function processTerm(term: string): string | null {
  const t = fold(term);
  return t.length === 0 || STOP_WORDS.has(t) ? null : t;
}

/**
 * The terms of a field known without the general path (frozenBuild.ts), what
 * `tokenizeForIndex` and `processTerm` would give: a large library's abstract keywords
 * when they are plain words (distinct, folded, no stop words: each its own term); the
 * acronyms (plain words, distinct by construction: each its own token); a field in
 * ASCII, tokenized by the ASCII loop and lower-cased (ASCII's folding) without
 * `processTerm`'s tests for each token. The fields but the abstract took half of a
 * first indexing's tokenizing down the general path (see ARCHITECTURE.md).
 */
export function processedTokens(doc: Paper, field: string): { terms: readonly string[]; distinct: number } | undefined {
  if (field === 'abstract' && doc.abstractIndex === 'keywords') {
    const words = abstractKeywordList(doc.abstract);
    return words.every((w) => PLAIN_TERM.test(w)) ? { terms: words, distinct: words.length } : undefined;
  }
  if (field === 'acronyms') {
    const acronyms = acronymsOf(doc);
    return { terms: acronyms.filter((a) => !STOP_WORDS.has(a)), distinct: acronyms.length };
  }
  const text = fieldText(doc, field);
  if (!isAscii(text)) {
    return undefined;
  }
  const tokens = tokenizeAsciiForIndex(text);
  const terms: string[] = [];
  for (const token of tokens) {
    const term = token.toLowerCase();
    if (!STOP_WORDS.has(term)) {
      terms.push(term);
    }
  }
  return { terms, distinct: distinctCount(tokens) };
}

/** Options shared by the build script and activation: they must be identical on both sides. */
export function indexOptions(): Options<Paper> {
  return {
    idField: 'id',
    fields: ['title', 'authors', 'abstract', 'venue', 'year', 'key', 'arxiv', 'acronyms'],
    storeFields: [],
    tokenize: tokenizeForIndex,
    // (Numeric ids stay numbers: MiniSearch compares them with ===.)
    extractField: (doc, field) => (field === 'id' ? doc.id : fieldText(doc, field)) as string,
    processTerm,
  };
}

/**
 * Field weights and BM25 parameters, tuned on the ranking set in searchIndex.test.ts:
 * titles weigh most, but with little length normalisation (b 0.3) and slow saturation
 * (k 2) a paper whose abstract keeps returning to a word outranks a paper whose short
 * title merely contains it ("conservative": conservative offline RL papers first).
 */
const BOOST = { title: 3, key: 3, authors: 2.5, acronyms: 2, arxiv: 2, abstract: 2, venue: 1.5, year: 1 };
const BM25 = { k: 2, b: 0.3, d: 0.5 };

/** Words of a query: split at blanks, punctuation and symbols (MiniSearch's own rule, hyphens included). */
export function tokenizeQuery(text: string): string[] {
  return text.split(/[\n\r\p{Z}\p{P}\p{S}]+/u).filter(Boolean);
}

const HYPHENS = /[-‐‑‒–—_]+/u;
/** Where `tokenizeForIndex` cuts: line breaks and blanks, or punctuation and symbols but hyphens. */
const INDEX_CUT = /[\n\r\p{Z}]+|(?:(?![-‐‑‒–—_])[\p{P}\p{S}])+/u;
/** The same rule for the ASCII characters, as a table: 1 cuts, 2 a hyphen (`HYPHENS`), 0 a word's. */
const ASCII_CUT = Uint8Array.from({ length: 128 }, (_, c) => (HYPHENS.test(String.fromCharCode(c)) ? 2 : INDEX_CUT.test(String.fromCharCode(c)) ? 1 : 0));

/** Words as indexed: the query's words, and a two-part hyphenated word also joined ("Bi-Level" → bi, level, bilevel). */
export function tokenizeForIndex(text: string): string[] {
  return isAscii(text) ? tokenizeAsciiForIndex(text) : tokenizeAnyForIndex(text);
}

/**
 * `tokenizeForIndex` of ASCII text: one loop over the table, no regular expression —
 * titles, authors, keys and venues are nearly all ASCII, and splitting them with the
 * Unicode classes was a tenth of a first indexing's tokenizing. The same words (unit test).
 */
function tokenizeAsciiForIndex(text: string): string[] {
  const out: string[] = [];
  const end = text.length;
  let i = 0;
  while (i < end) {
    // A chunk: a run of word characters and hyphens; its parts are split at the hyphens.
    while (i < end && ASCII_CUT[text.charCodeAt(i)] === 1) {
      i++;
    }
    let parts = 0;
    let first = '';
    let second = '';
    while (i < end) {
      const kind = ASCII_CUT[text.charCodeAt(i)];
      if (kind === 1) {
        break;
      }
      if (kind === 2) {
        i++;
        continue;
      }
      const start = i;
      while (i < end && ASCII_CUT[text.charCodeAt(i)] === 0) {
        i++;
      }
      const part = text.slice(start, i);
      out.push(part);
      parts++;
      if (parts === 1) {
        first = part;
      } else if (parts === 2) {
        second = part;
      }
    }
    if (parts === 2) {
      out.push(first + second);
    }
  }
  return out;
}

function tokenizeAnyForIndex(text: string): string[] {
  const out: string[] = [];
  for (const chunk of text.split(INDEX_CUT)) {
    if (!chunk) {
      continue;
    }
    const parts = chunk.split(HYPHENS).filter(Boolean);
    out.push(...parts);
    if (parts.length === 2) {
      // Two-part compounds are written both ways (bi-level / bilevel, non-convex / nonconvex);
      // longer chains are slugs and URLs more often than words.
      out.push(parts.join(''));
    }
  }
  return out;
}

export function typingSearchOptions(combineWith: 'AND' | 'OR', librarySize: number, fuzzy = true): SearchOptions {
  const large = librarySize > FULL_ABSTRACTS_UP_TO;
  return {
    boost: BOOST,
    bm25: BM25,
    tokenize: tokenizeQuery,
    combineWith,
    // Prefix only on the word being typed, and in a large library only from its fourth
    // letter: "gra" would expand to thousands of terms. Fuzzy only on words long enough
    // for a typo to be told from a different word; in a large library only on the word
    // being typed and with one edit at most: fuzzy expansion is what makes long
    // queries slow.
    prefix: (term, i, terms) => i === terms.length - 1 && (!large || term.length >= 4),
    fuzzy: fuzzy ? (term, i, terms) => (term.length >= 5 && (!large || i === terms.length - 1) ? 0.2 : false) : false,
    maxFuzzy: large ? 1 : 2,
    weights: { fuzzy: 0.4, prefix: 0.6 },
  };
}

/** Builds a fresh MiniSearch over the papers (build time, and for user libraries later). */
export function buildMiniSearch(papers: readonly Paper[]): MiniSearch<Paper> {
  const mini = new MiniSearch<Paper>(indexOptions());
  addAllStaged(mini, papers);
  return mini;
}

/** A multi-map from a string to paper ids, first added first. */
class IdMultiMap {
  private readonly map = new ShardedMap<string, number[]>();

  add(key: string, id: number): void {
    const ids = this.map.get(key);
    if (ids) {
      ids.push(id);
    } else {
      this.map.set(key, [id]);
    }
  }

  remove(key: string, id: number): void {
    const ids = this.map.get(key);
    if (ids) {
      const rest = ids.filter((x) => x !== id);
      if (rest.length > 0) {
        this.map.set(key, rest);
      } else {
        this.map.delete(key);
      }
    }
  }

  first(key: string): number | undefined {
    return this.map.get(key)?.[0];
  }

  all(key: string): readonly number[] {
    return this.map.get(key) ?? [];
  }
}

/** What changed in the library: ids of papers gone, papers new or changed. */
export interface LibraryChange {
  readonly removed: readonly number[];
  readonly upserted: readonly Paper[];
}

/**
 * THE list of what the full-text index and its filters read of a paper: a change to
 * anything else (where it came from, its line) never re-indexes it. The kept index's key
 * is made of these values too.
 */
export function indexedValues(p: Paper): readonly (string | number | readonly string[] | undefined)[] {
  return [p.key, p.aliases, p.title, p.authors, p.abstract, p.abstractIndex, p.venue, p.year, p.arxiv, p.source];
}

/** Whether two versions of a paper give the full-text index and its filters the same content. */
export function sameIndexedContent(a: Paper, b: Paper): boolean {
  const x = indexedValues(a);
  const y = indexedValues(b);
  return x.every((v, i) => {
    const w = y[i];
    if (Array.isArray(v) || Array.isArray(w)) {
      const l = (v ?? []) as readonly string[];
      const m = (w ?? []) as readonly string[];
      return l.length === m.length && l.every((e, j) => e === m[j]);
    }
    return v === w;
  });
}

/**
 * What of a library change the full text must redo, given the lookups index as it was
 * before the change: a paper whose indexed content is unchanged (a save that moved it
 * down a few lines, an edit elsewhere in its file) is not indexed again.
 */
export async function fullTextChange(before: PaperIndex, change: LibraryChange, pause?: () => Promise<void>): Promise<LibraryChange> {
  const tick = ticker(pause);
  const upserted: Paper[] = [];
  for (const p of change.upserted) {
    await tick();
    const old = before.get(p.id);
    if (old === undefined || !sameIndexedContent(old, p)) {
      upserted.push(p);
    }
  }
  return { removed: change.removed, upserted };
}

/**
 * The fields the full-text index and its filters read: a paper without where it came
 * from (the raw .bib entries), which is what a search worker receives.
 */
export function indexedFields(p: Paper): Paper {
  if (!p.origin && !p.origins) {
    return p;
  }
  const { origin: _origin, origins: _origins, ...rest } = p;
  return rest;
}

/**
 * The papers plus their full-text index; all searching goes through here. Papers can be
 * added, replaced and removed one by one (the user's .bib entries) without rebuilding.
 */
export class PaperIndex {
  private readonly docs = new Map<number, Paper>();
  private readonly keys = new IdMultiMap();
  private readonly arxivIds = new IdMultiMap();
  private readonly dois = new IdMultiMap();
  private list: Paper[] | undefined;
  private readonly folded = new ShardedMap<number, FoldedFields>();

  private constructor(
    papers: readonly Paper[],
    /** The full-text index; absent in a lookups-only index (the full text lives in a worker). */
    private readonly mini: MiniSearch<Paper> | undefined,
    /**
     * Whether each paper is filed under its keys, arXiv id and DOI (and its folded fields
     * worked out) as it comes; else all of them at the first look-up (`fileLookups`). A
     * worker's thawed index is asked for none: filing 100,000 papers took 0.8 s of a
     * save's first change (profiled).
     */
    private filing = true,
  ) {
    for (const p of papers) {
      this.remember(p);
    }
  }

  /**
   * Indexes papers from scratch (build scripts, benchmarks, tests). Beyond
   * FULL_ABSTRACTS_UP_TO papers, abstracts are indexed by their keywords.
   */
  static build(papers: readonly Paper[]): PaperIndex {
    const large = papers.length > FULL_ABSTRACTS_UP_TO;
    const docs = large ? papers.map((p) => (p.abstractIndex ? p : { ...p, abstractIndex: 'keywords' as const })) : papers;
    return new PaperIndex(docs, buildMiniSearch(docs));
  }

  /** Loads a serialised library without re-indexing. */
  static load(lib: SerializedLibrary): PaperIndex {
    if (lib.format !== LIBRARY_FORMAT) {
      throw new Error(`library format ${lib.format} is not ${LIBRARY_FORMAT}; rebuild the extension`);
    }
    // MiniSearch takes over the average and each document's field lengths as they are and
    // changes them with the index: copied, so that a library loaded twice is the same twice.
    const { averageFieldLength, fieldLength } = lib.index;
    const own = { ...lib.index, averageFieldLength: [...averageFieldLength], fieldLength: Object.fromEntries(Object.entries(fieldLength).map(([id, lengths]) => [id, [...lengths]])) };
    return new PaperIndex(lib.papers, MiniSearch.loadJS<Paper>(own, indexOptions()));
  }

  /** Papers and their index frozen by `freeze`, thawed to be changed again; throws when they do not fit. */
  static thawed(papers: readonly Paper[], frozen: FrozenData, folded?: readonly (FilterFields | undefined)[]): PaperIndex {
    const mini = thaw<Paper>(frozen, indexOptions());
    if (mini.documentCount !== papers.length) {
      throw new Error('a kept library whose index and papers differ');
    }
    const index = new PaperIndex(papers, mini, false);
    // What the filters read of each paper, where it was already worked out: the first
    // change's filters fold again only what changed (100,000 papers took 0.5 s).
    folded?.forEach((f, i) => {
      if (f && f.id === papers[i].id) {
        index.folded.set(f.id, f.folded);
      }
    });
    return index;
  }

  /**
   * Papers and their keys, DOIs and arXiv ids without a full-text index: the extension
   * host's side when searching runs in a worker (`search` and `related` are the worker's).
   */
  static lookupsOnly(papers: readonly Paper[]): PaperIndex {
    return new PaperIndex(papers, undefined);
  }

  private get fullText(): MiniSearch<Paper> {
    if (!this.mini) {
      throw new Error('this index holds lookups only: search through the library');
    }
    return this.mini;
  }

  /** Serialises papers and index for shipping. */
  serialize(): SerializedLibrary {
    return { format: LIBRARY_FORMAT, papers: [...this.papers], index: this.fullText.toJSON() };
  }

  /** The full-text index frozen as it is now (frozenIndex.ts), in steps: the index must not change before the last. */
  freezeInSteps(): Generator<void, FrozenData> {
    return freezeInSteps(this.fullText);
  }

  /** The full-text index, for ranking. */
  get rankable(): Rankable<Paper> {
    return this.fullText;
  }

  private remember(p: Paper): void {
    this.docs.set(p.id, p);
    this.lookups(p, 'add');
    if (this.mini && this.filing) {
      // Where searching happens, filters read these per paper: worked out while indexing
      // rather than all at once on the first `author:` keystroke (165 ms at 20,000 papers).
      this.folded.set(p.id, foldedFields(p));
    }
  }

  private forget(p: Paper): void {
    this.docs.delete(p.id);
    this.folded.delete(p.id);
    this.lookups(p, 'remove');
  }

  /** Files a paper under (or takes it out of) its keys, aliases and arXiv id. */
  private lookups(p: Paper, op: 'add' | 'remove'): void {
    if (this.filing) {
      for (const key of [p.key, ...(p.aliases ?? [])]) {
        this.keys[op](key, p.id);
      }
      if (p.arxiv) {
        this.arxivIds[op](p.arxiv, p.id);
      }
      if (p.doi) {
        this.dois[op](p.doi.toLowerCase(), p.id);
      }
    }
    this.list = undefined;
  }

  /** Files every paper under its keys, arXiv id and DOI, if that waited (see `filing`): in the papers' order, the order filing them as they came gives. */
  private fileLookups(): void {
    if (!this.filing) {
      this.filing = true;
      for (const p of this.docs.values()) {
        this.lookups(p, 'add');
      }
    }
  }

  /** Folded author names and venue of a paper, computed once. */
  private foldedOf(id: number): FoldedFields {
    let f = this.folded.get(id);
    if (!f) {
      f = foldedFields(this.docs.get(id)!);
      this.folded.set(id, f);
    }
    return f;
  }

  /** The filters' key to these papers: the list of them, made anew when they change. */
  get filterKey(): object {
    return this.papers;
  }

  filterFieldsAt(i: number): FilterFields {
    const p = this.papers[i];
    return { id: p.id, year: p.year, folded: this.foldedOf(p.id) };
  }

  paperAt(i: number): Paper {
    return this.papers[i];
  }

  /** Adds a paper, or replaces the one with the same id; only its own postings change. */
  upsert(paper: Paper): void {
    const old = this.docs.get(paper.id);
    if (old && (old === paper || (old.doi === paper.doi && sameIndexedContent(old, paper)))) {
      // Moved in its file (a line above it changed): the same lookups, filters and index.
      this.docs.set(paper.id, paper);
      this.list = undefined;
      return;
    }
    if (old) {
      this.forget(old);
      this.mini?.replace(paper);
    } else {
      this.mini?.add(paper);
    }
    this.remember(paper);
  }

  /** Follows a change of the library model: removed papers go, new and changed ones are (re)indexed. */
  apply(change: LibraryChange): void {
    for (const id of change.removed) {
      this.remove(id);
    }
    // Many papers new to the index (a library read at start-up) go into the full text
    // together: the same index as one by one, built faster (bulkIndex.ts).
    const { upserted } = change;
    if (this.mini && upserted.length >= BULK_FROM && upserted.every((p) => !this.docs.has(p.id)) && new Set(upserted.map((p) => p.id)).size === upserted.length) {
      addAllStaged(this.mini, upserted);
      upserted.forEach((p) => this.remember(p));
      return;
    }
    for (const paper of upserted) {
      this.upsert(paper);
    }
  }

  /**
   * The same, awaiting `pause` whenever `sliceMs` have passed (a large .bib never holds
   * the thread longer than that and one paper).
   */
  async applyInSlices(change: LibraryChange, pause: () => Promise<void>, sliceMs = SLICE_MS): Promise<void> {
    const tick = ticker(pause, sliceMs, 8);
    for (const id of change.removed) {
      await tick();
      this.remove(id);
    }
    for (const paper of change.upserted) {
      await tick();
      this.upsert(paper);
    }
  }

  /**
   * Files papers already in the index under other ids, their indexed content unchanged
   * (`moves`: old id → the paper as it is now, with its new id): a kept index reused after
   * entries moved in a .bib. A new id must not name a paper that stays in the index.
   */
  renumber(moves: ReadonlyMap<number, Paper>): void {
    for (const id of moves.keys()) {
      this.forget(this.docs.get(id)!);
    }
    if (this.mini) {
      renameDocuments(this.mini, new Map([...moves].map(([id, p]) => [id, p.id])));
    }
    moves.forEach((p) => this.remember(p));
  }

  /** Removes a paper from the index. */
  remove(id: number): void {
    const old = this.docs.get(id);
    if (old) {
      this.forget(old);
      this.mini?.discard(id);
    }
  }

  /** Every paper, in the order they were added. */
  get papers(): readonly Paper[] {
    this.list ??= [...this.docs.values()];
    return this.list;
  }

  get size(): number {
    return this.docs.size;
  }

  get(id: number): Paper | undefined {
    return this.docs.get(id);
  }

  /** The paper with this key (or alias); the first added when several share it. */
  byKey(key: string): Paper | undefined {
    this.fileLookups();
    const id = this.keys.first(key);
    return id === undefined ? undefined : this.docs.get(id);
  }

  /** Every paper that answers to this key (duplicates across .bib files). */
  allByKey(key: string): Paper[] {
    this.fileLookups();
    return this.keys.all(key).map((id) => this.docs.get(id)!);
  }

  /** The paper with this DOI (compared case-insensitively). */
  byDoi(doi: string): Paper | undefined {
    this.fileLookups();
    const found = this.dois.first(doi.toLowerCase());
    return found === undefined ? undefined : this.docs.get(found);
  }

  byArxiv(id: string): Paper | undefined {
    this.fileLookups();
    const found = this.arxivIds.first(id.replace(/v\d+$/, ''));
    return found === undefined ? undefined : this.docs.get(found);
  }

  /**
   * Ranked papers for a query in the palette syntax (`author:`, `year:`, `venue:` plus
   * free text). Without free text, the filtered papers come newest first.
   */
  search(input: string | ParsedQuery, options: { limit?: number; mode?: MatchMode } = {}): SearchHit[] {
    return searchPapers(this, input, options);
  }

  /** Papers most similar to this one by title and abstract words, itself excluded. */
  related(paper: Pick<Paper, 'id' | 'title' | 'abstract'>, count = 5): Paper[] {
    return relatedPapers(this, paper, count);
  }
}

/** What a search reads: the papers (in the index's order), what the filters read of them and an index to rank them by. */
export interface SearchSource extends FilterSource {
  get(id: number): Paper | undefined;
  readonly rankable: Rankable<Paper>;
}

/**
 * Ranked papers for a query in the palette syntax (`author:`, `year:`, `venue:` plus
 * free text). Without free text, the filtered papers come newest first.
 */
export function searchPapers(source: SearchSource, input: string | ParsedQuery, options: { limit?: number; mode?: MatchMode } = {}): SearchHit[] {
  const q = typeof input === 'string' ? parseQuery(input) : input;
  const limit = options.limit ?? Infinity;
  if (q.text === '') {
    return newestPassing(source, q, limit).map((paper) => ({ paper, score: 0, terms: [] }));
  }
  const passing = passingIds(source, q);
  if (passing?.size === 0) {
    return []; // nothing passes the filters: no need to rank the words
  }
  const keep = passing ? (id: number) => passing.has(id) : undefined;
  const size = source.size;
  const ranker = Ranker.of(source.rankable);
  const ranked = (combineWith: 'AND' | 'OR', fuzzy = true) => ranker.search(q.text, { ...typingSearchOptions(combineWith, size, fuzzy), keep, limit });
  let results: Ranked[] = [];
  if (options.mode !== 'any') {
    // In a large library, typo tolerance is paid for only when exact words find too
    // little: fuzzy expansion over a big vocabulary is what makes a keystroke slow.
    if (size > FULL_ABSTRACTS_UP_TO) {
      results = ranked('AND', false);
    }
    if (results.length < Math.min(limit, ENOUGH_EXACT)) {
      results = ranked('AND');
    }
  }
  if (results.length === 0) {
    results = ranked('OR');
  }
  return results.map((r) => ({ paper: source.get(r.id)!, score: r.score, terms: r.terms }));
}

/** The longest word `warmUpQueries` types. */
const WARM_UP_LONGEST_WORD = 24;

/**
 * Searches a worker runs once, when idle after its first settle, as a person types them:
 * two of the library's own titles' first words, letter by letter from the fourth, and an
 * author filter. V8 optimises the ranking's loops only once they have run a while, and
 * the first keystrokes of a session ran them cold (20,000 papers: "grad" 22–37 ms,
 * against a few milliseconds once warm).
 */
export function warmUpQueries(source: Pick<FilterSource, 'size' | 'paperAt'>): string[] {
  const queries: string[] = [];
  for (const at of [0.5, 0.25]) {
    if (source.size === 0) {
      break;
    }
    const paper = source.paperAt(Math.floor((source.size - 1) * at));
    // (Words as people type them: a "word" of thousands of letters in a title — a hash, a
    // run of symbols — would be thousands of searches.)
    const [first, second] = tokenizeQuery(paper.title).filter((w) => w.length >= 4 && w.length <= WARM_UP_LONGEST_WORD);
    let typed = '';
    for (const word of [first, second]) {
      for (let n = 4; word && n <= word.length; n++) {
        queries.push(`${typed}${word.slice(0, n)}`);
      }
      typed += word ? `${word} ` : '';
    }
    const author = paper.authors[0]?.split(/\s+/).at(-1)?.slice(0, 2);
    if (author) {
      queries.push(`author:${author}`);
    }
  }
  return queries;
}

/** Papers most similar to this one by title and abstract words, itself excluded. */
export function relatedPapers(source: SearchSource, paper: Pick<Paper, 'id' | 'title' | 'abstract'>, count = 5): Paper[] {
  const words = new Map<string, number>();
  const add = (text: string, weight: number): void => {
    for (const raw of text.split(/[\s\p{P}]+/u)) {
      const t = fold(raw);
      if (t.length > 3 && !STOP_WORDS.has(t)) {
        words.set(t, (words.get(t) ?? 0) + weight);
      }
    }
  };
  add(paper.title, 3);
  add(paper.abstract, 1);
  const query = [...words.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 40)
    .map(([w]) => w)
    .join(' ');
  if (query === '') {
    return [];
  }
  return rankedSearch(source.rankable, query, {
    boost: { title: 2, abstract: 1 },
    combineWith: 'OR',
    fields: ['title', 'abstract'],
    tokenize: tokenizeQuery,
    keep: (id) => id !== paper.id,
    limit: count,
  }).map((r) => source.get(r.id)!);
}

/** The paper a detected mention refers to, if the library has it. */
export function paperForMention(
  index: PaperIndex,
  m: { kind: 'citation'; key: string } | { kind: 'arxiv'; id: string } | { kind: 'doi'; id: string } | { kind: 'title'; paperId: number },
): Paper | undefined {
  switch (m.kind) {
    case 'citation':
      return index.byKey(m.key);
    case 'arxiv':
      return index.byArxiv(m.id);
    case 'doi':
      return index.byDoi(m.id);
    case 'title':
      return index.get(m.paperId);
  }
}
