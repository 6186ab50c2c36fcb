import * as vscode from 'vscode';
import type { Paper } from '../core/library/paper';
import { InProcessFullText, type FullText, type IndexSource, type SearchOptions } from '../core/search/fullText';
import type { ParsedQuery } from '../core/search/query';
import { PaperIndex, type SearchHit, type SerializedLibrary } from '../core/search/searchIndex';
import { dropReadAhead, followFile, ReadAhead, type Followers } from '../core/library/followFile';
import type { OnRead } from '../core/bib/parser';
import { LibraryModel } from '../core/library/libraryModel';
import type { BibFileChange } from './bib/bibFiles';
import { ONLINE_ID_BASE, paperFromWork, workKeys } from '../core/online/papers';
import type { RemoteWork } from '../core/online/types';
import { giveBack } from '../core/text/slices';

/** Reads the library built at build time (papers and their index); never re-indexes. Uses workspace.fs so it also works on the web. */
export async function loadBundledLibrary(extensionUri: vscode.Uri): Promise<SerializedLibrary> {
  return parseBundledLibrary(await readBundledLibrary(extensionUri));
}

/** The bundled library's bytes (dist/library.json), read once: the browser build's index worker gets the same. */
export function readBundledLibrary(extensionUri: vscode.Uri): Promise<Uint8Array> {
  return Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'dist', 'library.json')));
}

export function parseBundledLibrary(bytes: Uint8Array): SerializedLibrary {
  return JSON.parse(new TextDecoder().decode(bytes)) as SerializedLibrary;
}

/** The full text in this thread, over the bundled index as shipped. */
export function inProcessFullText(bundled: SerializedLibrary): FullText {
  return new InProcessFullText(PaperIndex.load(bundled), giveBack);
}

