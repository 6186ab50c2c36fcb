// Online search, Add Paper by Identifier and Zotero against a loopback server that
// replays the recorded answers of the real services (test/fixtures/remote). No test
// reaches the internet: every endpoint points at 127.0.0.1.
import * as assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parseBibtex } from '../../src/core/bib/parser';
import type { PaperItem } from '../../src/vscode/search/searchPicker';
import { startFixtureServer, type FixtureServer } from '../harness/fixtureServer';
import { activate, openWorkspaceFile, waitFor, workspaceUri, withReadyExtension } from './helpers';

const read = async (...path: string[]) => new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceUri(...path)));

/**
 * Focuses a row of the picker and presses Enter, as a user does: Enter once VS Code shows
 * the focus. (The focus goes to the workbench in the picker's next batch of changes, a
 * command at once: Enter sent straight after would act on the row focused before.)
 */
async function acceptRow(picker: vscode.QuickPick<PaperItem>, row: PaperItem): Promise<void> {
  let shown = false;
  const listening = picker.onDidChangeActive((items) => (shown = items.some((i) => i.label === row.label && i.paper?.key === row.paper?.key)));
  try {
    picker.activeItems = [row];
    await waitFor('the row focused', () => shown);
  } finally {
    listening.dispose();
  }
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
}

