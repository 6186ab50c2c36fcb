// Full-text search behind one asynchronous interface, so that the index can live in a
// worker (Node's worker_threads on the desktop) or in the extension host itself (the
// browser build, tests, and the fallback when a worker cannot start). Both run the same
// PaperIndex code, so they rank identically (a unit test compares their top 10).
import type { Paper } from '../library/paper';
import type { ParsedQuery } from './query';
import { ABSTRACT_KEYWORDS, FULL_ABSTRACTS_UP_TO, LIBRARY_FORMAT, indexedFields, indexedValues, indexOptions, PaperIndex, processedTokens, sameIndexedContent, warmUpQueries, type LibraryChange, type MatchMode, type SerializedLibrary } from './searchIndex';
import { bytesInMemory, keepIndexInSteps, KeptReader, STORE_STEP_PAPERS, type KeptLibrary, type PaperBytes } from './keptIndex';
import { finish } from './frozenIndex';
import { FrozenBuilder, type Tokenized } from './frozenBuild';
import { filtersInSteps, type FilterSource } from './passing';

/** A hit as ids and scores: the caller owns the papers. */
export interface HitRef {
  readonly id: number;
  readonly score: number;
  readonly terms: readonly string[];
  /**
   * The paper as the index holds it (no .bib origins), sent only when asked for: while the
   * host is still reading the libraries it does not know every paper of a kept index.
   */
  readonly paper?: Paper;
}

export interface SearchOptions {
  readonly limit?: number;
  readonly mode?: MatchMode;
  /**
   * Searches in the same lane supersede each other: a search still waiting when a newer
   * one of its lane arrives is dropped (it resolves to `undefined`), so a fast typist's
   * stale keystrokes cost nothing.
   */
  readonly lane?: string;
  /** Send the hits' papers along (see HitRef.paper). */
  readonly withPapers?: boolean;
}

/** The full-text side of the library. */
export interface FullText {
  /** Where the index lives. */
  readonly kind: 'worker' | 'in-process';
  /** Follows a library change; resolves once later searches see it. */
  apply(change: LibraryChange): Promise<void>;
  /** Ranked hits, or `undefined` when a newer search of the same lane superseded this one. */
  search(query: string | ParsedQuery, options?: SearchOptions): Promise<HitRef[] | undefined>;
  /** Ids of the papers most like this one (it excluded). */
  related(paper: Pick<Paper, 'id' | 'title' | 'abstract'>, count: number): Promise<number[]>;
  /**
   * The workspace's libraries are read, not yet parsed, and `sources` digests them (each
   * file's URI and content, in reading order): a worker whose kept index was made from the
   * same sources answers from it at once, before the papers arrive. Resolves with whether
   * it does. The papers still arrive and `settle` still checks them against the index.
   */
  expect(sources: string): Promise<boolean>;
  /**
   * The workspace's libraries are read: a worker with a cache indexes (or loads) what it
   * collected. `sources` (as for `expect`) is kept with a new index. Resolves with where
   * the index came from.
   */
  settle(sources?: string): Promise<IndexSource>;
  /**
   * After `settle`, the libraries changed this session (their changes applied) and
   * `sources` names them as they are now, as `expect`'s would at the next start: a worker
   * with a cache stores its index with them once the changes are quiet, so that the next
   * start answers from it early and loads it instead of indexing the files again.
   */
  keepWith(sources: string): Promise<void>;
  /** Stops, once a worker has stored an index still waiting to be stored; resolves when stopped. */
  stop(): Promise<void>;
  /** `stop` without waiting. */
  dispose(): void;
}

/** Messages to an index worker. */
export type ToIndex =
  | { readonly type: 'apply'; readonly seq: number; readonly removed: readonly number[]; readonly upserted: readonly Paper[] }
  | { readonly type: 'search'; readonly seq: number; readonly query: string | ParsedQuery; readonly limit?: number; readonly mode?: MatchMode; readonly withPapers?: boolean }
  | { readonly type: 'related'; readonly seq: number; readonly paper: Pick<Paper, 'id' | 'title' | 'abstract'>; readonly count: number }
  /** The workspace's libraries are read, not parsed yet: answer from a kept index of the same sources. */
  | { readonly type: 'expect'; readonly seq: number; readonly sources: string }
  /** The workspace's libraries are all read: index what came so far (or load it from the cache). */
  | { readonly type: 'settle'; readonly seq: number; readonly sources?: string }
  /** The libraries changed this session and are now these sources (see FullText.keepWith). */
  | { readonly type: 'sources'; readonly seq: number; readonly sources: string }
  /** The host is stopping: store a new index now rather than once idle. */
  | { readonly type: 'flush'; readonly seq: number };

/**
 * Whether a message may change the worker's index: papers to apply (a change of nothing —
 * Zotero not running, a .bib saved with only unsearched fields changed — neither thaws a
 * kept index nor makes its sources untrue), or the libraries settled.
 */
export function changesIndex(message: ToIndex): boolean {
  return (message.type === 'apply' && (message.removed.length > 0 || message.upserted.length > 0)) || message.type === 'settle';
}

/**
 * A worker's answer to one message, with what it means to the storing of a new index
 * (quietSteps.ts): a change stops a write under way (the index must not change under
 * it) and a waiting one waits again; a search lets the next keystroke through first.
 */
export function answerStoring(server: IndexServer, storing: { changed(): void; searched(): void }, message: ToIndex): FromIndex {
  if (changesIndex(message)) {
    storing.changed();
  }
  const answer = server.handle(message);
  if (message.type === 'search' || message.type === 'related') {
    storing.searched();
  }
  return answer;
}

/** Where the worker's index came from at start-up: kept as it was, kept and brought up to date, or built. */
export type IndexSource = 'cache' | 'updated' | 'indexing' | 'nothing to index';

