import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, libraryPaperNodes, waitFor, workspaceUri } from './helpers';

describe('the sidebar views in the extension host', () => {
  afterEach(async () => {
    const api = await activate();
    api.libraryTree.setFilter(undefined);
    await vscode.commands.executeCommand('paperscope.groupLibraryBy', 'year');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('groups the library by year, newest first, counts summing to the corpus', async () => {
    const api = await activate();
    const groups = await api.libraryTree.getChildren();
    const items = groups.map((g) => api.libraryTree.getTreeItem(g));
    assert.deepEqual(items.slice(0, 2).map((i) => i.label), ['2026', '2025']);
    assert.equal(items.reduce((n, i) => n + Number(i.description), 0), api.library.index.size);
    const papers = await api.libraryTree.getChildren(groups[0]);
    const paperItem = api.libraryTree.getTreeItem(papers[0]);
    assert.equal(paperItem.label, 'Exploring an Alternative Line-Search Method for Lagrange-Newton Optimization');
    assert.equal(paperItem.description, 'Möller · 2026');
    assert.deepEqual(paperItem.command?.arguments, ['moller2026exploring']);
  });

  for (const grouping of ['venue', 'author', 'topic', 'source'] as const) {
    it(`switches to grouping by ${grouping} and remembers it`, async () => {
      const api = await activate();
      await vscode.commands.executeCommand('paperscope.groupLibraryBy', grouping);
      assert.equal(api.libraryTree.grouping, grouping);
      await api.libraryTree.topicsReady();
      const total = (await libraryPaperNodes(api)).length;
      assert.equal(total, api.library.index.size);
    });
  }

  it('filters with the search syntax and keeps the ranking inside groups', async () => {
    const api = await activate();
    await vscode.commands.executeCommand('paperscope.filterLibrary', 'author:zenke');
    const groups = await api.libraryTree.getChildren();
    assert.equal(groups.length, 1);
    const papers = await api.libraryTree.getChildren(groups[0]);
    assert.deepEqual(
      papers.map((p) => (p.kind === 'paper' ? p.paper.key : '')),
      ['laborieux2023improving'],
    );
    await vscode.commands.executeCommand('paperscope.clearLibraryFilter');
    assert.equal(api.libraryTree.filter, undefined);
    assert.ok((await api.libraryTree.getChildren()).length > 5);
  });

  it('keeps group ids stable across refreshes so expansion survives', async () => {
    const api = await activate();
    const ids = async () => (await api.libraryTree.getChildren()).map((g) => api.libraryTree.getTreeItem(g).id);
    const before = await ids();
    api.libraryTree.refresh();
    assert.deepEqual(await ids(), before);
  });

  it('lists the papers of the open .tex in order of first appearance, with counts and unknown keys apart', async () => {
    const api = await activate();
    await api.ready();
    const doc = await vscode.workspace.openTextDocument(workspaceUri('paper.tex'));
    await vscode.window.showTextDocument(doc);
    const model = await waitFor('the document view', () =>
      api.documentTree.document?.uri.toString() === doc.uri.toString() ? api.documentTree.papers : undefined,
    );
    assert.deepEqual(
      model.papers.map((p) => `${p.paper.key} ${p.occurrences.length}`),
      ['laborieux2023improving 2', 'baydin2022gradients 2', 'mykey2020 1', 'fournier2023forward 1'],
    );
    assert.deepEqual(model.unknownKeys.map((u) => u.key), ['nosuchkey2099']);
    const roots = api.documentTree.getChildren();
    const first = api.documentTree.getTreeItem(roots[0]);
    assert.equal(first.command?.command, 'paperscope.revealOccurrence');
    const occurrences = api.documentTree.getChildren(roots[0]);
    assert.equal(api.documentTree.getTreeItem(occurrences[0]).label, 'Line 3');
  });

  it('reveals an occurrence in the editor', async () => {
    const api = await activate();
    const doc = await vscode.workspace.openTextDocument(workspaceUri('paper.tex'));
    await vscode.window.showTextDocument(doc);
    await waitFor('the document view', () => (api.documentTree.papers.papers.length > 0 ? true : undefined));
    const item = api.documentTree.getTreeItem(api.documentTree.getChildren()[1]);
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.getText(editor.selection), 'Gradients without Backpropagation');
  });

  it('updates as the user types', async () => {
    const api = await activate();
    const uri = workspaceUri('typing.md');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('Nothing yet.\n'));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitFor('the empty view', () => (api.documentTree.document === editor.document ? true : undefined));
    assert.equal(api.documentTree.papers.papers.length, 0);
    await editor.edit((b) => b.insert(new vscode.Position(1, 0), 'See [@jeen2023conservative].\n'));
    await waitFor('the paper to appear', () => (api.documentTree.papers.papers.length === 1 ? true : undefined));
  });
});