describe('online sources against recorded answers on a loopback server', () => {
  withReadyExtension();
  let server: FixtureServer;
  let state: FixtureServer['state'];
  let base = '';
  const config = () => vscode.workspace.getConfiguration('paperscope');
  const endpoints = (overrides: Record<string, string> = {}) => config().update('online.endpoints', server.endpoints(overrides), vscode.ConfigurationTarget.Global);

  let previous: unknown;

  before(async () => {
    previous = config().inspect('online.endpoints')?.globalValue;
    server = await startFixtureServer(join(__dirname, '..', '..', '..'));
    state = server.state;
    base = server.url;
    await endpoints();
    await config().update('online.timeoutSeconds', 2, vscode.ConfigurationTarget.Global);
    await vscode.workspace.fs.createDirectory(workspaceUri('online'));
  });

  after(async () => {
    await config().update('online.endpoints', previous, vscode.ConfigurationTarget.Global);
    await config().update('online.timeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    await server.close();
  });

  it('searches online from Insert Citation, lists results by service, and cites an arXiv result with one clean entry', async () => {
    const api = await activate();
    await vscode.workspace.fs.writeFile(workspaceUri('online', 'search.bib'), new TextEncoder().encode('% entries\n'));
    const tex = await openWorkspaceFile('online/search.tex', 'Testing matters \n\\bibliography{search}\n');
    tex.selection = new vscode.Selection(0, 16, 0, 16);
    const citing = vscode.commands.executeCommand('paperscope.insertCitation');
    const picker = await waitFor('the picker', () => api.searchPicker());
    picker.value = 'testing';
    // The library's own results come first (asynchronously); then the offer is chosen.
    const offer = await waitFor('the online offer', () => (picker.busy ? undefined : picker.items.find((i) => i.online)));
    assert.deepEqual(state.hits.filter((h) => h.includes('/arxiv/')), [], 'nothing went online before the user asked');
    await acceptRow(picker, offer);
    const arxivItem = await waitFor('arXiv results', () => {
      const at = picker.items.findIndex((i) => i.kind === vscode.QuickPickItemKind.Separator && i.label === 'arXiv');
      return at >= 0 ? picker.items.slice(at + 1).find((i) => i.paper) : undefined;
    }, 20_000);
    // Services answer one by one; wait until none is still searching.
    const separators = () => picker.items.filter((i) => i.kind === vscode.QuickPickItemKind.Separator).map((i) => i.label);
    await waitFor('every service answered', () => !separators().some((l) => l.endsWith('searching…')) && !picker.busy, 20_000);
    const labels = separators();
    assert.ok(labels.includes('Crossref'), labels.join(' | '));
    assert.ok(picker.items.some((i) => /DBLP: answered with a web page/.test(i.label)), 'DBLP’s HTML page is reported, not parsed');
    picker.selectedItems = [arxivItem];
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await citing;
    const key = arxivItem.paper!.key;
    assert.equal(tex.document.lineAt(0).text, `Testing matters \\cite{${key}}`);
    const bib = parseBibtex(await read('online', 'search.bib'));
    assert.deepEqual(bib.errors, []);
    assert.equal(bib.entries.length, 1);
    assert.equal(bib.entries[0].key, key);
    assert.equal(bib.entries[0].fields.archiveprefix, 'arXiv');
    assert.equal(bib.entries[0].fields.eprint, arxivItem.paper!.arxiv);
    await waitFor('the paper in the library', () => api.library.index.byKey(key), 20_000);
  });

  it('keeps every row in its place while a slower service answers: the row checked stays checked, the row moved to stays focused', async () => {
    const api = await activate();
    await vscode.workspace.fs.writeFile(workspaceUri('online', 'places.bib'), new TextEncoder().encode('% entries\n'));
    const tex = await openWorkspaceFile('online/places.tex', 'Places \n\\bibliography{places}\n');
    tex.selection = new vscode.Selection(0, 7, 0, 7);
    let release = (): void => undefined;
    state.arxivWaits = new Promise<void>((resolve) => (release = resolve));
    try {
      const citing = vscode.commands.executeCommand('paperscope.insertCitation');
      const picker = await waitFor('the picker', () => api.searchPicker());
      // What VS Code reports back (a check, a move), as the user's own would be.
      const checks: string[][] = [];
      const moves: string[][] = [];
      picker.onDidChangeSelection((items) => checks.push(items.map((i) => i.paper?.key ?? i.label)));
      picker.onDidChangeActive((items) => moves.push(items.map((i) => i.paper?.key ?? i.label)));
      picker.value = 'testing in place'; // not the first test's words: the services' answers to those are kept
      const offer = await waitFor('the online offer', () => (picker.busy ? undefined : picker.items.find((i) => i.online)));
      await acceptRow(picker, offer);
      const separators = () => picker.items.filter((i) => i.kind === vscode.QuickPickItemKind.Separator).map((i) => i.label);
      await waitFor('Crossref’s answer and DBLP’s failure, arXiv held back', () => separators().includes('Crossref') && separators().includes('DBLP') && separators().includes('arXiv — searching…')).catch((err: Error) => {
        throw new Error(`${err.message}; the groups: ${separators().join(' | ')}; the title: ${picker.title}; the server's last requests: ${state.hits.slice(-5).join(' ')}`);
      });
      const crossref = picker.items.filter((i) => i.paper && i.detail?.startsWith('Crossref · '));
      assert.equal(crossref.length, 2, picker.items.map((i) => i.label).join(' | '));
      const [checked, moved] = crossref.map((i) => i.paper!.key);
      picker.selectedItems = [crossref[0]];
      await waitFor('the check reported', () => checks.some((c) => c.includes(checked)));
      // The move, made again if the window does not report it (as a person moves again).
      for (let attempt = 1; ; attempt++) {
        picker.activeItems = [crossref[1]];
        try {
          await waitFor('the move reported', () => moves.at(-1)?.includes(moved), 5_000);
          break;
        } catch (err) {
          if (attempt >= 3) {
            throw err;
          }
        }
      }
      const before = picker.items.map((i) => (i.kind === vscode.QuickPickItemKind.Separator ? undefined : (i.paper?.key ?? i.label)));
      release();
      await waitFor('arXiv’s answer', () => separators().includes('arXiv') && !picker.busy);
      const after = picker.items.map((i) => i.paper?.key ?? i.label);
      const shifted = before.flatMap((row, at) => (row !== undefined && after[at] !== row ? [`${at}: ${row} → ${after[at]}`] : []));
      assert.deepEqual(shifted, [], 'a row shown before arXiv answered is still where it was');
      assert.ok(after.filter((k) => picker.items.find((i) => i.paper?.key === k)?.detail?.startsWith('arXiv · ')).length >= 5, after.join(' | '));
      assert.deepEqual(picker.selectedItems.map((i) => i.paper?.key), [checked]);
      assert.equal(picker.activeItems[0]?.paper?.key, moved, 'the row the user moved to');
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await citing;
      assert.equal(tex.document.lineAt(0).text, `Places \\cite{${checked}}`);
    } finally {
      release();
      state.arxivWaits = undefined;
    }
  });

  it('adds a paper by DOI through content negotiation (doi.org → Crossref), normalising its BibTeX', async () => {
    await vscode.workspace.fs.writeFile(workspaceUri('online', 'doi.bib'), new TextEncoder().encode(''));
    const tex = await openWorkspaceFile('online/doi.tex', 'Water \n\\bibliography{doi}\n');
    tex.selection = new vscode.Selection(0, 6, 0, 6);
    await vscode.commands.executeCommand('paperscope.addByIdentifier', 'https://doi.org/10.1126/science.169.3946.635', 'cite');
    assert.equal(tex.document.lineAt(0).text, 'Water \\cite{frank1970structure}');
    const text = await read('online', 'doi.bib');
    assert.match(text, /^@article\{frank1970structure,/);
    assert.match(text, /month\s+= aug,/, 'a bare month=Aug became our month macro');
    assert.match(text, /pages\s+= \{635--641\}/);
    assert.match(text, /title\s+= \{\{The Structure of Ordinary Water/, 'title case protected');
    assert.deepEqual(parseBibtex(text).errors, []);
  });

  it('offers to look up a DOI pasted into Search Papers, and opens what it finds', async () => {
    const api = await activate();
    void vscode.commands.executeCommand('paperscope.searchPapers');
    const picker = await waitFor('the picker', () => api.searchPicker());
    picker.value = 'https://doi.org/10.1371/journal.pone.0033693';
    const offer = await waitFor('the look-up offer', () => (picker.busy ? undefined : picker.items.find((i) => i.identifier)));
    assert.equal(picker.items[0], offer, 'first, so Enter looks it up');
    assert.match(offer.label.replace(/\u200b/g, ''), /Look up doi:10\.1371\/journal\.pone\.0033693 online/);
    await acceptRow(picker, offer);
    const paper = await waitFor('the detail pane', () => (api.detail.currentPaper?.doi === '10.1371/journal.pone.0033693' ? api.detail.currentPaper : undefined), 20_000);
    assert.equal(paper.source, 'online');
    await waitFor('the search to close', () => api.searchPicker() === undefined);
  });

  it('adds a paper by arXiv id', async () => {
    await vscode.workspace.fs.writeFile(workspaceUri('online', 'ids.bib'), new TextEncoder().encode(''));
    const tex = await openWorkspaceFile('online/ids.tex', 'AEW \n\\bibliography{ids}\n');
    tex.selection = new vscode.Selection(0, 4, 0, 4);
    await vscode.commands.executeCommand('paperscope.addByIdentifier', 'arXiv:1707.08567v1', 'cite');
    assert.match(tex.document.lineAt(0).text, /^AEW \\cite\{immink2017proceedings\}$/);
    const entry = parseBibtex(await read('online', 'ids.bib')).entries[0];
    assert.equal(entry.fields.eprint, '1707.08567');
    assert.equal(entry.fields.year, '2017');
  });

  it('cites the existing key when the bibliography already has the paper (same DOI) under another key', async () => {
    await vscode.workspace.fs.writeFile(workspaceUri('online', 'dup.bib'), new TextEncoder().encode('@article{myplos,\n  title = {Some Title},\n  doi = {10.1371/JOURNAL.PONE.0033693}\n}\n'));
    const tex = await openWorkspaceFile('online/dup.tex', 'Again \n\\bibliography{dup}\n');
    tex.selection = new vscode.Selection(0, 6, 0, 6);
    await vscode.commands.executeCommand('paperscope.addByIdentifier', '10.1371/journal.pone.0033693', 'cite');
    assert.equal(tex.document.lineAt(0).text, 'Again \\cite{myplos}');
    assert.equal(parseBibtex(await read('online', 'dup.bib')).entries.length, 1, 'nothing appended');
  });

  it('waits out a 429 with a short Retry-After once, then gets the answer', async () => {
    const api = await activate();
    state.busyOnce = true;
    const before = state.hits.filter((h) => h.startsWith('GET /crossref/works?')).length;
    const works = await api.online.searchOne('crossref', `ecology ${Date.now()}`);
    assert.equal(works.length, 2);
    assert.equal(state.hits.filter((h) => h.startsWith('GET /crossref/works?')).length - before, 2, 'one refusal, one retry: no loop');
  });

  it('gives up on a service that does not answer, naming it, and refuses redirects to other schemes', async () => {
    const api = await activate();
    await endpoints({ arxiv: `${base}/slow/api/query`, crossref: `${base}/evil` });
    try {
      await assert.rejects(api.online.searchOne('arxiv', `slow ${Date.now()}`), (err: { failure?: string; message: string }) => err?.failure === 'timeout' && /^arXiv: did not answer within 2 s/.test(err.message));
      await assert.rejects(api.online.searchOne('crossref', `evil ${Date.now()}`), (err: { failure?: string; message: string }) => err?.failure !== undefined && /^Crossref: redirected to a file: address/.test(err.message));
    } finally {
      await endpoints();
    }
  });

  it('reads the Zotero library when Zotero answers: searched, grouped as Zotero, cited like the user’s entries', async () => {
    const api = await activate();
    state.zotero = 'running';
    const n = await vscode.commands.executeCommand<number>('paperscope.refreshZotero');
    assert.ok(n > 10, `${n} items`);
    const zoteroPaper = api.library.index.papers.find((p) => p.origin?.file.startsWith('zotero:'));
    assert.ok(zoteroPaper, 'Zotero items are in the library');
    await vscode.commands.executeCommand('paperscope.groupLibraryBy', 'source');
    const labels = (await api.libraryTree.getChildren()).map((g) => api.libraryTree.getTreeItem(g).label);
    assert.ok(labels.includes('Zotero library'), labels.join(' | '));
    await vscode.commands.executeCommand('paperscope.groupLibraryBy', 'year');
    assert.equal(api.online.zoteroState, 'running');
  });

  it('says once how to switch Zotero’s local API on when it answers 403', async () => {
    const api = await activate();
    state.zotero = 'forbidden';
    await vscode.commands.executeCommand('paperscope.refreshZotero');
    assert.equal(api.online.zoteroState, 'forbidden');
    assert.match(api.notify.recent.at(-1)?.message ?? '', /Zotero: its local API is off: enable .* Settings → Advanced/);
    assert.ok(!api.library.index.papers.some((p) => p.origin?.file.startsWith('zotero:')), 'its items left the library');
    state.zotero = 'running';
  });

  it('says quietly that Zotero is not running, and does not keep asking', async () => {
    const api = await activate();
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await endpoints({ zotero: `http://127.0.0.1:${port}` });
    try {
      const warnings = api.notify.recent.length;
      await vscode.commands.executeCommand('paperscope.refreshZotero');
      assert.equal(api.online.zoteroState, 'not-running');
      assert.equal(api.notify.recent.length, warnings, 'no pop-up: a status bar message only');
      // A search right after asks Zotero no more (within a minute): no retry storm.
      assert.ok(!(await api.online.searchable()).includes('zotero'));
      assert.equal(api.online.zoteroState, 'not-running');
    } finally {
      await endpoints();
    }
  });

  it('offers "Look up online" over an arXiv id the library lacks, sending nothing until it is clicked', async () => {
    const api = await activate();
    // An earlier test added this paper to ids.bib: take it out of the library again.
    await vscode.workspace.fs.delete(workspaceUri('online', 'ids.bib')).then(undefined, () => undefined);
    await waitFor('the paper gone from the library', () => !api.library.index.byArxiv('1707.08567'), 20_000);
    const editor = await openWorkspaceFile('online/hover.md', 'See arXiv:1707.08567 for the proceedings.\n');
    const hits = state.hits.length;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(0, 10));
    const text = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
    assert.match(text, /arXiv\\?:1707\\?\.08567 is not in your library/);
    assert.match(text, /command:paperscope\.lookupIdentifier\?/);
    assert.equal(state.hits.length, hits, 'no request because a document contains an identifier');
    await vscode.commands.executeCommand('paperscope.lookupIdentifier', 'arXiv:1707.08567');
    const paper = await waitFor('the detail pane', () => api.detail.currentPaper);
    assert.equal(paper.arxiv, '1707.08567');
    await api.detail.rendered;
    assert.match(api.detail.html ?? '', /data-action="addToBibliography"/);
  });
});