/** Messages from an index worker. */
export type FromIndex =
  | { readonly type: 'applied'; readonly seq: number }
  | { readonly type: 'expected'; readonly seq: number; readonly answering: boolean }
  | { readonly type: 'settled'; readonly seq: number; readonly from: IndexSource }
  | { readonly type: 'hits'; readonly seq: number; readonly hits: readonly HitRef[] }
  | { readonly type: 'related'; readonly seq: number; readonly ids: readonly number[] }
  | { readonly type: 'flushed'; readonly seq: number }
  | { readonly type: 'noted'; readonly seq: number }
  | { readonly type: 'failed'; readonly seq: number; readonly message: string };

/**
 * A kept entry as stored: a head (what the codec reads: the key, the sources, the frozen
 * index and the papers' table) read whole, and a tail (the packed papers) read a range at
 * a time, when a paper is needed.
 */
export interface StoredEntry {
  readonly head: Uint8Array;
  readonly tail: PaperBytes;
  /** Releases what reading the tail holds (an open file); the tail cannot be read after. */
  close(): void;
}

/**
 * Where a worker keeps whole indexes between sessions, by key. Implementations must not
 * throw; a missing or unreadable entry is `undefined`.
 */
export interface IndexCache {
  read(key: string): StoredEntry | undefined;
  /**
   * Stores an entry under `key` and drops older entries: at once, or in steps (a
   * generator, each step short). Steps given up midway (`return`) store nothing.
   */
  write(key: string, head: Uint8Array, tail: Uint8Array): void | Generator<void, void>;
  /** The entry written last, if any: what the next start most likely needs. */
  latest?(): StoredEntry | undefined;
}

/** The first bytes of a stored entry: "PSK1", then the head's length (32 bits, little-endian). */
export const ENTRY_HEADER_BYTES = 8;
const ENTRY_MAGIC = [0x50, 0x53, 0x4b, 0x31];

/** An entry's header: the magic and the head's length. */
export function entryHeader(headLength: number): Uint8Array {
  const header = new Uint8Array(ENTRY_HEADER_BYTES);
  header.set(ENTRY_MAGIC);
  new DataView(header.buffer).setUint32(4, headLength, true);
  return header;
}

/** The head's length a header gives, or undefined when these are no entry's first bytes. */
export function headLengthOf(header: Uint8Array): number | undefined {
  if (header.length < ENTRY_HEADER_BYTES || ENTRY_MAGIC.some((b, i) => header[i] !== b)) {
    return undefined;
  }
  return new DataView(header.buffer, header.byteOffset, ENTRY_HEADER_BYTES).getUint32(4, true);
}

/** An entry as one run of bytes (header, head, tail): how a file holds it, and a cache in memory. */
export function frameEntry(head: Uint8Array, tail: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(ENTRY_HEADER_BYTES + head.length + tail.length);
  bytes.set(entryHeader(head.length));
  bytes.set(head, ENTRY_HEADER_BYTES);
  bytes.set(tail, ENTRY_HEADER_BYTES + head.length);
  return bytes;
}

/** An entry from its bytes in memory; undefined when they are not one. */
export function entryInMemory(bytes: Uint8Array): StoredEntry | undefined {
  const headLength = headLengthOf(bytes);
  if (headLength === undefined || ENTRY_HEADER_BYTES + headLength > bytes.length) {
    return undefined;
  }
  return {
    head: bytes.subarray(ENTRY_HEADER_BYTES, ENTRY_HEADER_BYTES + headLength),
    tail: bytesInMemory(bytes.subarray(ENTRY_HEADER_BYTES + headLength)),
    close: () => undefined,
  };
}

/** A digest of a sequence of strings (SHA-256 in the Node worker). */
export type Digest = (parts: Iterable<string>) => string;

/**
 * A worker's salt of the keys it keeps indexes under: anything that changes what an
 * index holds changes it — the bundled library, the format, the indexing constants, the
 * extension's version and the codec's (the Node worker: V8's serializer, by V8's version).
 */
export function keptIndexSalt(digest: Digest, bundledText: string, version: string, codec: string): string {
  return digest([bundledText, String(LIBRARY_FORMAT), String(ABSTRACT_KEYWORDS), String(FULL_ABSTRACTS_UP_TO), version, codec]);
}

/**
 * Turns a kept index (plain data with typed arrays) into bytes and back: v8's
 * structured-clone serializer in the Node worker. `decode` throws on bytes it cannot read.
 */
export interface Codec {
  encode(value: unknown): Uint8Array;
  decode(bytes: Uint8Array): unknown;
}

/** What a cache entry holds: the key again (checked), and the index of exactly those papers. */
interface CachedIndex {
  readonly key: string;
  /** The salted digest of the sources the papers were read from at start-up (see `expect`), when known. */
  readonly sources?: string;
  readonly library: KeptLibrary;
  /** Stored after the index changed in a session (see `IndexServer.changedInSession`). */
  readonly session?: boolean;
}

/** A cache entry read back (or an index just built): searchable as it lies (KeptReader), thawed only to change. */
interface KeptEntry {
  /** Undefined for an index built where nothing was kept: its key is computed when it is stored. */
  readonly key: string | undefined;
  readonly sources?: string;
  /** Stored after the index changed in a session: its papers' ids are most likely not those a start gives. */
  readonly session?: boolean;
  readonly reader: KeptReader;
  /** Releases the entry's file. */
  readonly close: () => void;
}

/**
 * A second thread tokenizing papers for a first indexing (`FrozenBuilder.tokenizeApart`):
 * its records come back through `IndexServer.tokenized`, batch by batch, in the order sent.
 */
export interface Tokenizer {
  tokenize(batch: number, papers: readonly Paper[]): void;
  /** Ends the thread (its work is done, or no longer wanted). */
  stop(): void;
}

/**
 * A first indexing hands batches to a second tokenizing thread once this many papers have
 * come. Below it the host, still reading the .bib, is what the index waits for: with the
 * thread from 1,000 papers a 20,000-entry first start took 3.18–3.24 s against 3.02–3.11 s
 * without (three threads on two cores), while at 100,000 it saved about a second. It
 * also needs a core of its own (TOKENIZER_CORES, indexWorker.ts): not on two cores.
 */
export const TOKENIZER_FROM = 30_000;

