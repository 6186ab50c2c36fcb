import * as vscode from 'vscode';
import { Commands, ViewIds, ViewTypes } from '../../constants';
import { libraryOverview, type LibraryOverview } from '../../core/display/overview';
import { buildWebviewHtml } from '../../webview/html';
import { pageAsset, panelIcon, panelOptions } from '../webviewPanels';
import { renderOverviewBody } from '../../webview/overviewBody';
import { parseFromOverview, type ToOverview } from '../../webview/protocol';
import { paperFromArg } from '../bibtexCommands';
import { workspaceCitations, type WorkspaceCitations } from '../citations/workspaceCitations';
import type { Library } from '../library';
import type { LibraryTree } from '../tree/libraryView';

/** Documents whose saving may change what the workspace cites. */
const CITING_DOCUMENT = /\.(tex|ltx|latex|md|markdown|qmd|rmd)$/i;

/**
 * The Library overview: one webview panel with the library as charts (papers per year,
 * top venues, topics, most cited here). A bar click filters the Library view to that
 * group; the page is redrawn when the library, its topics or the workspace's citations
 * change.
 */
export class OverviewPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private citations: WorkspaceCitations | undefined;
  private citationsError: string | undefined;
  private citationScan: vscode.CancellationTokenSource | undefined;
  private redraw: ReturnType<typeof setTimeout> | undefined;
  /** The tree's topics being awaited for this page, or why they could not be found (until the library changes). */
  private topicsWait: Promise<void> | undefined;
  private topicsError: string | undefined;
  private readonly subscriptions: vscode.Disposable[];
  /** The model of the page on display (for tests). */
  shown: LibraryOverview | undefined;
  /**
   * Each body drawn gets the next version. The panel's HTML is set once; newer bodies go
   * to the page as messages, which draws them in place: a reloaded page loses focus and
   * scrolling, and in CI one stayed on an older body after its HTML was set again.
   */
  private version = 0;
  private body = '';
  private pageHtml: string | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly library: Library,
    private readonly tree: LibraryTree,
    private readonly extraCommands: () => ReadonlySet<string>,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [
      library.onDidChange(() => {
        this.topicsError = undefined;
        this.scheduleRender();
      }),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (this.panel && CITING_DOCUMENT.test(doc.uri.path)) {
          void this.readCitations();
        }
      }),
    ];
  }

  /** The panel's HTML, set once per panel (for tests). */
  get html(): string | undefined {
    return this.panel ? this.pageHtml : undefined;
  }

  /** The body the page shows, or is being sent (for tests). */
  get shownBody(): string | undefined {
    return this.panel ? this.body : undefined;
  }

  /** Opens the overview, or brings it to the front. */
  show(): void {
    if (this.panel) {
      this.panel.reveal(undefined, false);
      return;
    }
    const panel = vscode.window.createWebviewPanel(ViewTypes.overviewPanel, 'Library Overview', { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, panelOptions(this.extensionUri));
    this.adopt(panel);
  }

  /** Takes over a panel restored by VS Code after a reload. */
  restore(panel: vscode.WebviewPanel): void {
    panel.webview.options = panelOptions(this.extensionUri);
    this.panel?.dispose();
    this.adopt(panel);
  }


  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.pageHtml = undefined;
    panel.iconPath = panelIcon(this.extensionUri);
    this.panelDisposables = [
      panel.webview.onDidReceiveMessage((m: unknown) => this.handleMessage(m)),
      panel.onDidDispose(() => {
        this.panelDisposables.forEach((d) => d.dispose());
        this.panelDisposables = [];
        this.panel = undefined;
        this.shown = undefined;
        this.pageHtml = undefined;
        this.citationScan?.cancel();
      }),
    ];
    this.render();
    void this.readCitations();
  }

  /**
   * Reads what the workspace's documents cite, then redraws. A newer read cancels an
   * older one. A failed read (the workspace's file search can fail) is tried once more;
   * if that fails too, the page says why instead of "Reading…" for ever.
   */
  private async readCitations(): Promise<void> {
    this.citationScan?.cancel();
    const scan = new vscode.CancellationTokenSource();
    this.citationScan = scan;
    let result: WorkspaceCitations | undefined;
    let error: unknown;
    for (let attempt = 1; attempt <= 2 && !result && !scan.token.isCancellationRequested; attempt++) {
      if (attempt > 1) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      try {
        const started = Date.now();
        result = await workspaceCitations(this.extraCommands(), scan.token);
        this.log.info(`Library overview: the workspace's documents cite ${result.counts.size} keys (read in ${Date.now() - started} ms).`);
      } catch (err) {
        error = err;
        this.log.warn(`Library overview: reading the workspace's documents failed (attempt ${attempt}): ${String(err)}`);
      }
    }
    if (!scan.token.isCancellationRequested) {
      if (result) {
        this.citations = result;
      }
      this.citationsError = result ? undefined : error instanceof Error ? error.message : String(error);
      this.render();
    }
    scan.dispose();
  }

  private awaitTopics(): void {
    if (this.topicsWait || this.topicsError !== undefined) {
      return;
    }
    this.topicsWait = this.tree.topicsReady().then(
      () => {
        this.topicsWait = undefined;
        this.scheduleRender();
      },
      (err: unknown) => {
        this.topicsWait = undefined;
        this.topicsError = err instanceof Error ? err.message : String(err);
        this.log.warn(`Library overview: finding the topics failed: ${this.topicsError}`);
        this.scheduleRender();
      },
    );
  }

  private scheduleRender(): void {
    if (!this.panel) {
      return;
    }
    clearTimeout(this.redraw);
    this.redraw = setTimeout(() => this.render(), 150);
  }

  private render(): void {
    if (!this.panel) {
      return;
    }
    if (!this.tree.topics) {
      // Topics take seconds in a large library: the page says so, and is drawn again
      // once they are known (also when the library changed meanwhile and they were
      // found anew). A failure is logged and said on the page, not retried per redraw.
      this.awaitTopics();
    }
    const webview = this.panel.webview;
    this.shown = libraryOverview(this.library.index.papers, {
      topicOf: this.tree.topics,
      citations: this.citations,
      citationsError: this.citationsError,
      topicsError: this.topicsError,
      resolve: (key) => this.library.resolve(key),
    });
    this.version++;
    this.body = renderOverviewBody(this.shown, this.version);
    if (this.pageHtml === undefined) {
      const asset = (...path: string[]) => pageAsset(webview, this.extensionUri, ...path);
      this.pageHtml = buildWebviewHtml({
        cspSource: webview.cspSource,
        title: 'Library Overview',
        body: this.body,
        styleUris: [asset('media', 'overview.css')],
        scriptUris: [asset('dist', 'webview', 'overview.js')],
      });
      webview.html = this.pageHtml;
    } else {
      this.sendBody();
    }
  }

  /** Sends the page the current body (it ignores a body no newer than its own). */
  private sendBody(): void {
    const message: ToOverview = { type: 'body', version: this.version, html: this.body };
    void this.panel?.webview.postMessage(message);
  }

  /** Acts on a message from the page (public for tests: the page's own clicks are tested end to end). */
  async handleMessage(raw: unknown): Promise<void> {
    const message = parseFromOverview(raw);
    if (!message) {
      return; // Unknown or malformed: ignored, nothing runs.
    }
    if (message.type === 'ready') {
      // A page loaded (again: a hidden webview is reloaded from its first HTML) with an
      // older body than the latest, or one whose update was sent before it could listen.
      if (message.version !== this.version) {
        this.sendBody();
      }
      return;
    }
    if (message.type === 'openPaper') {
      const paper = paperFromArg(this.library, message.key);
      if (paper) {
        await vscode.commands.executeCommand(Commands.openPaper, paper.key);
      }
      return;
    }
    this.tree.setGroupFilter(message.groups, message.label);
    // Shows the Library view, opening the sidebar if it is closed.
    await vscode.commands.executeCommand(`${ViewIds.library}.focus`);
  }

  dispose(): void {
    clearTimeout(this.redraw);
    this.citationScan?.cancel();
    this.panel?.dispose();
    this.subscriptions.forEach((d) => d.dispose());
  }
}

/** Registers Show Library Overview and the panel serializer. */
export function registerOverviewPanel(overview: OverviewPanel): vscode.Disposable {
  return vscode.Disposable.from(
    overview,
    vscode.commands.registerCommand(Commands.showLibraryOverview, () => overview.show()),
    vscode.window.registerWebviewPanelSerializer(ViewTypes.overviewPanel, {
      deserializeWebviewPanel: async (panel) => overview.restore(panel),
    }),
  );
}
