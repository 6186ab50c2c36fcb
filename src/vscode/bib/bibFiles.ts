import * as vscode from 'vscode';
import { ConfigSection, Settings } from '../../constants';
import { parseBibtex, type BibParseResult } from '../../core/bibtexParser';
import { readCurrentText } from './readText';

/** The .bib files of the workspace, parsed, kept current as they change. */
export class BibFiles implements vscode.Disposable {
  private readonly files = new Map<string, { uri: vscode.Uri; result: BibParseResult }>();
  private readonly keys = new Map<string, number>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  /** Resolves when the first scan of the workspace is done. */
  readonly ready: Promise<void>;

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.bib');
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => this.schedule(uri)),
      watcher.onDidChange((uri) => this.schedule(uri)),
      watcher.onDidDelete((uri) => this.remove(uri)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.path.endsWith('.bib') && e.contentChanges.length > 0) {
          this.schedule(e.document.uri);
        }
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${ConfigSection}.bibliography`)) {
          void this.rescan();
        }
      }),
    );
    this.ready = this.rescan();
  }

  /** True when some workspace .bib file has an entry with this key. */
  hasKey(key: string): boolean {
    return (this.keys.get(key) ?? 0) > 0;
  }

  /** Parsed files by URI string. */
  all(): ReadonlyMap<string, { uri: vscode.Uri; result: BibParseResult }> {
    return this.files;
  }

  private async rescan(): Promise<void> {
    const config = vscode.workspace.getConfiguration(ConfigSection);
    const include = config.get<string>(Settings.bibliographyInclude, '**/*.bib');
    const exclude = config.get<string>(Settings.bibliographyExclude, '**/node_modules/**');
    const uris = await vscode.workspace.findFiles(include, exclude || undefined, 2000);
    this.files.clear();
    this.keys.clear();
    await Promise.all(uris.map((uri) => this.load(uri, false)));
    this.changeEmitter.fire();
  }

  private schedule(uri: vscode.Uri): void {
    const id = uri.toString();
    clearTimeout(this.pending.get(id));
    this.pending.set(
      id,
      setTimeout(() => {
        this.pending.delete(id);
        void this.load(uri, true);
      }, 300),
    );
  }

  private async load(uri: vscode.Uri, fire: boolean): Promise<void> {
    let text: string | undefined;
    try {
      text = await readCurrentText(uri);
    } catch {
      text = undefined;
    }
    this.forget(uri);
    if (text !== undefined) {
      const result = parseBibtex(text);
      this.files.set(uri.toString(), { uri, result });
      for (const e of result.entries) {
        this.keys.set(e.key, (this.keys.get(e.key) ?? 0) + 1);
      }
    }
    if (fire) {
      this.changeEmitter.fire();
    }
  }

  private forget(uri: vscode.Uri): void {
    const old = this.files.get(uri.toString());
    if (old) {
      for (const e of old.result.entries) {
        this.keys.set(e.key, (this.keys.get(e.key) ?? 1) - 1);
      }
      this.files.delete(uri.toString());
    }
  }

  private remove(uri: vscode.Uri): void {
    this.forget(uri);
    this.changeEmitter.fire();
  }

  dispose(): void {
    this.pending.forEach((t) => clearTimeout(t));
    this.disposables.forEach((d) => d.dispose());
    this.changeEmitter.dispose();
  }
}