/**
 * Papers still waiting for their turn when the host has sent everything (`settleComing`)
 * from which a second thread shares them (started then if none is running: the host has
 * nothing left to do, so two cores are enough). Below it the thread's start and the
 * copies cost more than its share saves.
 */
export const SHARE_FROM = 4000;

/** Papers out at the second thread at a time once a settle shares (`share`): about 0.15 s of its work. */
const SHARE_IN_FLIGHT = 1000;

/** Papers whose indexed content is digested together in a cache key (`keyInSteps`; part of the key's definition). */
const KEY_RUN = 1000;

/** The indexed content of a paper, as the cache key covers it. */
function indexedContent(p: Paper): string {
  return JSON.stringify([p.id, ...indexedValues(p)]);
}

/**
 * The worker's side: answers each message from its index. Pure, so tests drive it
 * directly.
 *
 * With a cache, the changes that arrive before `settle` (the workspace's libraries being
 * read at start-up) are only collected; at `settle` the resulting set of papers is
 * digested, and the index of exactly that set is loaded from the cache — or built (in
 * id order, so the same set always gives the same index, straight into the frozen
 * layout: frozenBuild.ts, from the papers tokenized as they came where nothing was kept
 * or the files changed) and stored. A cache entry is used only when its key, the format
 * and every part read; anything else is rebuilt. A kept or just built index answers as it
 * lies (a KeptReader over the frozen index) and is thawed into a PaperIndex only when it
 * must change.
 */
export class IndexServer {
  /**
   * The index that changes: the bundled one until a kept one is thawed or papers are
   * indexed. Loaded when first needed (75 ms): a start answered by a kept index may never.
   */
  private loaded: PaperIndex | undefined;
  /** A kept index answering instead of `index`, until it must change. */
  private reader: KeptEntry | undefined;
  /** Changes collected before `settle` (with a cache, or when asked to: see `collect`). */
  private pending: Map<number, Paper | undefined> | undefined;
  /** The cache's latest entry, read by `preload` while the host still reads the libraries. */
  private preloaded: KeptEntry | undefined;
  /** `preload` found no entry to read: the workspace's first start (or its index was lost). */
  private nothingKept = false;
  /**
   * Where nothing is kept, or the host's files changed since the kept index was made
   * (`expect`), papers that come before `settle` are tokenized as they come (the host
   * sends them while it still reads its files), so that `settle` only puts the index
   * together.
   */
  private ahead: FrozenBuilder<Paper> | undefined;
  /** Papers and batches that came for `ahead` so far. */
  private aheadCount = 0;
  private aheadBatches = 0;
  /** The second thread tokenizing every other batch for `ahead`, once started. */
  private tokenizer: Tokenizer | undefined;
  /** No second thread while the host still sends (none offered, or it failed): `ahead` tokenizes alone. */
  private alone = false;
  /** The second thread failed: none is started again. */
  private tokenizerBroke = false;
  /**
   * Batches that came for `ahead` and wait for their turn (`tokenizeTurn`), when the worker
   * gives turns (`turns`); with how many papers they hold.
   */
  private readonly queued: { readonly seq: number; readonly papers: readonly Paper[] }[] = [];
  private queuedPapers = 0;
  /** The work ahead under way for the papers of `key` (`idleStep`). */
  private idle: { readonly key: object; readonly steps: Generator<void, void> } | undefined;
  /** The papers (their `filterKey`) for which it was done. */
  private idleDoneFor: object | undefined;
  /** Whether the warm-up searches ran (`idleSteps`). */
  private warmedUp = false;
  /** A settle shared the papers waiting with the second thread (`settleComing`): it ends after them. */
  private shared = false;
  /** Batches out at the tokenizer, by the seq of the message they came in; with how many papers they hold. */
  private readonly apart = new Map<number, readonly Paper[]>();
  private apartPapers = 0;
  /**
   * The salted sources the papers were read from, as the host said at `settle`; kept with
   * the index until a later change makes them untrue.
   */
  private sources: string | undefined;
  /**
   * The index changed after `settle`. The host numbers a paper whose entry changed anew
   * (the next after every id it gave), where a start numbers the papers in the files'
   * order: an index stored now holds the same papers as the next start reads, under other
   * ids, and its key (of ids and content) is not theirs.
   */
  private changedInSession = false;

  /** The bundled library, parsed when first needed (a start answered by a kept index may never). */
  private bundledLibrary: SerializedLibrary | undefined;

  constructor(
    private readonly bundled: SerializedLibrary | (() => SerializedLibrary),
    private readonly cache?: {
      readonly store: IndexCache;
      readonly codec: Codec;
      readonly digest: Digest;
      readonly salt: string;
      /**
       * Runs the storing of a new index (seconds at 20,000 papers: freezing a changed
       * index, packing the papers, serialising and writing) after the reply to `settle`,
       * so search is ready before it: `write` makes the steps, each short; searches may
       * be answered between two steps, but a change must stop them (the index must not
       * change under them), and the storing starts again later. At once when absent.
       */
      readonly later?: (write: () => Generator<void, void>, quietMs?: number) => void;
      /** Runs a storing that `later` holds, now (the host is stopping). */
      readonly flush?: () => void;
      /**
       * Starts a second thread to tokenize half of a large first indexing (undefined:
       * none, e.g. too few cores). `hostIdle`: the host has sent everything and the thread
       * needs no core of the host's (see `settleComing`). Its records are given to
       * `tokenized`, in order; a settle must wait while `waiting()`.
       */
      readonly tokenizer?: (hostIdle: boolean) => Tokenizer | undefined;
      /** Papers before the second thread starts (TOKENIZER_FROM; tests start it sooner). */
      readonly tokenizerFrom?: number;
      /** Papers waiting for their turn from which a settle shares them (SHARE_FROM; tests set it low). */
      readonly shareFrom?: number;
      /**
       * The worker tokenizes the papers that come for the index ahead in turns of its own
       * (`tokenizeTurn`, between messages) instead of as each batch comes: an `apply` is
       * answered at once (the host does not wait for the tokenizing), and what still waits
       * when the host has sent everything can be shared with a second thread
       * (`settleComing`).
       */
      readonly turns?: boolean;
    },
    /**
     * Whether the papers that come before `settle` are collected, tokenized as they come
     * and put together at `settle` in the frozen layout (about half of MiniSearch's own
     * indexing time), rather than added to the index message by message: always with a
     * cache; a worker without one (the browser build's) asks for it.
     */
    collect = cache !== undefined,
  ) {
    this.pending = collect ? new Map() : undefined;
  }

