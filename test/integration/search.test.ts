import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, EXTENSION_ID, waitFor, workspaceUri } from './helpers';

describe('search and details in the extension host', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('activates with the bundled corpus of 119 papers', async () => {
    const api = await activate();
    const counts = api.library.model.counts();
    assert.equal(counts.bundledOnly + counts.both, 119);
    assert.ok(api.library.index.size >= 119);
  });

  it('searches in a worker thread of the Node.js extension host, with the same results as in process', async () => {
    const api = await activate();
    assert.equal(api.host, 'node');
    assert.equal(api.library.fullTextKind, 'worker');
    const hits = (await api.library.search('equilibrium propagation', { limit: 3 })) ?? [];
    assert.equal(hits[0]?.paper.key, 'laborieux2023improving');
    assert.equal(hits[0]?.paper, api.library.index.byKey('laborieux2023improving'), 'hits are the library’s own paper objects');
  });

  it('registers every command it contributes, and each runs without an argument', async () => {
    const api = await activate();
    const commands = await vscode.commands.getCommands(true);
    const contributed = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.ok(contributed.length >= 14);
    for (const id of contributed) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
    // Run each: a picker or an input it opens is dismissed (as Escape would) until the
    // command finishes; none may throw.
    for (const id of contributed) {
      let done = false;
      const running = Promise.resolve(vscode.commands.executeCommand(id)).finally(() => (done = true));
      for (let i = 0; i < 100 && !done; i++) {
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
        await Promise.race([running, new Promise((r) => setTimeout(r, 100))]);
      }
      await running;
    }
    api.libraryTree.setFilter(undefined);
  });

  /** Opens Search Papers on words the library does not have: only the online offer is listed. */
  async function pickerWithNoMatch(words: string) {
    const api = await activate();
    void vscode.commands.executeCommand('paperscope.searchPapers');
    const picker = await waitFor('the picker', () => api.searchPicker());
    picker.value = words;
    await waitFor('only the offer', () => (!picker.busy && picker.items.length > 0 && picker.items.every((i) => !i.paper) ? true : undefined));
    return picker;
  }

  it('highlights the best match of new words, even when the words before matched nothing', async () => {
    const picker = await pickerWithNoMatch('qqqzzzxx');
    picker.value = 'equilibrium propagation';
    await waitFor('the results', () => (!picker.busy && picker.items[0]?.paper ? true : undefined));
    await waitFor('the top hit highlighted', () => (picker.activeItems[0]?.paper?.key === 'laborieux2023improving' ? true : undefined));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  it('highlights a paper that arrives from a .bib while only the online offer was listed', async () => {
    const picker = await pickerWithNoMatch('quuxbridge');
    const bib = workspaceUri('arriving.bib');
    await vscode.workspace.fs.writeFile(bib, new TextEncoder().encode('@misc{arriving2024, title={Quuxbridge Considered Helpful}, author={Ada Lovelace}, year={2024}}\n'));
    try {
      await waitFor('the new paper listed', () => (picker.items[0]?.paper?.key === 'arriving2024' ? true : undefined), 20_000);
      await waitFor('the new paper highlighted', () => (picker.activeItems[0]?.paper?.key === 'arriving2024' ? true : undefined));
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await vscode.workspace.fs.delete(bib);
    }
  });

  it('opens the detail pane of the top hit when Enter is pressed in the search', async () => {
    const api = await activate();
    await vscode.commands.executeCommand('paperscope.searchPapers', 'equilibrium propagation');
    // Accept once the picker lists its results (the top-ranked one is active).
    await waitFor('the results', () => {
      const picker = api.searchPicker();
      return picker && !picker.busy && picker.items.length > 0 && picker.activeItems.length > 0 ? true : undefined;
    });
    const picker = api.searchPicker()!;
    assert.ok(picker.activeItems[0]?.paper, 'a paper is active, not the offer to search online (whose label has the typed words)');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const paper = await waitFor('the detail pane', () => api.detail.currentPaper);
    assert.equal(paper.key, 'laborieux2023improving');
  });

  it('opens a paper by key, with abstract, BibTeX, related papers and a CSP', async () => {
    const api = await activate();
    await vscode.commands.executeCommand('paperscope.openPaper', 'laborieux2023improving');
    const html = await waitFor('the detail HTML', () => api.detail.html);
    assert.match(html, /Equilibrium propagation \(EP\) is a compelling alternative/);
    assert.match(html, /@inproceedings\{laborieux2023improving,/);
    assert.match(html, /Related papers/);
    assert.equal((html.match(/data-action="openPaper"/g) ?? []).length, 5);
    assert.match(html, /Content-Security-Policy" content="default-src 'none';/);
    const label = await waitFor('the panel tab', () => vscode.window.tabGroups.activeTabGroup.activeTab?.label);
    assert.equal(label, 'Improving equilibrium propagation without weight symmetry through Jacobian homeostasis');
  });

  it('copies the BibTeX entry of a paper to the clipboard', async () => {
    await activate();
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('paperscope.copyBibtex', 'jeen2023conservative');
    const text = await vscode.env.clipboard.readText();
    assert.match(text, /^@misc\{jeen2023conservative,/);
  });

  it('says how many papers it searches in its title, and says in the title when nothing matches', async () => {
    const api = await activate();
    await vscode.commands.executeCommand('paperscope.searchPapers', 'zzzqqqxxx nothinglikethis');
    const picker = await waitFor('the picker', () => {
      const p = api.searchPicker();
      return p && !p.busy && p.title?.startsWith('No papers match') ? p : undefined;
    });
    assert.deepEqual(
      picker.items.map((i) => i.paper?.key ?? (i.online ? 'online offer' : i.label)),
      ['online offer'],
      'no item posing as a result: only the offer to search online',
    );
    assert.match(picker.title ?? '', /author:zenke/);
    picker.value = '';
    await waitFor('the library count', () => (/^Search Papers — [\d,]+ papers/.test(picker.title ?? '') ? true : undefined));
    assert.doesNotMatch(picker.title ?? '', /paperscope\./, 'no setting id');
  });

  it('ignores an unknown key without opening anything', async () => {
    const api = await activate();
    await vscode.commands.executeCommand('paperscope.openPaper', 'nosuch2099key');
    assert.equal(api.detail.currentPaper, undefined);
  });
});
