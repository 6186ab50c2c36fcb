import * as vscode from 'vscode';
import { Commands, ViewTypes } from '../../constants';
import { bibtexFor } from '../../core/bib/writer';
import { safeExternalUrl } from '../../core/display/html';
import type { Paper } from '../../core/library/paper';
import { renderDetailBody } from '../../webview/detailBody';
import { buildWebviewHtml } from '../../webview/html';
import { pageAsset, panelIcon, panelOptions } from '../webviewPanels';
import { parseDetailState, parseFromWebview, type FromWebview } from '../../webview/protocol';
import { copyBibtex, paperFromArg } from '../bibtexCommands';
import type { Library } from '../library';

/** Opens a .bib file at an entry's line. */
export async function goToEntry(file: string, line: number): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(file));
  const pos = new vscode.Position(Math.max(0, line - 1), 0);
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.Active });
}

/** One detail panel, reused: opening another paper (or a related one) replaces its content. */
export class DetailPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private shown: Paper | undefined;
  /** Keys of the papers opened in this pane, and where in that list the shown one is. */
  private history: string[] = [];
  private position = -1;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly library: Library,
    private readonly cite: (papers: Paper[]) => Promise<unknown>,
  ) {}

  /** The paper on display, if the panel is open (for tests and commands). */
  get currentPaper(): Paper | undefined {
    return this.panel ? this.shown : undefined;
  }

  /** The panel's current HTML, once it has some (for tests). */
  get html(): string | undefined {
    return this.panel?.webview.html || undefined;
  }

  /** Opens a paper in the pane; following a related paper adds to the pane's history. */
  show(paper: Paper): void {
    this.history = [...this.history.slice(0, this.position + 1), paper.key].slice(-50);
    this.position = this.history.length - 1;
    this.present(paper);
  }

  /** Moves through the pane's history (Back: -1, Forward: +1). */
  go(step: -1 | 1): void {
    for (let p = this.position + step; p >= 0 && p < this.history.length; p += step) {
      const paper = this.library.resolve(this.history[p]);
      if (paper) {
        this.position = p;
        this.present(paper);
        return;
      }
    }
  }

  private present(paper: Paper): void {
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(
        ViewTypes.detailPanel,
        paper.title,
        { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
        panelOptions(this.extensionUri),
      );
      this.adopt(panel);
    } else {
      this.panel.reveal(undefined, false);
    }
    this.render(paper);
  }

  /** Takes over a panel restored by VS Code after a reload. */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    panel.webview.options = panelOptions(this.extensionUri);
    const key = parseDetailState(state)?.key;
    const paper = key ? this.library.resolve(key) : undefined;
    if (!paper) {
      panel.dispose();
      return;
    }
    this.panel?.dispose();
    this.adopt(panel);
    this.history = [paper.key];
    this.position = 0;
    this.render(paper);
  }


  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = panelIcon(this.extensionUri);
    this.panelDisposables = [
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      panel.onDidDispose(() => {
        this.panelDisposables.forEach((d) => d.dispose());
        this.panelDisposables = [];
        this.panel = undefined;
        this.shown = undefined;
        this.history = [];
        this.position = -1;
      }),
    ];
  }

  /** Resolves when the page on display is complete (for tests). */
  rendered: Promise<void> = Promise.resolve();

  private render(paper: Paper): void {
    this.shown = paper;
    this.rendered = this.renderPage(paper);
  }

  private async renderPage(paper: Paper): Promise<void> {
    let related: Paper[] = [];
    try {
      related = await this.library.related(paper, 5);
    } catch {
      // The page shows "No related papers found" rather than nothing at all.
    }
    if (!this.panel || this.shown !== paper) {
      return; // closed, or another paper was opened meanwhile
    }
    const webview = this.panel.webview;
    const asset = (...path: string[]) => pageAsset(webview, this.extensionUri, ...path);
    this.panel.title = paper.title;
    webview.html = buildWebviewHtml({
      cspSource: webview.cspSource,
      title: paper.title,
      body: renderDetailBody(
        paper,
        bibtexFor(paper),
        related,
        paper.origin ? (paper.origin.file.startsWith('zotero:') ? 'Zotero' : vscode.workspace.asRelativePath(vscode.Uri.parse(paper.origin.file), false)) : undefined,
        {
          back: this.position > 0 ? this.titleOf(this.history[this.position - 1]) : undefined,
          forward: this.position < this.history.length - 1 ? this.titleOf(this.history[this.position + 1]) : undefined,
        },
      ),
      styleUris: [asset('media', 'detail.css')],
      scriptUris: [asset('dist', 'webview', 'detail.js')],
    });
  }

  private titleOf(key: string): string | undefined {
    return this.library.resolve(key)?.title;
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message: FromWebview | undefined = parseFromWebview(raw);
    if (!message) {
      return; // Unknown or malformed: ignored, nothing runs.
    }
    switch (message.type) {
      case 'openPaper': {
        const paper = paperFromArg(this.library, message.key);
        if (paper) {
          this.show(paper);
        }
        return;
      }
      case 'insertCitation': {
        const paper = paperFromArg(this.library, message.key);
        if (paper) {
          await this.cite([paper]);
        }
        return;
      }
      case 'goToEntry': {
        const paper = paperFromArg(this.library, message.key);
        if (paper?.origin) {
          await goToEntry(paper.origin.file, paper.origin.line);
        }
        return;
      }
      case 'addToBibliography':
        await vscode.commands.executeCommand(Commands.addToBibliography, message.key);
        return;
      case 'copyBibtex': {
        const paper = paperFromArg(this.library, message.key);
        if (paper) {
          await copyBibtex(paper);
        }
        return;
      }
      case 'back':
      case 'forward':
        this.go(message.type === 'back' ? -1 : 1);
        return;
      case 'openExternal': {
        const url = safeExternalUrl(message.url);
        if (url) {
          await vscode.env.openExternal(vscode.Uri.parse(url, true));
        }
        return;
      }
    }
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

/** Registers the open-details command and the panel serializer. */
export function registerDetailPanel(detail: DetailPanel, library: Library): vscode.Disposable {
  return vscode.Disposable.from(
    detail,
    vscode.commands.registerCommand(Commands.openPaper, async (key?: unknown) => {
      if (key === undefined) {
        await vscode.commands.executeCommand(Commands.searchPapers);
        return;
      }
      const paper = paperFromArg(library, key);
      if (paper) {
        detail.show(paper);
      }
    }),
    vscode.window.registerWebviewPanelSerializer(ViewTypes.detailPanel, {
      deserializeWebviewPanel: async (panel, state) => detail.restore(panel, state),
    }),
  );
}