  private get library(): SerializedLibrary {
    this.bundledLibrary ??= typeof this.bundled === 'function' ? this.bundled() : this.bundled;
    return this.bundledLibrary;
  }

  private get index(): PaperIndex {
    this.loaded ??= PaperIndex.load(this.library);
    return this.loaded;
  }

  private set index(index: PaperIndex) {
    this.loaded = index;
  }

  /**
   * Reads the cache's latest entry ahead of `settle`: at a window reload the host spends
   * seconds reading the .bib files before it can say which papers there are, and the
   * index they need is most likely the one the last session stored. `expect` may answer
   * from it at once; `settle` uses it if its key is the papers' key, and drops it otherwise.
   */
  preload(): void {
    const stored = this.pending && this.cache?.store.latest?.();
    const entry = stored ? this.parseEntry(stored) : undefined;
    if (entry && this.pending) {
      this.preloaded = entry;
    }
    this.nothingKept = entry === undefined;
    if (this.nothingKept && this.pending) {
      this.ahead = new FrozenBuilder(indexOptions(), processedTokens);
    }
  }

  /**
   * Tokenizes a batch ahead: here (now, or in a turn of its own with `turns`), or every
   * other batch of a large library at the second thread.
   */
  private tokenizeAhead(ahead: FrozenBuilder<Paper>, seq: number, papers: readonly Paper[]): void {
    this.aheadCount += papers.length;
    if (!this.tokenizer && !this.alone && this.aheadCount >= (this.cache?.tokenizerFrom ?? TOKENIZER_FROM)) {
      this.tokenizer = this.cache?.tokenizer?.(false);
      this.alone = this.tokenizer === undefined;
    }
    if (this.tokenizer && papers.length > 0 && this.aheadBatches++ % 2 === 1) {
      this.sendApart(this.tokenizer, seq, papers);
    } else if (this.cache?.turns) {
      this.queued.push({ seq, papers });
      this.queuedPapers += papers.length;
    } else {
      papers.forEach((p) => ahead.tokenize(p));
    }
  }

  /** Whether batches wait for their turn (see `turns`). */
  hasTurns(): boolean {
    return this.queued.length > 0;
  }

  /**
   * Whether the worker has work to do ahead for the papers that answer now (`idleStep`:
   * a worker runs it between messages, after any batch waiting for its turn; without it,
   * a filter makes its table when first needed). Not before `settle`: until then the
   * host reads the libraries and wants the cores (a kept index answering early is most
   * likely the one kept, and is prepared once settled). Nor after a change: the host is
   * then reading the saved file, and at 100,000 papers the table made again beside it
   * (its allocations collected by V8's threads, which the host's collections share)
   * went with longer host blocks (single runs of the load scenario's edit: 47–57 ms
   * against 31–47 ms); a filter after a save makes its table itself, as before.
   */
  hasIdleSteps(): boolean {
    return !this.pending && !this.changedInSession && this.searcher.filterKey !== this.idleDoneFor;
  }

  /** A step of the work ahead (`idleSteps`): begun again when the papers that answer changed. */
  idleStep(): void {
    const source = this.searcher;
    const key = source.filterKey;
    if (this.idle?.key !== key) {
      this.idle = { key, steps: this.idleSteps(source) };
    }
    let done: boolean | undefined;
    try {
      done = this.idle.steps.next().done;
    } catch {
      done = true; // left to the first search that needs it: nothing here may stop the worker
    }
    if (done) {
      this.idleDoneFor = key;
      this.idle = undefined;
    }
  }

  /**
   * What filter-only queries read (passing.ts, `filtersInSteps`); then, once in the
   * worker's life, a few searches as a person types them (`warmUpQueries`), so that the
   * first keystrokes do not run the ranking's loops before V8 has optimised them.
   */
  private *idleSteps(source: Pick<PaperIndex, 'search'> & FilterSource): Generator<void, void> {
    yield* filtersInSteps(source);
    if (!this.warmedUp) {
      this.warmedUp = true;
      for (const query of warmUpQueries(source)) {
        yield;
        source.search(query, { limit: 50 });
      }
    }
  }

  /**
   * Tokenizes the next batch waiting for its turn (see `turns`), but its papers replaced
   * or removed since it came; whether another still waits.
   */
  tokenizeTurn(): boolean {
    const next = this.queued.shift();
    this.queuedPapers -= next?.papers.length ?? 0;
    const { ahead, pending } = this;
    if (next && ahead && pending) {
      for (const p of next.papers) {
        if (pending.get(p.id) === p) {
          ahead.tokenize(p);
        }
      }
    }
    return this.queued.length > 0;
  }

  /**
   * A `settle` came: the host has sent every paper and does nothing more until the answer.
   * When enough papers still wait for their turn (SHARE_FROM), a second thread shares
   * them (`share`) — started now if none runs, since it no longer takes a core from the
   * host — and the settle waits for its records (`waiting`) while this thread tokenizes
   * the others in turns.
   */
  settleComing(): void {
    if (!this.ahead || this.tokenizerBroke || this.queuedPapers < (this.cache?.shareFrom ?? SHARE_FROM)) {
      return;
    }
    this.tokenizer ??= this.cache?.tokenizer?.(true);
    if (this.tokenizer) {
      this.shared = true;
      this.share();
    }
  }

  /**
   * Hands the second thread the last batches still waiting, up to SHARE_IN_FLIGHT papers
   * out at a time and never more than half of what is left: it takes from the end while
   * this thread takes from the start, and they meet wherever their speeds have them meet
   * (a half handed over at once left this thread idle for 0.7 s at 100,000 papers, the
   * other one starting cold).
   */
  private share(): void {
    const tokenizer = this.tokenizer;
    const most = Math.min(SHARE_IN_FLIGHT, (this.queuedPapers + this.apartPapers) / 2);
    while (tokenizer && this.queued.length > 0 && this.apartPapers + this.queued[this.queued.length - 1].papers.length <= most) {
      const { seq, papers } = this.queued.pop()!;
      this.queuedPapers -= papers.length;
      this.sendApart(tokenizer, seq, papers);
    }
  }

