import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, waitFor } from './helpers';

describe('search and details in the extension host', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('activates with the bundled corpus of 119 papers', async () => {
    const api = await activate();
    assert.equal(api.library.user.bundledSize, 119);
    assert.ok(api.library.index.size >= 119);
  });

  it('registers its commands', async () => {
    await activate();
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['paperscope.searchPapers', 'paperscope.openPaper', 'paperscope.copyBibtex']) {
      assert.ok(commands.includes(id), id);
    }
  });

  it('opens the detail pane of the top hit when Enter is pressed in the search', async () => {
    const api = await activate();
    await vscode.commands.executeCommand('paperscope.searchPapers', 'equilibrium propagation');
    // Let the QuickPick render its items, then accept the first (the top-ranked) one.
    await new Promise((r) => setTimeout(r, 500));
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

  it('ignores an unknown key without opening anything', async () => {
    const api = await activate();
    await vscode.commands.executeCommand('paperscope.openPaper', 'nosuch2099key');
    assert.equal(api.detail.currentPaper, undefined);
  });
});
