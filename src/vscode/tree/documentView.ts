import * as vscode from 'vscode';
import { Commands, ViewIds } from '../../constants';
import { documentPapers, type DocumentPapers, type Occurrence } from '../../core/detect/documentPapers';
import { paperForMention } from '../../core/search/searchIndex';
import { documentKind } from '../documents';
import type { Library } from '../library';
import type { DocumentScanner } from '../scanner';
import { paperTreeItem } from './paperItem';

export type DocumentNode =
  | { readonly kind: 'paper'; readonly index: number }
  | { readonly kind: 'unknownHeader' }
  | { readonly kind: 'unknown'; readonly index: number }
  | { readonly kind: 'occurrence'; readonly parent: string; readonly occurrence: Occurrence };

const DEBOUNCE_MS = 300;

/** "In This Document": the papers the active LaTeX/Markdown editor cites or names, in order. */
export class DocumentPapersTree implements vscode.TreeDataProvider<DocumentNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<DocumentNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private doc: vscode.TextDocument | undefined;
  private model: DocumentPapers = { papers: [], unknownKeys: [] };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly library: Library,
    private readonly scanner: DocumentScanner,
  ) {
    this.disposables = [
      // A webview or panel taking focus leaves no active editor: keep showing the last document.
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e) {
          this.follow(e.document);
        }
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.doc && e.contentChanges.length > 0) {
          clearTimeout(this.timer);
          this.timer = setTimeout(() => this.update(), DEBOUNCE_MS);
        }
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d === this.doc) {
          this.follow(undefined);
        }
      }),
      library.onDidChange(() => this.update()),
      scanner.onDidChange(() => this.update()),
    ];
    this.follow(vscode.window.activeTextEditor?.document);
  }

  /** The document shown (for tests and the view's description). */
  get document(): vscode.TextDocument | undefined {
    return this.doc;
  }

  /** The model shown now (for tests). */
  get papers(): DocumentPapers {
    return this.model;
  }

  private follow(doc: vscode.TextDocument | undefined): void {
    if (doc && !documentKind(doc)) {
      // Focus moved to another kind of file (output, settings…): keep showing the last paper.
      if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled' && doc.uri.scheme !== 'vscode-remote') {
        return;
      }
      doc = undefined;
    }
    this.doc = doc;
    void vscode.commands.executeCommand('setContext', 'paperscope.hasDocument', doc !== undefined);
    this.update();
  }

  /** Recomputes from the scanner's cached mentions. */
  update(): void {
    clearTimeout(this.timer);
    const doc = this.doc;
    const index = this.library.index;
    this.model = doc
      ? documentPapers(this.scanner.scan(doc), (m) => paperForMention(index, m))
      : { papers: [], unknownKeys: [] };
    this.changeEmitter.fire(undefined);
  }

  getChildren(node?: DocumentNode): DocumentNode[] {
    if (!node) {
      const nodes: DocumentNode[] = this.model.papers.map((_p, index) => ({ kind: 'paper', index }));
      if (this.model.unknownKeys.length > 0) {
        nodes.push({ kind: 'unknownHeader' });
      }
      return nodes;
    }
    switch (node.kind) {
      case 'paper': {
        const entry = this.model.papers[node.index];
        return entry.occurrences.map((occurrence) => ({ kind: 'occurrence', parent: `paper/${entry.paper.id}`, occurrence }));
      }
      case 'unknownHeader':
        return this.model.unknownKeys.map((_k, index) => ({ kind: 'unknown', index }));
      case 'unknown': {
        const entry = this.model.unknownKeys[node.index];
        return entry.occurrences.map((occurrence) => ({ kind: 'occurrence', parent: `unknown/${entry.key}`, occurrence }));
      }
      default:
        return [];
    }
  }

  getTreeItem(node: DocumentNode): vscode.TreeItem {
    const doc = this.doc!;
    switch (node.kind) {
      case 'paper': {
        const entry = this.model.papers[node.index];
        const item = paperTreeItem(entry.paper, vscode.TreeItemCollapsibleState.Collapsed);
        // Ids from the paper's id, not its key or title: unique by construction.
        item.id = `paper/${entry.paper.id}`;
        const n = entry.occurrences.length;
        item.description = `${item.description} — ${n}×`;
        item.command = revealCommand(doc, entry.occurrences[0]);
        return item;
      }
      case 'unknownHeader': {
        const item = new vscode.TreeItem('Unknown keys', vscode.TreeItemCollapsibleState.Expanded);
        item.id = 'unknown';
        item.description = String(this.model.unknownKeys.length);
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        return item;
      }
      case 'unknown': {
        const entry = this.model.unknownKeys[node.index];
        const item = new vscode.TreeItem(entry.key, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `unknown/${entry.key}`;
        item.description = `${entry.occurrences.length}×`;
        item.tooltip = `Unknown citation key '${entry.key}': no paper in the library has it`;
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.contextValue = 'paperscope.unknownKey';
        item.command = revealCommand(doc, entry.occurrences[0]);
        return item;
      }
      case 'occurrence': {
        const start = doc.positionAt(node.occurrence.start);
        const line = doc.lineAt(start.line).text;
        const item = new vscode.TreeItem(`Line ${start.line + 1}`, vscode.TreeItemCollapsibleState.None);
        item.id = `${node.parent}@${node.occurrence.start}`;
        item.description = excerpt(line, start.character);
        item.iconPath = new vscode.ThemeIcon(
          node.occurrence.kind === 'citation' ? 'quote' : node.occurrence.kind === 'arxiv' ? 'link' : 'symbol-text',
        );
        item.command = revealCommand(doc, node.occurrence);
        return item;
      }
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.disposables.forEach((d) => d.dispose());
    this.changeEmitter.dispose();
  }
}

function excerpt(line: string, column: number): string {
  const start = Math.max(0, column - 20);
  const text = line.slice(start, start + 80).trim();
  return `${start > 0 ? '…' : ''}${text}`;
}

function revealCommand(doc: vscode.TextDocument, occurrence: Occurrence): vscode.Command {
  return {
    title: 'Reveal',
    command: Commands.revealOccurrence,
    arguments: [doc.uri.toString(), occurrence.start, occurrence.end],
  };
}

/** Registers the view and the command that reveals an occurrence. */
export function registerDocumentView(tree: DocumentPapersTree): vscode.Disposable {
  const view = vscode.window.createTreeView(ViewIds.documentPapers, { treeDataProvider: tree, showCollapseAll: true });
  const describe = () => {
    view.description = tree.document ? vscode.workspace.asRelativePath(tree.document.uri, false) : undefined;
  };
  describe();
  return vscode.Disposable.from(
    view,
    tree,
    tree.onDidChangeTreeData(describe),
    vscode.commands.registerCommand(Commands.revealOccurrence, async (uri?: unknown, start?: unknown, end?: unknown) => {
      if (typeof uri !== 'string' || typeof start !== 'number' || typeof end !== 'number') {
        return;
      }
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
      if (!doc) {
        return;
      }
      const range = new vscode.Range(doc.positionAt(start), doc.positionAt(end));
      const editor = await vscode.window.showTextDocument(doc, { selection: range, preserveFocus: false });
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }),
  );
}
