import * as vscode from 'vscode';
import type { Paper } from '../core/library/paper';
import { PaperIndex, type SerializedLibrary } from '../core/search/searchIndex';
import { LibraryModel } from '../core/library/libraryModel';
import type { BibFileChange } from './bib/bibFiles';
import { ONLINE_ID_BASE, paperFromWork, workKeys } from '../core/online/papers';
import type { RemoteWork } from '../core/online/types';

/** Reads the index built at build time; never re-indexes. Uses workspace.fs so it also works on the web. */
export async function loadBundledIndex(extensionUri: vscode.Uri): Promise<PaperIndex> {
  const uri = vscode.Uri.joinPath(extensionUri, 'dist', 'library.json');
  const bytes = await vscode.workspace.fs.readFile(uri);
  const lib = JSON.parse(new TextDecoder().decode(bytes)) as SerializedLibrary;
  return PaperIndex.load(lib);
}

const yieldToEditor = () => new Promise<void>((r) => setTimeout(r, 0));

/** The papers every feature searches: the bundled corpus plus the workspace's .bib entries. */
export class Library implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires after the papers changed (debounced: one event for a burst of file updates). */
  readonly onDidChange = this.changeEmitter.event;
  /** The library as distinct papers (bundled + .bib entries); the index follows its changes. */
  readonly model: LibraryModel;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly current: PaperIndex) {
    this.model = new LibraryModel(current.papers);
  }

  get index(): PaperIndex {
    return this.current;
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

  /** Applies one .bib file's change; updates run one at a time, in order. */
  applyBibChange(change: BibFileChange): Promise<void> {
    this.queue = this.queue.then(async () => {
      const id = change.uri.toString();
      const delta = change.file
        ? await this.model.setFile({ file: id, text: change.file.text, entries: change.file.result.entries, strings: change.file.result.strings }, yieldToEditor)
        : this.model.removeFile(id);
      this.current.apply(delta);
      this.changed();
    });
    return this.queue;
  }

  /** Resolves when every queued .bib change is in the index. */
  settled(): Promise<void> {
    return this.queue;
  }

  private changed(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.changeEmitter.fire(), 50);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changeEmitter.dispose();
  }
}
