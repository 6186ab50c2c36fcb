import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, openWorkspaceFile, waitFor, workspaceUri, withReadyExtension } from './helpers';

const encode = (s: string) => new TextEncoder().encode(s);
const open = (name: string, content: string | Uint8Array) => openWorkspaceFile(name, content);
async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

describe('hardening in the extension host', () => {
  withReadyExtension();

  it('refuses to write a bibliography outside the workspace, telling the user, and still cites', async () => {
    const api = await activate();
    const tex = await open('escape.tex', 'x \n\\bibliography{../outside-the-workspace}\n');
    tex.selection = new vscode.Selection(0, 2, 0, 2);
    await vscode.commands.executeCommand('paperscope.insertCitation', 'jeen2023conservative');
    assert.equal(tex.document.lineAt(0).text, 'x \\cite{jeen2023conservative}');
    assert.ok(!(await exists(vscode.Uri.joinPath(workspaceUri(), '..', 'outside-the-workspace.bib'))));
    assert.match(api.notify.recent.at(-1)?.message ?? '', /does not write there: .*outside the workspace/);
  });

  it('refuses to append to a file that is not a .bib', async () => {
    const api = await activate();
    await vscode.workspace.fs.writeFile(workspaceUri('notes.txt'), encode('my notes\n'));
    const tex = await open('nonbib.tex', 'y \n\\addbibresource{notes.txt}\n');
    tex.selection = new vscode.Selection(0, 2, 0, 2);
    await vscode.commands.executeCommand('paperscope.insertCitation', 'jeen2023conservative');
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceUri('notes.txt'))), 'my notes\n');
    assert.match(api.notify.recent.at(-1)?.message ?? '', /notes\.txt is not a \.bib file/);
  });

  it('tells the user when VS Code cannot apply the edit, and writes nothing', async () => {
    const api = await activate();
    // The bibliography's folder is a file: creating refs.bib inside it must fail.
    await vscode.workspace.fs.writeFile(workspaceUri('notafolder'), encode('a file\n'));
    const tex = await open('failing.tex', 'z \n\\bibliography{notafolder/refs}\n');
    tex.selection = new vscode.Selection(0, 2, 0, 2);
    await vscode.commands.executeCommand('paperscope.insertCitation', 'jeen2023conservative');
    assert.equal(tex.document.lineAt(0).text, 'z \\cite{jeen2023conservative}', 'the citation still goes in');
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceUri('notafolder'))), 'a file\n');
    assert.match(api.notify.recent.at(-1)?.message ?? '', /could not add the BibTeX entry to notafolder\/refs\.bib/);
  });

  it('keeps the .bib well-formed when the user types in it while a citation is added', async () => {
    await vscode.workspace.fs.writeFile(workspaceUri('busy.bib'), encode('@misc{first, title={First}}\n'));
    const bibDoc = await vscode.workspace.openTextDocument(workspaceUri('busy.bib'));
    const bibEditor = await vscode.window.showTextDocument(bibDoc, vscode.ViewColumn.Two);
    const tex = await openWorkspaceFile('busy.tex', 'w \n\\bibliography{busy}\n', vscode.ViewColumn.One);
    tex.selection = new vscode.Selection(0, 2, 0, 2);
    const citing = vscode.commands.executeCommand('paperscope.insertCitation', 'jeen2023conservative');
    const typing = (async () => {
      for (let i = 0; i < 5; i++) {
        await bibEditor.edit((b) => b.insert(new vscode.Position(0, 0), `% note ${i}\n`));
      }
    })();
    await Promise.all([citing, typing]);
    const { parseBibtex } = await import('../../src/core/bib/parser');
    const parsed = parseBibtex(bibDoc.getText());
    assert.deepEqual(parsed.errors, []);
    const api = await activate();
    assert.deepEqual(parsed.entries.map((e) => e.key).sort(), ['first', 'jeen2023conservative'], JSON.stringify(api.notify.recent.slice(-2)));
    assert.equal((bibDoc.getText().match(/% note/g) ?? []).length, 5, 'the user’s typing is all there');
  });

  it('reads a Latin-1 .bib and one with a byte-order mark', async () => {
    const api = await activate();
    const latin1 = Uint8Array.from([...'@misc{latinone, title={Caf'].map((c) => c.charCodeAt(0)).concat([0xe9], [...' Theory}}\n'].map((c) => c.charCodeAt(0))));
    await vscode.workspace.fs.writeFile(workspaceUri('latin1.bib'), latin1);
    await vscode.workspace.fs.writeFile(workspaceUri('bom.bib'), encode('\uFEFF@misc{bomfirst, title={First After BOM}}\n'));
    const p = await waitFor('the Latin-1 entry', () => api.library.index.byKey('latinone'), 20_000);
    assert.equal(p.title, 'Café Theory');
    await waitFor('the BOM entry', () => api.library.index.byKey('bomfirst'), 20_000);
    // Large files are decoded a slice (512 KiB) at a time: a character split between two
    // slices, and a Latin-1 byte found only in a later slice (decoded again as Latin-1).
    const kib512 = 512 * 1024;
    const split = encode(`% ${'x'.repeat(kib512 - 3)}漢\n@misc{splitchar, title={Kanji 漢字 after the split}}\n% ${'y'.repeat(kib512)}\n`);
    assert.deepEqual([...split.subarray(kib512 - 1, kib512 + 2)], [...encode('漢')], 'the character straddles the first slice');
    await vscode.workspace.fs.writeFile(workspaceUri('bigutf8.bib'), split);
    const lateLatin = Uint8Array.from([...encode(`% ${'z'.repeat(kib512 * 2)}\n@misc{latinlate, title={Caf`), 0xe9, ...encode(' Late}}\n')]);
    await vscode.workspace.fs.writeFile(workspaceUri('biglatin1.bib'), lateLatin);
    assert.equal((await waitFor('the entry after the split character', () => api.library.index.byKey('splitchar'), 20_000)).title, 'Kanji 漢字 after the split');
    assert.equal((await waitFor('the late Latin-1 entry', () => api.library.index.byKey('latinlate'), 20_000)).title, 'Café Late');
    await vscode.workspace.fs.delete(workspaceUri('bigutf8.bib'));
    await vscode.workspace.fs.delete(workspaceUri('biglatin1.bib'));
  });

  it('skips a .bib over paperscope.bibliography.maxFileSizeMB and says so, naming the setting', async () => {
    const api = await activate();
    const config = vscode.workspace.getConfiguration('paperscope');
    await config.update('bibliography.maxFileSizeMB', 0.1, vscode.ConfigurationTarget.Workspace);
    try {
      const big = Array.from({ length: 4000 }, (_, i) => `@misc{huge${i}, title={Entry ${i} of a large file}}`).join('\n');
      await vscode.workspace.fs.writeFile(workspaceUri('huge.bib'), encode(big));
      await waitFor('the message', () => api.notify.recent.find((n) => /skipped huge\.bib/.test(n.message)), 20_000);
      assert.match(api.notify.recent.find((n) => /skipped huge\.bib/.test(n.message))!.message, /paperscope\.bibliography\.maxFileSizeMB/);
      assert.equal(api.library.index.byKey('huge0'), undefined);
    } finally {
      await config.update('bibliography.maxFileSizeMB', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.workspace.fs.delete(workspaceUri('huge.bib'));
    }
  });

  it('says when a document is too large to scan', async () => {
    const api = await activate();
    await open('enormous.tex', `${'word '.repeat(1_100_000)}\\cite{x}`);
    await waitFor('the message', () => api.notify.recent.find((n) => /enormous\.tex is larger than 5 million characters/.test(n.message)), 20_000);
  });

  it('ignores command URIs and messages it did not make', async () => {
    const api = await activate();
    await vscode.commands.executeCommand('paperscope.openPaper', { command: 'workbench.action.terminal.new' });
    await vscode.commands.executeCommand('paperscope.openPaper', '")]%22\ncommand:evil');
    await vscode.commands.executeCommand('paperscope.insertCitation', 42);
    assert.equal(api.detail.currentPaper, undefined);
    assert.equal(vscode.window.terminals.length, 0);
  });
});
