import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseBibtex } from '../../src/core/bib/parser';
import { documentPieces } from '../../src/vscode/bib/readText';
import { activate, openWorkspaceFile, waitFor, workspaceUri, withReadyExtension } from './helpers';

const encode = (s: string) => new TextEncoder().encode(s);

describe('the user’s .bib files in the extension host', () => {
  withReadyExtension();

  it('makes the user’s entries searchable, with LaTeX turned into text', async () => {
    const api = await activate();
    const hit = ((await api.library.search('made-up gradients')) ?? [])[0];
    assert.equal(hit?.paper.key, 'mykey2020');
    assert.equal(hit.paper.title, 'A Paper Only the User Has: Über Gradients');
    assert.deepEqual(hit.paper.authors, ['Jane Doe', 'Ralf Möller']);
    assert.equal(hit.paper.venue, 'Journal of Made-up Learning');
  });

  it('merges an entry with the bundled paper it describes: the user’s key wins', async () => {
    const api = await activate();
    const paper = api.library.index.byKey('kumar2024gd');
    assert.equal(paper?.key, 'kumarGD');
    assert.match(paper.abstract, /gradient methods/i, 'the corpus abstract fills the missing one');
    const card = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      ...(await (async () => {
        const uri = workspaceUri('merge.md');
        await vscode.workspace.fs.writeFile(uri, encode('See [@kumarGD].\n'));
        const doc = await vscode.workspace.openTextDocument(uri);
        return [uri, doc.positionAt(8)] as const;
      })()),
    );
    const text = card.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
    assert.match(text, /GD Doesn/);
  });

  it('keeps the good entries of a damaged file and reports the damage at its line', async () => {
    const api = await activate();
    assert.ok(api.library.index.byKey('brokenfirst2021'));
    assert.equal(api.library.index.byKey('brokenthird2021')?.title, 'The Third Good Entry');
    // The damaged entry keeps its key (a citation of it resolves; nothing is written twice
    // under it), without the title whose brace never closes.
    assert.equal(api.library.index.byKey('brokensecond2021')?.title, '(untitled)');
    const uri = workspaceUri('lib', 'broken.bib');
    const diags = await waitFor('diagnostics on broken.bib', () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length > 0 ? d : undefined;
    });
    assert.equal(diags[0].severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diags[0].range.start.line, 7, 'the line of the brace that is never closed');
    assert.match(diags[0].message, /brokensecond2021/);
  });

  it('sees a new file, an edit on disk, and the file’s deletion', async () => {
    const api = await activate();
    const uri = workspaceUri('added.bib');
    await vscode.workspace.fs.writeFile(uri, encode('@misc{addedone, title={Frobnicating Quasicrystals}}\n'));
    await waitFor('the new entry', () => api.library.index.byKey('addedone'), 20_000);
    assert.equal(((await api.library.search('frobnicating')) ?? [])[0]?.paper.key, 'addedone');
    await vscode.workspace.fs.writeFile(uri, encode('@misc{addedtwo, title={Frobnicating Hypercrystals}}\n'));
    await waitFor('the edited entry', () => api.library.index.byKey('addedtwo'), 20_000);
    assert.equal(api.library.index.byKey('addedone'), undefined);
    await vscode.workspace.fs.delete(uri);
    await waitFor('the entry to go', () => (api.library.index.byKey('addedtwo') ? undefined : true), 20_000);
    assert.deepEqual(await api.library.search('frobnicating'), []);
  });

  it('finds an entry’s title in prose, and follows the title as it is edited and the entry deleted', async () => {
    const api = await activate();
    const bib = workspaceUri('titled.bib');
    const note = workspaceUri('titled-note.md');
    const first = 'Frobnicating Quasicrystals under Gentle Shear';
    const second = 'Frobnicating Quasicrystals under Rough Shear';
    await vscode.workspace.fs.writeFile(note, encode(`We read ${first}.\n\nThen ${second}.\n`));
    const hoverAt = async (line: number, character: number) => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', note, new vscode.Position(line, character));
      return hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
    };
    const cards = async () => [await hoverAt(0, 12), await hoverAt(2, 9)];
    try {
      await vscode.workspace.fs.writeFile(bib, encode(`@misc{titledone, title={${first}}}\n`));
      await waitFor('the first title found', async () => ((await cards())[0].includes('titledone') ? true : undefined));
      assert.doesNotMatch((await cards())[1], /titledone/);
      await vscode.workspace.fs.writeFile(bib, encode(`@misc{titledone, title={${second}}}\n`));
      await waitFor('the edited title found', async () => ((await cards())[1].includes('titledone') ? true : undefined));
      assert.doesNotMatch((await cards())[0], /titledone/, 'the old title is no longer a mention');
      await vscode.workspace.fs.delete(bib);
      await waitFor('neither title found', async () => ((await cards()).some((c) => c.includes('titledone')) ? undefined : true));
      assert.equal(api.library.index.byKey('titledone'), undefined);
    } finally {
      await vscode.workspace.fs.delete(bib).then(undefined, () => undefined);
      await vscode.workspace.fs.delete(note).then(undefined, () => undefined);
    }
  });

  it('sees an unsaved edit in an open .bib', async () => {
    const api = await activate();
    const doc = await vscode.workspace.openTextDocument(workspaceUri('lib', 'mine.bib'));
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((b) => b.insert(doc.positionAt(doc.getText().length), '\n@misc{unsavedkey, title={Entries Typed but Not Saved}}\n'));
    assert.ok(doc.isDirty);
    await waitFor('the unsaved entry', () => api.library.index.byKey('unsavedkey'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor('the reverted entry to go', () => (api.library.index.byKey('unsavedkey') ? undefined : true));
  });

  it('reports a key that names a different paper in another file, keeping both papers', async () => {
    const api = await activate();
    const uri = workspaceUri('zz-dup.bib');
    await vscode.workspace.fs.writeFile(uri, encode('@misc{mykey2020, title={Another Paper With the Same Key}}\n'));
    await waitFor('both entries', () => (api.library.index.allByKey('mykey2020').length === 2 ? true : undefined), 20_000);
    const diag = await waitFor('the conflict diagnostic', () => vscode.languages.getDiagnostics(uri).find((d) => String(d.code) === 'key-conflict'));
    assert.match(diag.message, /names a different paper in lib\/mine\.bib, line 3/);
    await vscode.workspace.fs.delete(uri);
  });

  it('takes an identical copy of an entry in another file for the same paper: no warning, one paper', async () => {
    const api = await activate();
    const uri = workspaceUri('zz-copy.bib');
    const mine = new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceUri('lib', 'mine.bib')));
    const parsed = parseBibtex(mine).entries.find((e) => e.key === 'mykey2020')!;
    const entry = mine.slice(parsed.start, parsed.end);
    await vscode.workspace.fs.writeFile(uri, encode(`@string{jml = "Journal of Made-up Learning"}\n${entry}`));
    const paper = await waitFor('the copy to join its paper', () => (api.library.index.byKey('mykey2020')?.origins?.length === 2 ? api.library.index.byKey('mykey2020') : undefined), 20_000);
    assert.equal(api.library.index.allByKey('mykey2020').length, 1);
    assert.equal(paper.venue, 'Journal of Made-up Learning');
    await api.ready();
    api.bibDiagnostics.update();
    assert.deepEqual(vscode.languages.getDiagnostics(uri).map((d) => d.message), []);
    await vscode.workspace.fs.delete(uri);
  });

  it('shows a user entry’s source, its own BibTeX and a Go to entry action in the detail pane', async () => {
    const api = await activate();
    await vscode.commands.executeCommand('paperscope.openPaper', 'mykey2020');
    const html = await waitFor('the detail HTML', () => api.detail.html);
    assert.match(html, /from <code>lib\/mine\.bib<\/code>, line 3/);
    assert.match(html, /data-action="goToEntry"/);
    assert.match(html, /journal {2}= jml,/, 'the raw entry, as written');
  });

  it('follows typing in a long .bib: the edited entry, the entries below it moved, a damaged entry’s warning at its new line', async () => {
    const api = await activate();
    // 400 entries; the 300th has a brace that never closes.
    const entries = Array.from({ length: 400 }, (_, i) =>
      i === 300 ? `@misc{long${i},\n  title = {An Unclosed {Brace,\n  year = 2001\n}` : `@misc{long${i},\n  title = {Long file entry ${i}},\n  year = 2001\n}`,
    );
    // At the workspace's top: a new file in a new folder once went unseen by code-server's watcher for 20 s in CI.
    const editor = await openWorkspaceFile('typing-long.bib', `${entries.join('\n')}\n`);
    const uri = editor.document.uri;
    const damaged = async (line: number) =>
      waitFor(`the warning at line ${line + 1}`, () => vscode.languages.getDiagnostics(uri).find((d) => d.message.includes('long300') && d.range.start.line === line), 20_000);
    await waitFor('the file', () => api.library.index.byKey('long399'), 60_000);
    await damaged(1201);
    const parsedFirst = api.bibFiles.all().get(uri.toString())?.result.entries[0];
    try {
      // Typed, not saved: the open document's text is read again, re-parsed around the edit.
      const at = editor.document.positionAt(editor.document.getText().indexOf('Long file entry 200}'));
      await editor.edit((b) => b.insert(at, 'Quixotic Zebras},\n  note = {two more lines},\n  old = {'));
      await waitFor('the edited title', () => (api.library.index.byKey('long200')?.title === 'Quixotic Zebras' ? true : undefined), 20_000);
      assert.equal(api.library.index.byKey('long250')?.origin?.line, 1003, 'an entry below moved down two lines');
      assert.equal(api.library.index.byKey('long100')?.origin?.line, 401);
      assert.equal(((await api.library.search('quixotic zebras')) ?? [])[0]?.paper.key, 'long200');
      await damaged(1203);
      assert.equal(api.bibFiles.all().get(uri.toString())?.result.entries[0], parsedFirst, 'parsed again only around the edit: the first entry is the one read before');
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await vscode.workspace.fs.delete(uri);
    }
  });
});

