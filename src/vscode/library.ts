import * as vscode from 'vscode';
import { PaperIndex, type SerializedLibrary } from '../core/search/searchIndex';
import { LibraryModel } from '../core/library/libraryModel';
import type { BibFileChange } from './bib/bibFiles';

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
