import * as vscode from 'vscode';
import { MAX_SCAN_CHARS } from '../constants';
import { scanDocument, type Mention } from '../core/detect/detect';
import { TitleMatcher } from '../core/detect/titleMatcher';
import { documentKind } from './documents';
import type { Library } from './library';
import { Latest } from '../core/text/slices';

/** Mentions per document, computed once per document version and shared by every feature. */
export class DocumentScanner implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; mentions: Mention[] }>();
  private matcher: TitleMatcher | undefined;
  private readonly builds = new Latest();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires when mentions may have changed for every document (a new title matcher). */
  readonly onDidChange = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[];

  private readonly toldTooLarge = new Set<string>();

  constructor(
    private readonly library: Library,
    /** The user's own LaTeX citation commands (a setting). */
    private readonly citeCommands: () => ReadonlySet<string> = () => new Set(),
    /** Told once per document that is too large to scan. */
    private readonly onTooLarge: (doc: vscode.TextDocument) => void = () => undefined,
  ) {
    this.disposables = [
      library.onDidChange(() => this.rebuildTitles()),
      vscode.workspace.onDidCloseTextDocument((doc) => this.cache.delete(doc.uri.toString())),
    ];
  }

  /** Forgets every scan (the citation commands setting changed). */
  invalidate(): void {
    this.cache.clear();
    this.changeEmitter.fire();
  }

  /** Every citation key, arXiv id and title in the document (empty for other languages or huge files). */
  scan(doc: vscode.TextDocument): Mention[] {
    const kind = documentKind(doc);
    if (!kind) {
      return [];
    }
    const id = doc.uri.toString();
    const hit = this.cache.get(id);
    if (hit && hit.version === doc.version) {
      return hit.mentions;
    }
    const text = doc.getText();
    if (text.length > MAX_SCAN_CHARS && !this.toldTooLarge.has(id)) {
      this.toldTooLarge.add(id);
      this.onTooLarge(doc);
    }
    const mentions = text.length > MAX_SCAN_CHARS ? [] : scanDocument(text, kind, { titles: this.titles(), citeCommands: this.citeCommands() });
    this.cache.set(id, { version: doc.version, mentions });
    return mentions;
  }

  private titles(): TitleMatcher {
    this.matcher ??= new TitleMatcher(this.library.index.papers);
    return this.matcher;
  }

  /**
   * A changed library needs its titles matched anew; a large library's matcher takes a
   * while to build, so it is built in slices, and updated in slices where the papers
   * changed; scans meanwhile see what is filed so far, and every document is scanned
   * again once it is done. At start-up it waits until the libraries are searchable: a
   * first start's index is tokenized by the worker threads meanwhile, and the matcher's
   * seconds at 100,000 papers on the host would take a core from them (ARCHITECTURE.md,
   * "The second tokenizer once the host has sent everything").
   */
  private rebuildTitles(): void {
    void this.library.readAndSettled().then(() => this.buildTitles());
  }

  /** The matcher made, or the one answering updated in place: a save of one entry files that entry's title again, not the library's. */
  private buildTitles(): void {
    const papers = this.library.index.papers;
    void this.builds.run((pause) => (this.matcher ? this.matcher.updateInSlices(papers, pause) : TitleMatcher.buildInSlices(papers, pause))).then((matcher) => {
      if (matcher) {
        this.matcher = matcher;
        this.cache.clear();
        this.changeEmitter.fire();
      }
    });
  }

  dispose(): void {
    this.builds.cancel();
    this.disposables.forEach((d) => d.dispose());
    this.changeEmitter.dispose();
    this.cache.clear();
  }
}
