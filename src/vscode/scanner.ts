import * as vscode from 'vscode';
import { MAX_SCAN_CHARS } from '../constants';
import { scanDocument, type Mention } from '../core/detect';
import { TitleMatcher } from '../core/titleMatcher';
import { documentKind } from './documents';
import type { Library } from './library';

/** Mentions per document, computed once per document version and shared by every feature. */
export class DocumentScanner implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; mentions: Mention[] }>();
  private matcher: TitleMatcher | undefined;
  private readonly disposables: vscode.Disposable[];

  private readonly toldTooLarge = new Set<string>();

  constructor(
    private readonly library: Library,
    /** Told once per document that is too large to scan. */
    private readonly onTooLarge: (doc: vscode.TextDocument) => void = () => undefined,
  ) {
    this.disposables = [
      library.onDidChange(() => {
        this.matcher = undefined;
        this.cache.clear();
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.cache.delete(doc.uri.toString())),
    ];
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
    const mentions = text.length > MAX_SCAN_CHARS ? [] : scanDocument(text, kind, { titles: this.titles() });
    this.cache.set(id, { version: doc.version, mentions });
    return mentions;
  }

  private titles(): TitleMatcher {
    this.matcher ??= new TitleMatcher(this.library.index.papers);
    return this.matcher;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    this.cache.clear();
  }
}
