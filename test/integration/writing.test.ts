import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, completionLabelsAtEnd, openWorkspaceFile, waitFor, workspaceUri, withReadyExtension } from './helpers';

const openFile = (name: string, content: string) => openWorkspaceFile(name, content);

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

function positionOf(doc: vscode.TextDocument, needle: string, delta = 1): vscode.Position {
  const at = doc.getText().indexOf(needle);
  assert.ok(at >= 0, `${needle} not in ${doc.uri.path}`);
  return doc.positionAt(at + delta);
}

async function readFile(name: string): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceUri(name)));
}

describe('writing with papers in the extension host', () => {
  withReadyExtension();

  describe('hover cards', () => {
    let doc: vscode.TextDocument;
    before(async () => {
      doc = await vscode.workspace.openTextDocument(workspaceUri('paper.tex'));
    });

    it('explain a citation key', async () => {
      const text = await hoverText(doc.uri, positionOf(doc, 'laborieux2023improving}', 3));
      assert.match(text, /\*\*Improving equilibrium propagation without weight symmetry through Jacobian homeostasis\*\*/);
      assert.match(text, /command:paperscope\.insertCitation\?/);
    });

    it('explain an arXiv id', async () => {
      const text = await hoverText(doc.uri, positionOf(doc, 'arXiv:2202.08587', 8));
      assert.match(text, /\*\*Gradients without Backpropagation\*\*/);
    });

    it('explain a title broken across two lines', async () => {
      const text = await hoverText(doc.uri, positionOf(doc, 'weight symmetry through Jacobian homeostasis.', 2));
      assert.match(text, /Laborieux, Zenke · 2023/);
    });

    it('offer a search for an unknown key', async () => {
      const text = await hoverText(doc.uri, positionOf(doc, 'nosuchkey2099', 2));
      assert.match(text, /Unknown citation key `nosuchkey2099`/);
      assert.match(text, /command:paperscope\.searchPapers\?/);
    });

    it('stay quiet over titles when paperscope.hover.titles is off', async () => {
      const config = vscode.workspace.getConfiguration('paperscope');
      await config.update('hover.titles', false, vscode.ConfigurationTarget.Global);
      try {
        const text = await hoverText(doc.uri, positionOf(doc, 'weight symmetry through Jacobian homeostasis.', 2));
        assert.doesNotMatch(text, /Laborieux/);
      } finally {
        await config.update('hover.titles', undefined, vscode.ConfigurationTarget.Global);
      }
    });
  });

  describe('completion', () => {
    it('ranks papers for what was typed inside \\cite{', async () => {
      const editor = await openFile('complete.tex', '\\cite{a,equilibrium prop');
      const { labels, list } = await completionLabelsAtEnd(editor);
      assert.equal(labels[0], 'laborieux2023improving');
      assert.ok(list.items[0].documentation, 'documentation is the hover card');
    });

    it('completes a key after @ in Markdown', async () => {
      const editor = await openFile('complete.md', 'As shown by [@zenke');
      const { labels } = await completionLabelsAtEnd(editor);
      assert.ok(labels.includes('laborieux2023improving'), labels.join(' '));
    });
  });

  describe('inserting citations', () => {
    it('inserts \\cite{key} and adds the entry to a dirty .bib, keeping the user’s text; one undo removes it', async () => {
      await vscode.workspace.fs.writeFile(workspaceUri('dirty.bib'), new TextEncoder().encode('@misc{old, title={Old}}\n'));
      const bibDoc = await vscode.workspace.openTextDocument(workspaceUri('dirty.bib'));
      const bibEditor = await vscode.window.showTextDocument(bibDoc);
      await bibEditor.edit((b) => b.insert(new vscode.Position(0, 0), '% my unsaved note\n'));
      assert.ok(bibDoc.isDirty);

      const tex = await openFile('insert.tex', 'Text \n\\bibliography{dirty}\n');
      tex.selection = new vscode.Selection(0, 5, 0, 5);
      await vscode.commands.executeCommand('paperscope.insertCitation', 'jeen2023conservative');
      assert.equal(tex.document.lineAt(0).text, 'Text \\cite{jeen2023conservative}');

      const bibText = bibDoc.getText();
      assert.ok(bibText.startsWith('% my unsaved note\n@misc{old, title={Old}}\n\n@misc{jeen2023conservative,'), bibText);
      assert.ok(bibDoc.isDirty, 'the user’s unsaved change is not saved behind their back');

      await vscode.window.showTextDocument(bibDoc);
      await vscode.commands.executeCommand('undo');
      assert.equal(bibDoc.getText(), '% my unsaved note\n@misc{old, title={Old}}\n');
    });

    it('extends an existing group and saves a clean .bib', async () => {
      await vscode.workspace.fs.writeFile(workspaceUri('clean.bib'), new TextEncoder().encode(''));
      const tex = await openFile('group.tex', '\\citep{laborieux2023improving,}\n\\addbibresource{clean.bib}\n');
      const inside = tex.document.getText().indexOf(',}') + 1;
      tex.selection = new vscode.Selection(tex.document.positionAt(inside), tex.document.positionAt(inside));
      await vscode.commands.executeCommand('paperscope.insertCitation', 'jeen2023conservative');
      assert.equal(tex.document.lineAt(0).text, '\\citep{laborieux2023improving,jeen2023conservative}');
      const onDisk = await readFile('clean.bib');
      assert.match(onDisk, /^@misc\{jeen2023conservative,/);
    });

    it('inserts [@key] in Markdown and uses the key the .bib already has for the same paper', async () => {
      await vscode.workspace.fs.writeFile(
        workspaceUri('same.bib'),
        new TextEncoder().encode('@misc{myjeen, title={Conservative World Models}, eprint={2309.15178}, archivePrefix={arXiv}}\n'),
      );
      const md = await openFile('same.md', '---\nbibliography: same.bib\n---\nSee .\n');
      md.selection = new vscode.Selection(3, 4, 3, 4);
      await vscode.commands.executeCommand('paperscope.insertCitation', 'jeen2023conservative');
      assert.equal(md.document.lineAt(3).text, 'See [@myjeen].');
      assert.equal((await readFile('same.bib')).match(/@misc/g)?.length, 1, 'nothing appended');
    });

    it('asks once where the entries of a document that names no bibliography go, and remembers the answer', async () => {
      const api = await activate();
      const asked: string[] = [];
      const original = api.bibliographies.choose;
      api.bibliographies.choose = async (doc, candidates, suggested) => {
        asked.push(`${vscode.workspace.asRelativePath(doc.uri)} ${candidates.length > 0} ${suggested?.path.split('/').pop()}`);
        return { kind: 'existing', uri: workspaceUri('references.bib') };
      };
      try {
        const md = await openFile('plain.md', 'Text: ');
        md.selection = new vscode.Selection(0, 6, 0, 6);
        await vscode.commands.executeCommand('paperscope.insertCitation', ['jeen2023conservative', 'laborieux2023improving']);
        assert.deepEqual(asked, ['plain.md true undefined'], 'references.bib exists: no new one is suggested');
        const text = md.document.getText();
        assert.ok(text.startsWith('---\nbibliography: references.bib\n---\n\n'), 'the document now reads the file');
        assert.match(text, /Text: \[@jeen2023conservative; @laborieux2023improving\]/);
        const refs = await readFile('references.bib');
        assert.match(refs, /@misc\{jeen2023conservative,/);
        assert.equal(refs.match(/\{laborieux2023improving,/g)?.length, 1, 'already there: not added again');
        // A second citation asks nothing: the document names its bibliography now.
        md.selection = new vscode.Selection(md.document.lineCount - 1, 0, md.document.lineCount - 1, 0);
        await vscode.commands.executeCommand('paperscope.insertCitation', 'baydin2022gradients');
        assert.equal(asked.length, 1);
      } finally {
        api.bibliographies.choose = original;
      }
    });

    it('creates references.bib and \\bibliography{references} when asked to, and cites keys only when told so', async () => {
      const api = await activate();
      const original = api.bibliographies.choose;
      let answer: 'create' | 'none' = 'create';
      let asked = 0;
      api.bibliographies.choose = async (_doc, _candidates, suggested) => {
        asked++;
        return answer === 'create' ? { kind: 'create', uri: suggested! } : { kind: 'none' };
      };
      try {
        await vscode.workspace.fs.createDirectory(workspaceUri('fresh'));
        const tex = await openFile('fresh/new.tex', '\\documentclass{article}\n\\begin{document}\nText \n\\end{document}\n');
        tex.selection = new vscode.Selection(2, 5, 2, 5);
        await vscode.commands.executeCommand('paperscope.insertCitation', 'jeen2023conservative');
        assert.match(tex.document.getText(), /Text \\cite\{jeen2023conservative\}\n\\bibliographystyle\{plain\}\n\\bibliography\{references\}\n\\end\{document\}/);
        assert.match(await readFile('fresh/references.bib'), /@misc\{jeen2023conservative,/);

        answer = 'none';
        const keysOnly = await openFile('fresh/keys-only.md', 'Text: ');
        keysOnly.selection = new vscode.Selection(0, 6, 0, 6);
        await vscode.commands.executeCommand('paperscope.insertCitation', 'jeen2023conservative');
        await vscode.commands.executeCommand('paperscope.insertCitation', 'baydin2022gradients');
        assert.equal(asked, 2, 'asked once per document');
        assert.match(keysOnly.document.getText(), /^Text: \[@jeen2023conservative\]\[@baydin2022gradients\]$/);
        assert.equal(api.bibliographies.remembered(keysOnly.document.uri)?.kind, 'none');
      } finally {
        api.bibliographies.choose = original;
      }
    });

    it('inserts the key alone in other languages', async () => {
      const py = await openFile('script.py', 'x = ""\n');
      py.selection = new vscode.Selection(0, 5, 0, 5);
      await vscode.commands.executeCommand('paperscope.insertCitation', 'jeen2023conservative');
      assert.equal(py.document.lineAt(0).text, 'x = "jeen2023conservative"');
    });
  });

  describe('diagnostics and quick fixes', () => {
    it('warns about unknown keys and informs about bundled papers missing from the .bib', async () => {
      const api = await activate();
      const doc = await vscode.workspace.openTextDocument(workspaceUri('paper.tex'));
      await vscode.window.showTextDocument(doc);
      const diags = await waitFor('diagnostics', () => {
        const d = api.diagnostics.get(doc.uri);
        return d.length >= 3 ? d : undefined;
      });
      const summary = diags.map((d) => `${vscode.DiagnosticSeverity[d.severity]} ${d.message}`).sort();
      assert.deepEqual(summary, [
        "Information 'fournier2023forward' is not in references.bib",
        "Information 'mykey2020' is not in references.bib",
        "Warning Unknown citation key 'nosuchkey2099': no paper in the library has it",
      ]);
    });

    it('fixes a missing entry with "Add BibTeX entry to references.bib"', async () => {
      const api = await activate();
      const doc = await vscode.workspace.openTextDocument(workspaceUri('paper.tex'));
      await vscode.window.showTextDocument(doc);
      const info = await waitFor('the information diagnostic', () =>
        api.diagnostics.get(doc.uri).find((d) => d.code === 'missing-bib-entry' && d.message.startsWith("'fournier")),
      );
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, info.range);
      const fix = actions.find((a) => a.title === "Add the BibTeX entry for 'fournier2023forward' to references.bib");
      assert.ok(fix?.command, actions.map((a) => a.title).join(' | '));
      await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
      assert.match(await readFile('references.bib'), /@inproceedings\{fournier2023forward,/);
      await waitFor('the diagnostic to clear', () =>
        api.diagnostics.get(doc.uri).some((d) => d.message.startsWith("'fournier")) ? undefined : true,
      );
    });

    it('offers a search for an unknown key', async () => {
      const api = await activate();
      const doc = await vscode.workspace.openTextDocument(workspaceUri('paper.tex'));
      await vscode.window.showTextDocument(doc);
      const warning = await waitFor('the warning', () => api.diagnostics.get(doc.uri).find((d) => d.code === 'unknown-key'));
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, warning.range);
      const fix = actions.find((a) => a.title === 'Search papers for “nosuchkey 2099”');
      assert.deepEqual(fix?.command?.arguments, ['nosuchkey 2099'], actions.map((a) => a.title).join(' | '));
    });

    it('clears a document’s diagnostics when it closes', async () => {
      const api = await activate();
      // An untitled document is disposed as soon as its editor is closed without saving.
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: '[@nosuchkey2099]\n' });
      await vscode.window.showTextDocument(doc);
      await waitFor('a warning', () => (api.diagnostics.get(doc.uri).length > 0 ? true : undefined));
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await waitFor('the document to close', () => (doc.isClosed ? true : undefined));
      assert.equal(api.diagnostics.get(doc.uri).length, 0);
    });
  });
});