  private sendApart(tokenizer: Tokenizer, seq: number, papers: readonly Paper[]): void {
    this.apart.set(seq, papers);
    this.apartPapers += papers.length;
    tokenizer.tokenize(seq, papers);
  }

  /** The second thread's records of the batch that came with message `seq`. */
  tokenized(seq: number, records: Tokenized): void {
    const papers = this.apart.get(seq);
    this.apart.delete(seq);
    this.apartPapers -= papers?.length ?? 0;
    const pending = this.pending;
    if (papers && pending && this.ahead) {
      // A paper replaced or removed since is left out (the newer one is tokenized here).
      this.ahead.adopt(
        papers.map((p) => (pending.get(p.id) === p ? p : undefined)),
        records,
      );
    }
    if (this.shared) {
      this.share();
    }
    if (this.shared && this.apart.size === 0) {
      // Its last batch (no paper comes after a settle's): the thread ends now.
      this.stopTokenizer();
    }
  }

  /** Batches are out at the second thread: a `settle` must wait for them. */
  waiting(): boolean {
    return this.apart.size > 0;
  }

  private stopTokenizer(): void {
    this.tokenizer?.stop();
    this.tokenizer = undefined;
  }

  /** Tokenizing ahead is over: the builder and the second thread go. */
  private dropAhead(): void {
    this.stopTokenizer();
    this.ahead = undefined;
    this.queued.length = 0;
    this.queuedPapers = 0;
  }

  /** The second thread failed: what it had is tokenized here, at `settle`. */
  tokenizerFailed(): void {
    this.stopTokenizer();
    this.alone = true;
    this.tokenizerBroke = true;
    this.shared = false;
    this.apart.clear();
    this.apartPapers = 0;
  }

  /** The host's digest of its sources, salted: an index kept by another version never answers early. */
  private salted(sources: string | undefined): string | undefined {
    return sources === undefined || !this.cache ? undefined : this.cache.digest([this.cache.salt, sources]);
  }

  /**
   * Answers from the preloaded index until `settle` when it was made from these very
   * sources: the same files with the same content give the same papers. `settle` checks
   * that all the same, against the papers the host read.
   */
  private expect(sources: string): boolean {
    const salted = this.salted(sources);
    if (this.pending && this.preloaded && salted !== undefined && this.preloaded.sources === salted) {
      this.reader = this.preloaded;
      if (this.preloaded.session) {
        // Kept after changes in a session: the same papers, most likely under other ids.
        // It answers now; the papers are tokenized as they come all the same, so that
        // `settle` puts their index together rather than thawing this one to renumber it
        // (20,000 papers, one entry edited: searchable after 5.4 s that way, 3.7 s this).
        this.ahead = new FrozenBuilder(indexOptions(), processedTokens);
      }
    } else if (this.pending && this.preloaded && !this.ahead) {
      // The files changed since the kept index was made: the papers are most likely not
      // its papers, and indexing them afresh from papers tokenized as they come is
      // quicker than thawing the kept index to patch it (see `settle`).
      this.ahead = new FrozenBuilder(indexOptions(), processedTokens);
    }
    return this.reader !== undefined;
  }

  /** What answers searches now. */
  private get searcher(): Pick<PaperIndex, 'search' | 'related'> & FilterSource {
    return this.reader?.reader ?? this.index;
  }

  /** The index, to be changed: a kept index answering as it lies is thawed first. */
  private mutable(): PaperIndex {
    if (this.reader) {
      this.index = this.reader.reader.index();
      this.reader.close();
      this.reader = undefined;
    }
    return this.index;
  }

  handle(message: ToIndex): FromIndex {
    try {
      switch (message.type) {
        case 'apply':
          if (this.pending) {
            const pending = this.pending;
            const ahead = this.ahead;
            message.removed.forEach((id) => {
              const gone = pending.get(id);
              if (gone) {
                ahead?.forget(gone);
              }
              pending.set(id, undefined);
            });
            message.upserted.forEach((p) => {
              const before = pending.get(p.id);
              if (before) {
                ahead?.forget(before);
              }
              pending.set(p.id, p);
            });
            if (ahead) {
              this.tokenizeAhead(ahead, message.seq, message.upserted);
            }
          } else if (changesIndex(message)) {
            this.mutable().apply({ removed: message.removed, upserted: message.upserted });
            this.sources = undefined; // the papers are no longer those of the sources read at start-up
            this.changedInSession = true;
            this.idle = undefined; // (no work ahead after a change: see hasIdleSteps; its steps held the papers as they were)
          }
          return { type: 'applied', seq: message.seq };
        case 'expect':
          return { type: 'expected', seq: message.seq, answering: this.expect(message.sources) };
        case 'settle':
          return { type: 'settled', seq: message.seq, from: this.settle(message.sources) };
        case 'search':
          return {
            type: 'hits',
            seq: message.seq,
            hits: this.searcher
              .search(message.query, { limit: message.limit, mode: message.mode })
              .map((h) => ({ id: h.paper.id, score: h.score, terms: h.terms, ...(message.withPapers ? { paper: h.paper } : {}) })),
          };
        case 'related':
          return { type: 'related', seq: message.seq, ids: this.searcher.related(message.paper, message.count).map((p) => p.id) };
        case 'sources':
          this.keepWith(message.sources);
          return { type: 'noted', seq: message.seq };
        case 'flush':
          this.cache?.flush?.();
          return { type: 'flushed', seq: message.seq };
      }
    } catch (err) {
      return { type: 'failed', seq: message.seq, message: err instanceof Error ? err.message : String(err) };
    }
  }

