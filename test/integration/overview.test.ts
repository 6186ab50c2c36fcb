import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, libraryPaperNodes, waitFor, workspaceUri } from './helpers';

const encode = (s: string) => new TextEncoder().encode(s);

describe('the Library overview in the extension host', () => {
  afterEach(async () => {
    const api = await activate();
    api.libraryTree.setFilter(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens from its command with every chart filled in, under the webview CSP', async () => {
    const api = await activate();
    await api.ready();
    await vscode.commands.executeCommand('paperscope.showLibraryOverview');
    const shown = await waitFor('topics and citations', () => (api.overview.shown?.topics && api.overview.shown.cited ? api.overview.shown : undefined), 20_000);
    assert.equal(shown.total, api.library.index.size);
    assert.equal(shown.years.reduce((n, y) => n + y.count, 0) + shown.noYear, shown.total);
    assert.ok(shown.own > 0, 'the workspace .bib files are in the picture');
    assert.ok(shown.venues.length > 3 && shown.topics && shown.topics.length > 1);
    // The fixture workspace cites laborieux2023improving in paper.tex and notes.md (other
    // suites may have cited more papers in open editors by now).
    const laborieux = shown.cited?.find((c) => c.key === 'laborieux2023improving');
    assert.ok(laborieux && laborieux.documents >= 2, JSON.stringify(shown.cited));
    const counts = (shown.cited ?? []).map((c) => c.citations);
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a), 'most cited first');
    const html = api.overview.html ?? '';
    // The page's HTML is set once; later bodies (topics, the citations) are sent to it.
    const versionOf = (page: string | undefined) => Number(/<main class="overview" data-version="(\d+)"/.exec(page ?? '')?.[1]);
    assert.ok(versionOf(html) < versionOf(api.overview.shownBody), 'a newer body than the first');
    assert.match(api.overview.shownBody ?? '', /id="h-cited"/);
    assert.match(html, /default-src 'none'/);
    assert.match(html, /dist\/webview\/overview\.js/);
    // Nothing is loaded but the page's own stylesheet and script (no network, no CDN).
    const loaded = [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    assert.equal(loaded.length, 2);
    assert.ok(loaded.every((u) => u.endsWith('/media/overview.css') || u.endsWith('/dist/webview/overview.js')), loaded.join(' '));
  });

  it('sends a page that loads again (after being hidden) the newest body, and nothing to a page that has it', async () => {
    const api = await activate();
    await api.ready();
    await vscode.commands.executeCommand('paperscope.showLibraryOverview');
    await waitFor('topics and citations', () => (api.overview.shown?.topics && api.overview.shown.cited ? api.overview.shown : undefined), 20_000);
    const versionOf = (page: string | undefined) => Number(/<main class="overview" data-version="(\d+)"/.exec(page ?? '')?.[1]);
    assert.ok(versionOf(api.overview.shownBody) >= versionOf(api.overview.html) && versionOf(api.overview.html) >= 1);
    // What the host posts to the page, seen on its way.
    const webview = (api.overview as unknown as { panel: vscode.WebviewPanel }).panel.webview;
    const sent: unknown[] = [];
    const post = webview.postMessage.bind(webview);
    Object.defineProperty(webview, 'postMessage', { configurable: true, value: (m: unknown) => (sent.push(m), post(m)) });
    // What a 'ready' from the page has the host post, and the body it should be: the
    // answer is posted before handleMessage returns, so a redraw that is still due (a
    // slow machine's late citations) cannot come between; no waiting for quiet.
    const answer = (version: unknown) => {
      const newest = { type: 'body', version: versionOf(api.overview.shownBody), html: api.overview.shownBody };
      const from = sent.length;
      void api.overview.handleMessage({ type: 'ready', version });
      return { posted: sent.slice(from), newest };
    };
    try {
      // A page showing an older body than the newest (reloaded from a first HTML drawn
      // before the topics or the citations came) gets the newest.
      const older = answer(0);
      assert.deepEqual(older.posted, [older.newest]);
      // Up to date, or saying nonsense: nothing is sent.
      assert.deepEqual(answer(versionOf(api.overview.shownBody)).posted, []);
      assert.deepEqual(answer(-1).posted, []);
      assert.deepEqual(answer('3').posted, []);
    } finally {
      delete (webview as unknown as { postMessage?: unknown }).postMessage;
    }
  });

  it('a click on a year filters the Library view to exactly that year', async () => {
    const api = await activate();
    await vscode.commands.executeCommand('paperscope.showLibraryOverview');
    const shown = await waitFor('the overview', () => api.overview.shown);
    const bar = [...shown.years].sort((a, b) => b.count - a.count)[0];
    await api.overview.handleMessage({ type: 'filterLibrary', groups: bar.groups, label: bar.label });
    assert.equal(api.libraryTree.filter, bar.label);
    const papers = await libraryPaperNodes(api);
    assert.equal(papers.length, bar.count);
    assert.ok(papers.every((p) => p.kind === 'paper' && p.paper.year === bar.year));
  });

  it('a click on a topic filters to that topic, also while the Library is grouped by venue', async () => {
    const api = await activate();
    await vscode.commands.executeCommand('paperscope.groupLibraryBy', 'venue');
    await vscode.commands.executeCommand('paperscope.showLibraryOverview');
    const shown = await waitFor('topics', () => (api.overview.shown?.topics ? api.overview.shown : undefined), 20_000);
    const topic = shown.topics?.[0];
    assert.ok(topic);
    await api.overview.handleMessage({ type: 'filterLibrary', groups: topic.groups, label: `topic ${topic.label}` });
    const papers = await libraryPaperNodes(api);
    assert.equal(papers.length, topic.count);
    await vscode.commands.executeCommand('paperscope.clearLibraryFilter');
    assert.equal(api.libraryTree.filter, undefined);
    await vscode.commands.executeCommand('paperscope.groupLibraryBy', 'year');
  });

  it('finds the topics again when the library changes while the page is open, and draws them', async () => {
    const api = await activate();
    await api.ready();
    await vscode.commands.executeCommand('paperscope.showLibraryOverview');
    await waitFor('topics', () => api.overview.shown?.topics, 20_000);
    const uri = workspaceUri('overview-added.bib');
    try {
      // The change resets the library's topics; the page must get the new ones by itself.
      await vscode.workspace.fs.writeFile(uri, encode('@misc{overviewadded, title={Frobnicating Quasicrystals for the Overview}}\n'));
      await waitFor('the new entry', () => api.library.index.byKey('overviewadded'), 20_000);
      const shown = await waitFor('topics with the new paper', () => (api.overview.shown?.topics && api.overview.shown.total === api.library.index.size ? api.overview.shown : undefined), 20_000);
      assert.equal(shown.topics?.reduce((n, t) => n + t.count, 0), shown.total);
    } finally {
      await vscode.workspace.fs.delete(uri);
      await waitFor('the entry to go', () => (api.library.index.byKey('overviewadded') ? undefined : true), 20_000);
    }
  });

  it('ignores a message that is not one of its own', async () => {
    const api = await activate();
    await vscode.commands.executeCommand('paperscope.showLibraryOverview');
    await api.overview.handleMessage({ type: 'filterLibrary', groups: ['constructor:x'], label: 'x' });
    await api.overview.handleMessage({ type: 'runCommand', command: 'workbench.action.terminal.new' });
    assert.equal(api.libraryTree.filter, undefined);
  });

  it('opens a most-cited paper in the detail pane', async () => {
    const api = await activate();
    await vscode.commands.executeCommand('paperscope.showLibraryOverview');
    await api.overview.handleMessage({ type: 'openPaper', key: 'laborieux2023improving' });
    assert.equal(api.detail.currentPaper?.key, 'laborieux2023improving');
  });
});