/** The papers every feature searches: the bundled corpus plus the workspace's .bib entries. */
export class Library implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires after the papers changed (debounced: one event for a burst of file updates). */
  readonly onDidChange = this.changeEmitter.event;
  /** The library as distinct papers (bundled + .bib entries); the index follows its changes. */
  readonly model: LibraryModel;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly current: PaperIndex;
  private text: FullText;
  /** Whether the full text answers from a kept index before the libraries are parsed (see `expectKept`). */
  private early = false;
  /** Whether the full text was told the libraries are read (`settleFullText`): changes no longer go early. */
  private settling = false;
  /** Changes queued so far (`applyBibChange`): sources named before the last one are stale (`keepSources`). */
  private changes = 0;
  /** Changes queued and not yet followed. */
  private following = 0;
  /** Files being parsed for the first time at start-up, made into papers as they are read (`readAhead`). */
  private readonly aheads = new Map<string, ReadAhead>();
  /** What a file's change goes through (followFile). */
  private readonly followers: Followers;
  /** Papers of a kept index that the host had not read yet when a search returned them. */
  private readonly provisional = new WeakSet<Paper>();
  private fullyRead!: () => void;
  /** Resolves once the workspace's libraries are read and settled in the full text. */
  private readonly read = new Promise<void>((resolve) => (this.fullyRead = resolve));

  /**
   * `bundled` is the shipped library; `fullText` searches it (and follows every change),
   * in a worker or in this thread. If a worker fails, the library falls back to this
   * thread by itself and `log` says so.
   */
  constructor(
    private readonly bundled: SerializedLibrary,
    fullText: FullText,
    private readonly log: (message: string) => void = () => undefined,
  ) {
    this.current = PaperIndex.lookupsOnly(bundled.papers);
    this.text = fullText;
    this.model = new LibraryModel(this.current.papers);
    this.followers = { model: this.model, lookups: this.current, fullText: (f) => this.withFullText(f) };
  }

  /** Papers by id, key, DOI and arXiv id (the full text is searched through `search`). */
  get index(): PaperIndex {
    return this.current;
  }

  /** Where the full-text index lives now. */
  get fullTextKind(): FullText['kind'] {
    return this.text.kind;
  }

  /**
   * Ranked papers for a query (palette syntax), or `undefined` when a newer search of the
   * same lane superseded this one. With `provisional`, while a kept index answers before
   * the libraries are read (`expectKept`), hits may be papers the host does not know yet:
   * what is done with them goes through `complete` first.
   */
  async search(query: string | ParsedQuery, options: SearchOptions & { readonly provisional?: boolean } = {}): Promise<SearchHit[] | undefined> {
    const withPapers = options.provisional === true && this.early;
    const refs = await this.withFullText((t) => t.search(query, { ...options, withPapers }));
    if (!refs) {
      return undefined;
    }
    const hits: SearchHit[] = [];
    for (const r of refs) {
      let paper = this.current.get(r.id);
      if (!paper && withPapers && r.paper) {
        paper = r.paper;
        this.provisional.add(paper);
      }
      if (paper) {
        hits.push({ paper, score: r.score, terms: r.terms });
      }
    }
    return hits;
  }

  /**
   * Lets searches answer from the index kept at the last start, while the workspace's
   * libraries are still being parsed: `sources` digests the files read (see
   * BibFiles.sources), and a kept index made from the same sources holds the same papers.
   * Until then a search asked for `provisional` hits may return papers the host has not
   * read yet (without their .bib entries): `complete` gives the library's own once read.
   */
  async expectKept(sources: string): Promise<boolean> {
    this.early = await this.withFullText((t) => t.expect(sources));
    if (this.early) {
      this.changed(); // an open search shows the kept papers now
    }
    return this.early;
  }

  /**
   * Whether searches answer from the index kept at the last start while the workspace's
   * libraries are still being read (the model's counts are not theirs yet).
   */
  get answeringEarly(): boolean {
    return this.early;
  }

  /**
   * The library's own papers for papers a search returned: a provisional one is awaited
   * until the libraries are read, then looked up by id (else by key); the others are as
   * they are.
   */
  async complete(papers: readonly Paper[]): Promise<Paper[]> {
    if (!papers.some((p) => this.provisional.has(p))) {
      return [...papers];
    }
    await this.read;
    return papers.map((p) => {
      if (!this.provisional.has(p)) {
        return p;
      }
      const own = this.current.get(p.id);
      return own && own.key === p.key ? own : (this.current.byKey(p.key) ?? p);
    });
  }

  /** The papers most like this one by title and abstract words. */
  async related(paper: Paper, count: number): Promise<Paper[]> {
    const ids = await this.withFullText((t) => t.related(paper, count));
    return ids.map((id) => this.current.get(id)).filter((p): p is Paper => p !== undefined);
  }

  /**
   * Tells the full text that the workspace's libraries are read (after start-up): a worker
   * indexes what it collected, or loads the index of exactly those papers from its cache.
   * Resolves with where the index came from; waits for queued changes first.
   */
  async settleFullText(sources?: string): Promise<IndexSource> {
    this.settling = true;
    try {
      await this.queue;
      for (const ahead of this.aheads.values()) {
        await dropReadAhead(this.followers, ahead, giveBack);
      }
      this.aheads.clear();
      return await this.withFullText((t) => t.settle(sources));
    } finally {
      this.early = false;
      this.fullyRead();
    }
  }

  /** Runs `f` on the full text; a failed worker is replaced by an index in this thread, once. */
  private async withFullText<T>(f: (t: FullText) => Promise<T>): Promise<T> {
    try {
      return await f(this.text);
    } catch (err) {
      if (this.text.kind !== 'worker') {
        throw err;
      }
      this.log(`The search index worker failed (${err instanceof Error ? err.message : String(err)}); searching in the extension host instead.`);
      await this.fallBack();
      return f(this.text);
    }
  }

  private fallingBack: Promise<void> | undefined;

  private fallBack(): Promise<void> {
    this.fallingBack ??= (async () => {
      this.text.dispose();
      const local = inProcessFullText(this.bundled);
      const bundledIds = new Set(this.bundled.papers.map((p) => p.id));
      const removed = [...bundledIds].filter((id) => this.current.get(id) === undefined);
      await local.apply({ removed, upserted: this.current.papers.filter((p) => !bundledIds.has(p.id) || p !== this.bundled.papers[p.id]) });
      this.text = local;
    })();
    return this.fallingBack;
  }

  /** Papers found online this session, by key: not in the library until their entry is in a .bib file. */
  private readonly found = new Map<string, Paper>();
  /** The same papers by what identifies a work (arXiv id, DOI, title and year). */
  private readonly foundByWork = new Map<string, Paper>();
  private nextFoundId = ONLINE_ID_BASE;

  /**
   * A work found online as a paper: the library's own when it has the same one, else the
   * paper this work became earlier this session (its key does not change between
   * searches), else a new paper with a key no other paper has.
   */
  paperForWork(work: RemoteWork): Paper {
    const same = this.model.findSame({ key: '', title: work.title, year: work.year, authors: work.authors, arxiv: work.arxiv, doi: work.doi });
    if (same) {
      return same;
    }
    const ids = workKeys(work);
    const known = ids.map((k) => this.foundByWork.get(k)).find((p) => p !== undefined && this.found.get(p.key) === p);
    if (known) {
      return known;
    }
    // Keys are looked up, not copied: this runs for every new result of a search.
    const taken = { has: (key: string) => this.current.byKey(key) !== undefined || this.found.has(key) };
    const paper = paperFromWork(work, this.nextFoundId--, taken);
    this.found.set(paper.key, paper);
    ids.forEach((k) => this.foundByWork.set(k, paper));
    if (this.found.size > 500) {
      const [oldKey, old] = this.found.entries().next().value!;
      this.found.delete(oldKey);
      workKeys(old).forEach((k) => this.foundByWork.get(k) === old && this.foundByWork.delete(k));
    }
    return paper;
  }

  /** The paper a key names: the library's, else one found online this session. */
  resolve(key: string): Paper | undefined {
    return this.current.byKey(key) ?? this.found.get(key);
  }

  /**
   * For a file's parse (BibFiles): before the libraries are settled, a worker gets the
   * file's papers as they are read (ReadAhead), once no other change is being followed —
   * the model's ids ahead are then the ones its change will give. Undefined otherwise.
   */
  readAhead(uri: vscode.Uri): OnRead | undefined {
    if (this.text.kind !== 'worker' || this.settling) {
      return undefined;
    }
    const file = uri.toString();
    const ahead = new ReadAhead(this.followers, file, giveBack, () => this.following === 0 && !this.settling, this.aheads.get(file));
    this.aheads.set(file, ahead);
    return ahead.read;
  }

  /** Applies one .bib file's change; updates run one at a time, in order. */
  applyBibChange(change: BibFileChange): Promise<void> {
    this.changes++;
    this.following++;
    const file = change.uri.toString();
    // Taken now: a read ahead stops here, before a newer read of the file may start one.
    const ahead = this.aheads.get(file);
    this.aheads.delete(file);
    ahead?.close();
    this.queue = this.queue.then(async () => {
      try {
        const input = change.file && { file, text: change.file.text, entries: change.file.result.entries, strings: change.file.result.strings, byKey: change.file.result.byKey };
        // Before the libraries are settled a worker only collects papers: they go to it as the model makes them.
        const early = this.text.kind === 'worker' && !this.settling;
        await followFile(this.followers, file, input, giveBack, early, ahead);
        this.changed();
      } finally {
        this.following--;
      }
    });
    return this.queue;
  }

  /**
   * After the libraries changed this session: `name` names them as they are now
   * (BibFiles.currentSources), and the full text keeps its index with those names once
   * every change before is in it, so that the next start answers from it early instead of
   * indexing again. Dropped when a newer change comes meanwhile (its own call names it),
   * and until the start-up's libraries are settled (the start names its own).
   */
  async keepSources(name: () => Promise<string | undefined>): Promise<void> {
    const mark = this.changes;
    await this.read;
    await this.queue;
    const sources = mark === this.changes ? await name() : undefined;
    if (sources !== undefined && mark === this.changes) {
      await this.withFullText((t) => t.keepWith(sources));
    }
  }

  /**
   * Resolves once the start-up's libraries are read and settled in the full text (at once
   * after that): work that can wait for it leaves the cores to the indexing meanwhile.
   */
  readAndSettled(): Promise<void> {
    return this.read;
  }

  /** Resolves when every queued .bib change is in the index. */
  settled(): Promise<void> {
    return this.queue;
  }

  private changed(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.changeEmitter.fire(), 50);
  }

  /** Stops the full text (a worker stores a waiting index first); resolves when stopped. */
  stop(): Promise<void> {
    return this.text.stop();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changeEmitter.dispose();
    this.text.dispose();
  }
}