  private settle(sources: string | undefined): IndexSource {
    const pending = this.pending;
    const preloaded = this.preloaded;
    this.preloaded = undefined;
    if (!pending) {
      return 'nothing to index';
    }
    this.pending = undefined;
    this.sources = this.salted(sources);
    // Answering from the preloaded index since `expect`: it is used again below, or not.
    this.reader = undefined;
    if (pending.size === 0) {
      preloaded?.close();
      this.dropAhead();
      return 'nothing to index';
    }
    // The papers as they will be: the bundled ones, changed by what came, in id order.
    const papers = new Map<number, Paper>(this.library.papers.map((p) => [p.id, p]));
    for (const [id, p] of pending) {
      if (p) {
        papers.set(id, p);
      } else {
        papers.delete(id);
      }
    }
    const sorted = [...papers.values()].sort((a, b) => a.id - b.id);
    if (this.nothingKept || !this.cache) {
      // Nothing kept to look the papers' key up in: index now, digest when storing.
      this.indexNow(sorted, undefined);
      return 'indexing';
    }
    // The papers' key, where a kept entry may be theirs. Writing an entry removes the
    // others, so after a preload only the preloaded one may; when it was made from other
    // sources (the files changed since) a sample of its papers is first compared with
    // these (`mayHold`): the key is a digest of every paper (1 s at 100,000), and such a
    // start mostly has other papers. (From the same sources the papers are most likely
    // its own, and its key is what says so.)
    const fromOtherSources = preloaded !== undefined && (this.sources === undefined || preloaded.sources !== this.sources);
    const key = fromOtherSources && !mayHold(preloaded.reader, sorted) ? undefined : this.keyOf(sorted);
    const entry = key === undefined ? undefined : preloaded?.key === key ? preloaded : this.readEntry(key);
    if (entry && entry.key === key && entry.reader.size === sorted.length) {
      if (entry !== preloaded) {
        preloaded?.close();
      }
      this.reader = entry;
      this.dropAhead(); // (the files changed, but not their papers)
      if (entry.sources !== this.sources && this.sources !== undefined) {
        this.keep(); // the same index, now known to come from these sources: the next start answers early
      }
      return 'cache';
    }
    if (entry !== preloaded) {
      entry?.close();
    }
    if (this.ahead) {
      // Papers tokenized as they came (the files changed since the kept index was made):
      // put together, 0.5 s at 20,000 papers, where thawing the kept index to patch it
      // took 1 s before the patching began.
      preloaded?.close();
      this.indexNow(sorted, key);
      return 'indexing';
    }
    const update = preloaded && planUpdate(preloaded.reader.papers, sorted);
    if (preloaded && update) {
      const kept = preloaded.reader.index();
      kept.apply({ removed: update.removed, upserted: [] });
      kept.renumber(update.moves);
      kept.apply({ removed: [], upserted: update.added });
      this.index = kept;
      this.keep();
    }
    preloaded?.close();
    if (update) {
      return 'updated';
    }
    this.indexNow(sorted, key);
    return 'indexing';
  }

  /**
   * Indexes the papers straight into the frozen layout (frozenBuild.ts: about half the
   * time of MiniSearch's own indexing), to be answered as it lies, like a kept index;
   * thawed at the first change, stored as it is.
   */
  private indexNow(sorted: Paper[], key: string | undefined): void {
    const frozen = (this.ahead ?? new FrozenBuilder(indexOptions(), processedTokens)).index(sorted);
    this.dropAhead();
    this.reader = { key, sources: this.sources, reader: KeptReader.indexed(sorted, frozen), close: () => undefined };
    this.keep();
  }

  /** The cache key of a set of papers, in id order (see `keyInSteps`). */
  private keyOf(sorted: readonly Paper[]): string {
    return finish(this.keyInSteps(sorted));
  }

  /**
   * The cache key of a set of papers, in id order: the digest of the salt and of each
   * run of KEY_RUN papers' indexed content, in steps of STORE_STEP_PAPERS papers (the
   * whole key took 0.25 s at 20,000 papers with abstracts).
   */
  private *keyInSteps(sorted: readonly Paper[]): Generator<void, string> {
    const { digest, salt } = this.cache!;
    const runs = [salt];
    for (let at = 0; at < sorted.length; at += KEY_RUN) {
      const contents: string[] = [];
      for (let i = at; i < Math.min(at + KEY_RUN, sorted.length); i++) {
        if (i > 0 && i % STORE_STEP_PAPERS === 0) {
          yield;
        }
        contents.push(indexedContent(sorted[i]));
      }
      runs.push(digest(contents));
    }
    return digest(runs);
  }

  /**
   * The libraries changed this session and `sources` names them as they are now (see
   * FullText.keepWith): the index is stored with them once quiet. Nothing to do before
   * `settle` (it takes the sources the start read), nor when they are the index's already.
   */
  private keepWith(sources: string): void {
    const salted = this.salted(sources);
    if (this.pending || salted === undefined || salted === this.sources) {
      return;
    }
    this.sources = salted;
    this.keep(SESSION_QUIET_MS);
  }

  /**
   * Stores the index (later, if the cache says when — after `quietMs` without changes
   * where given — in steps that a message stops and that start again once quiet) under
   * the key of the papers it holds when it is written: changes applied meanwhile are in
   * both. A kept index still answering as it lies is stored as it was read, under its own
   * key.
   */
  private keep(quietMs?: number): void {
    const cache = this.cache;
    if (!cache) {
      return; // (collecting without a cache: nowhere to keep it)
    }
    if (cache.later) {
      cache.later(() => this.storing(), quietMs);
    } else {
      finish(this.storing());
    }
  }

  /** The steps of storing the index (see `keep`). */
  private *storing(): Generator<void, void> {
    const cache = this.cache!;
    let head: Uint8Array;
    let tail: Uint8Array;
    let key: string;
    try {
      const reader = this.reader;
      const kept = reader ? yield* reader.reader.storedInSteps() : yield* keepIndexInSteps(this.index);
      yield;
      key = reader?.key ?? (yield* this.keyInSteps(reader ? reader.reader.papers : [...this.index.papers].sort((a, b) => a.id - b.id)));
      yield;
      head = cache.codec.encode({ key, sources: this.sources, library: kept.library, ...(this.changedInSession ? { session: true } : {}) } satisfies CachedIndex);
      tail = kept.tail;
    } catch {
      return; // too large to serialise here: the next start indexes, as without a cache
    }
    yield;
    const writing = cache.store.write(key, head, tail);
    if (writing) {
      yield* writing;
    }
  }