describe('an open .bib read in pieces', () => {
  it('reads the document a block of lines at a time, and again when it changes meanwhile', async () => {
    const editor = await openWorkspaceFile('pieces.bib', `${Array.from({ length: 2500 }, (_, i) => `% line ${i} ✓ 論文`).join('\n')}\n@misc{tail, title = {T}}\n`);
    const doc = editor.document;
    try {
      const read = await documentPieces(doc);
      assert.equal(read.pieces.length, 3, '1,024 lines a piece');
      assert.equal(read.slice(0), doc.getText());
      // Typed while it reads (at its first pause), above what it has read.
      let typed = false;
      const again = await documentPieces(doc, async () => {
        if (!typed) {
          typed = true;
          await editor.edit((b) => b.insert(new vscode.Position(0, 0), '% typed meanwhile\n'));
        }
      });
      assert.ok(typed);
      assert.equal(again.slice(0), doc.getText());
      assert.ok(again.slice(0).startsWith('% typed meanwhile\n% line 0 ✓'));
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await vscode.workspace.fs.delete(doc.uri);
    }
  });
});

describe('a Zotero-style library of a few thousand entries', () => {
  const N = 3000;
  const zotero = (i: number) =>
    `@article{doe_widget_${i}_2021,\n\ttitle = {Widget {Theory} Number ${i}: {A} Study of Sprockets ${i}},\n\tvolume = {${i % 40}},\n\tissn = {1234-5678},\n\turl = {https://example.org/paper/${i}},\n\tdoi = {10.9999/widget.${i}},\n\tabstract = {We study sprockets of kind ${i}, with \\emph{emphasis} and 50\\% more gears.},\n\tlanguage = {en},\n\turldate = {2024-01-0${(i % 9) + 1}},\n\tjournal = {Journal of Widgets},\n\tauthor = {Doe, Jane and M{\\"u}ller, Hans and Roe, Richard},\n\tmonth = mar,\n\tyear = {2021},\n\tkeywords = {sprockets, widgets},\n\tfile = {Full Text PDF:files/${i}/Doe - 2021.pdf:application/pdf},\n}\n`;

  before(async function () {
    this.timeout(120_000);
    const api = await activate();
    const text = Array.from({ length: N }, (_, i) => zotero(i)).join('\n');
    await vscode.workspace.fs.writeFile(workspaceUri('zotero.bib'), new TextEncoder().encode(text));
    await waitFor('the Zotero entries', () => (api.library.index.byKey(`doe_widget_${N - 1}_2021`) ? true : undefined), 90_000);
    // The lookups know the entries first; the full text has them once the change is settled.
    await api.library.settled();
  });

  it('finds, hovers and cites every entry by the user’s own key', async () => {
    const api = await activate();
    assert.equal(((await api.library.search('sprockets 2718')) ?? [])[0]?.paper.key, 'doe_widget_2718_2021');
    const uri = workspaceUri('zotero-cite.tex');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('See .\n\\bibliography{zotero}\n'));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    editor.selection = new vscode.Selection(0, 4, 0, 4);
    await vscode.commands.executeCommand('paperscope.insertCitation', 'doe_widget_1234_2021');
    assert.equal(editor.document.lineAt(0).text, 'See \\cite{doe_widget_1234_2021}.');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 15));
    const text = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
    assert.match(text, /Widget Theory Number 1234/);
    assert.match(text, /Doe, Müller, Roe/);
  });
});