  private readEntry(key: string): KeptEntry | undefined {
    const stored = this.cache?.store.read(key);
    return stored ? this.parseEntry(stored) : undefined;
  }

  /** A cache entry's key, sources and reader; undefined (and closed) when any part does not read. */
  private parseEntry(stored: StoredEntry): KeptEntry | undefined {
    try {
      const entry = this.cache!.codec.decode(stored.head) as CachedIndex;
      if (typeof entry?.key !== 'string') {
        throw new Error('no key');
      }
      const sources = typeof entry.sources === 'string' ? entry.sources : undefined;
      // Throws on anything else than a kept library whose parts agree (the papers' bytes included).
      return { key: entry.key, sources, session: entry.session === true, reader: new KeptReader(entry.library, stored.tail), close: () => stored.close() };
    } catch {
      stored.close();
      return undefined; // corrupt: rebuilt, and overwritten
    }
  }
}

/**
 * How long an index changed this session waits for quiet before it is stored, ms (the
 * index of a start waits a second): storing is a whole entry each time (seconds of the
 * worker's time at 20,000 papers), and a .bib is often saved in bursts — a reference
 * manager's automatic export, a person fixing entries one by one. A host stopping
 * sooner has it stored at once (`flush`).
 */
const SESSION_QUIET_MS = 10_000;

/** Papers of a kept index compared with those read before its key is computed (`mayHold`). */
const HOLD_SAMPLE = 64;

/**
 * Whether a kept index may be that of `sorted`: the same number of papers, and a sample
 * of them — the first and the last among them — with the same ids and indexed content
 * (false too where a kept paper does not read: damaged since it was written). A .bib
 * changed since mostly differs there (an entry added or removed moves every id after
 * it); when none differs, the key decides. Comparing every paper instead read and
 * decoded the whole kept library: a settle at 100,000 papers with only the last entry
 * edited took 5.5–6.5 s against 3.5–4.1 s with the key (out/tmp/changed2.ts).
 */
function mayHold(kept: KeptReader, sorted: readonly Paper[]): boolean {
  const count = sorted.length;
  if (kept.size !== count) {
    return false;
  }
  const same = (p: Paper): boolean => {
    const theirs = kept.get(p.id);
    return theirs !== undefined && sameIndexedContent(theirs, p);
  };
  try {
    const step = Math.max(1, Math.floor(count / HOLD_SAMPLE));
    for (let i = 0; i < count; i += step) {
      if (!same(sorted[i])) {
        return false;
      }
    }
    return count === 0 || same(sorted[count - 1]);
  } catch {
    return false;
  }
}

/**
 * How to bring a kept index of other papers up to `papers` by re-indexing only what
 * differs: a paper whose indexed content is in the kept index keeps its postings (under
 * its new id if entries moved in the .bib; `moves`: kept id → the paper now), the others
 * are removed or added. Undefined when the papers added and removed outnumber half the
 * set: indexing the set is then as quick, and leaves no removed postings behind.
 */
function planUpdate(kept: readonly Paper[], papers: readonly Paper[]): { removed: number[]; moves: Map<number, Paper>; added: Paper[] } | undefined {
  const contentOf = (p: Paper): string => JSON.stringify(indexedValues(p));
  const byContent = new Map<string, number[]>();
  for (const p of kept) {
    const content = contentOf(p);
    const ids = byContent.get(content);
    if (ids) {
      ids.push(p.id);
    } else {
      byContent.set(content, [p.id]);
    }
  }
  const moves = new Map<number, Paper>();
  const added: Paper[] = [];
  for (const p of papers) {
    const ids = byContent.get(contentOf(p));
    if (ids?.length) {
      // The same id when it is there (most papers), else the first of that content.
      const at = ids.indexOf(p.id);
      moves.set(ids.splice(at >= 0 ? at : 0, 1)[0], p);
    } else {
      added.push(p);
    }
  }
  // Declined when what changes outweighs what is kept: mostly new papers, or a kept index
  // mostly of papers that are gone (a large library's, where a small one is open now).
  const removed = kept.filter((p) => !moves.has(p.id)).map((p) => p.id);
  return (added.length + removed.length) * 2 > papers.length ? undefined : { removed, moves, added };
}

/** In the extension host: the same index, applied in slices with a pause between them. */
export class InProcessFullText implements FullText {
  readonly kind = 'in-process';

  constructor(
    private readonly index: PaperIndex,
    private readonly pause: () => Promise<void>,
  ) {}

  apply(change: LibraryChange): Promise<void> {
    return this.index.applyInSlices(change, this.pause);
  }

  // Runs at once, on this thread: nothing can supersede it, so lanes do not matter here.
  async search(query: string | ParsedQuery, options: SearchOptions = {}): Promise<HitRef[] | undefined> {
    return this.index.search(query, options).map((h) => ({ id: h.paper.id, score: h.score, terms: h.terms }));
  }

  async related(paper: Pick<Paper, 'id' | 'title' | 'abstract'>, count: number): Promise<number[]> {
    return this.index.related(paper, count).map((p) => p.id);
  }

  async expect(): Promise<boolean> {
    return false; // nothing is kept in this thread
  }

  async settle(): Promise<'nothing to index'> {
    return 'nothing to index';
  }

  async keepWith(): Promise<void> {} // nothing is kept in this thread

  async stop(): Promise<void> {}

  dispose(): void {}
}

/** The two ends of a message channel, whatever carries it (a Node worker, a Web Worker). */
export interface IndexPort {
  postMessage(message: ToIndex): void;
  onMessage(listener: (message: FromIndex) => void): void;
  /** Called once if the worker dies; pending requests fail. */
  onError(listener: (error: Error) => void): void;
  terminate(): void;
}

/**
 * A port's failure as `IndexPort.onError` reports it: to the listener once, and not after
 * a stop the host asked for (`stopping`).
 */
export function portFailure(): { fail: (error: Error) => void; onError: IndexPort['onError']; stopping: () => void } {
  let listener: ((error: Error) => void) | undefined;
  let told = false;
  return {
    fail: (error) => {
      if (!told) {
        told = true;
        listener?.(error);
      }
    },
    onError: (l) => (listener = l),
    stopping: () => (told = true),
  };
}

/** Papers per `apply` message: each is cloned on the host's thread, so keep each clone short. */
const APPLY_CHUNK = 500;
/**
 * How long a stopping host lets the worker store a waiting index (VS Code gives an
 * extension host about 5 s to shut down; storing 20,000 papers takes about 0.5 s).
 */
const FLUSH_MS = 4000;

/**
 * The extension host's side of a worker: requests are numbered, answers matched by
 * number. Messages are handled in order, so a search sent after an `apply` sees it.
 * At most one search per lane waits behind a running one; a newer search replaces it.
 */
export class WorkerFullText implements FullText {
  readonly kind = 'worker';
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (m: FromIndex) => void; reject: (e: Error) => void }>();
  /** Per lane: the search the worker is running, and the one waiting to be sent. */
  private readonly lanes = new Map<string, { running: boolean; waiting?: { send: () => void; drop: () => void } }>();
  private failure: Error | undefined;

  constructor(
    private readonly port: IndexPort,
    private readonly pause: () => Promise<void>,
  ) {
    port.onMessage((m) => {
      const waiter = this.pending.get(m.seq);
      if (waiter) {
        this.pending.delete(m.seq);
        waiter.resolve(m);
      }
    });
    port.onError((err) => {
      this.failure = err;
      for (const w of this.pending.values()) {
        w.reject(err);
      }
      this.pending.clear();
    });
  }

  private request<T extends FromIndex['type']>(build: (seq: number) => ToIndex, expect: T): Promise<Extract<FromIndex, { type: T }>> {
    if (this.failure) {
      return Promise.reject(this.failure);
    }
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, {
        resolve: (m) => (m.type === expect ? resolve(m as Extract<FromIndex, { type: T }>) : reject(new Error(m.type === 'failed' ? m.message : `unexpected ${m.type}`))),
        reject,
      });
      this.port.postMessage(build(seq));
    });
  }

  async apply(change: LibraryChange): Promise<void> {
    // Papers go without their raw .bib entries, in chunks, with a pause between chunks.
    const sent: Promise<unknown>[] = [];
    for (let i = 0; i === 0 || i < change.upserted.length; i += APPLY_CHUNK) {
      if (i > 0) {
        await this.pause();
      }
      const removed = i === 0 ? change.removed : [];
      const chunk = change.upserted.slice(i, i + APPLY_CHUNK).map(indexedFields);
      sent.push(this.request((seq) => ({ type: 'apply', seq, removed, upserted: chunk }), 'applied'));
    }
    await Promise.all(sent);
  }

  search(query: string | ParsedQuery, options: SearchOptions = {}): Promise<HitRef[] | undefined> {
    const run = () =>
      this.request((seq) => ({ type: 'search', seq, query, limit: options.limit, mode: options.mode, withPapers: options.withPapers }), 'hits').then((m) => [...m.hits]);
    const laneName = options.lane;
    if (!laneName) {
      return run();
    }
    let lane = this.lanes.get(laneName);
    if (!lane) {
      lane = { running: false };
      this.lanes.set(laneName, lane);
    }
    const theLane = lane;
    return new Promise<HitRef[] | undefined>((resolve, reject) => {
      const send = (): void => {
        theLane.running = true;
        run().then(
          (hits) => {
            resolve(hits);
            this.next(theLane);
          },
          (err: unknown) => {
            reject(err instanceof Error ? err : new Error(String(err)));
            this.next(theLane);
          },
        );
      };
      if (!theLane.running) {
        send();
        return;
      }
      theLane.waiting?.drop();
      theLane.waiting = { send, drop: () => resolve(undefined) };
    });
  }

  private next(lane: { running: boolean; waiting?: { send: () => void; drop: () => void } }): void {
    lane.running = false;
    const waiting = lane.waiting;
    lane.waiting = undefined;
    waiting?.send();
  }

  async related(paper: Pick<Paper, 'id' | 'title' | 'abstract'>, count: number): Promise<number[]> {
    const m = await this.request((seq) => ({ type: 'related', seq, paper: { id: paper.id, title: paper.title, abstract: paper.abstract }, count }), 'related');
    return [...m.ids];
  }

  async expect(sources: string): Promise<boolean> {
    return (await this.request((seq) => ({ type: 'expect', seq, sources }), 'expected')).answering;
  }

  async settle(sources?: string): Promise<IndexSource> {
    return (await this.request((seq) => ({ type: 'settle', seq, sources }), 'settled')).from;
  }

  async keepWith(sources: string): Promise<void> {
    await this.request((seq) => ({ type: 'sources', seq, sources }), 'noted');
  }

  private stopping: Promise<void> | undefined;

  /**
   * Stops the worker — once it has stored an index still waiting to be stored (the worker
   * stores a new one when idle for a second: a window reloaded right after indexing would
   * otherwise index again), or after FLUSH_MS. Requests still waiting fail.
   */
  stop(): Promise<void> {
    this.stopping ??= new Promise<void>((resolve) => {
      for (const w of this.pending.values()) {
        w.reject(new Error('the index worker was stopped'));
      }
      this.pending.clear();
      if (this.failure) {
        this.port.terminate();
        resolve();
        return;
      }
      const terminate = (): void => {
        clearTimeout(timer);
        this.port.terminate();
        resolve();
      };
      const timer = setTimeout(terminate, FLUSH_MS);
      const seq = ++this.seq;
      this.pending.set(seq, { resolve: terminate, reject: terminate });
      this.port.postMessage({ type: 'flush', seq });
    });
    return this.stopping;
  }

  dispose(): void {
    void this.stop();
  }
}
