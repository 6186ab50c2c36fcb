// Paperscope next to a researcher's own bibliography: one paper under several keys in
// several files, @string macros, entries copied between files, and the defects real
// documents exposed (issues "Right on real documents" and "Trustworthy alongside your
// own bibliography").
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseBibtex } from '../../src/core/bib/parser';
import { GROUPINGS } from '../../src/core/search/libraryGroups';
import { activate, completionLabelsAtEnd, libraryPaperNodes, openWorkspaceFile, waitFor, workspaceUri, withReadyExtension } from './helpers';

const encode = (s: string) => new TextEncoder().encode(s);
const read = async (...path: string[]) => new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceUri(...path)));

const REFS = `@inproceedings{schulman2015trust,
  title = {Trust Region Policy Optimization},
  author = {Schulman, John and Levine, Sergey},
  booktitle = {ICML},
  year = {2015}
}

@inproceedings{mychen,
  title = {Conservative State Value Estimation for Offline Reinforcement Learning},
  author = {Chen, Liting and Yan, Jie},
  booktitle = {NeurIPS},
  year = {2023},
  eprint = {2302.06884},
  archivePrefix = {arXiv}
}
`;

const MYLIB = `@string{icml = "International Conference on Machine Learning"}

@inproceedings{Schulman:2015:TRPO,
  title = {Trust Region Policy Optimization},
  author = {John Schulman},
  booktitle = icml,
  year = 2015
}

@inproceedings{Fujimoto:2019:BCQ,
  title = {Off-Policy Deep Reinforcement Learning without Exploration},
  author = {Fujimoto, Scott and Meger, David and Precup, Doina},
  booktitle = icml,
  year = 2019,
  month = jun
}
`;

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

describe('trustworthy alongside the user’s own bibliography', () => {
  withReadyExtension();

  before(async function () {
    this.timeout(60_000);
    const api = await activate();
    await vscode.workspace.fs.createDirectory(workspaceUri('trust'));
    await vscode.workspace.fs.writeFile(workspaceUri('trust', 'refs.bib'), encode(REFS));
    await vscode.workspace.fs.writeFile(workspaceUri('trust', 'mylib.bib'), encode(MYLIB));
    await waitFor('both files in the library', () => (api.library.index.byKey('Fujimoto:2019:BCQ') && api.library.index.byKey('mychen') ? true : undefined), 30_000);
    await api.ready();
  });

  it('makes one paper of TRPO under two keys in two files: every key resolves to it, search and completion list it once', async () => {
    const api = await activate();
    const paper = api.library.index.byKey('schulman2015trust')!;
    assert.equal(api.library.index.byKey('Schulman:2015:TRPO'), paper);
    assert.equal(paper.origins?.length, 2);
    const hits = ((await api.library.search('trust region policy optimization')) ?? []).filter((h) => h.paper.title === 'Trust Region Policy Optimization');
    assert.equal(hits.length, 1);
    const editor = await openWorkspaceFile('trust/complete.tex', '\\cite{trust region policy optim');
    const { labels } = await completionLabelsAtEnd(editor);
    assert.equal(labels.filter((l) => l === 'schulman2015trust' || l === 'Schulman:2015:TRPO').length, 1, labels.join(' '));
  });

  it('shows distinct papers, the same number in the model, the search title and the Library', async () => {
    const api = await activate();
    const counts = api.library.model.counts();
    const ids = new Set(api.library.index.papers.map((p) => p.id));
    assert.equal(counts.papers, ids.size);
    const total = (await libraryPaperNodes(api)).length;
    assert.equal(total, counts.papers);
    await vscode.commands.executeCommand('paperscope.searchPapers');
    const picker = await waitFor('the picker', () => api.searchPicker());
    assert.ok(picker.title?.startsWith(`Search Papers — ${counts.papers.toLocaleString('en-US')} papers`), picker.title);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  it('diagnoses the key as written against the files the document reads, and offers the bibliography’s own key', async () => {
    const api = await activate();
    const editor = await openWorkspaceFile(
      'trust/related.tex',
      'TRPO \\cite{schulman2015trust}, again \\cite{Schulman:2015:TRPO}; CVPE \\cite{chen2023conservative}.\n\\setcitestyle{numbers,square}\\nocite{*}\n\\bibliography{refs}\n',
    );
    const doc = editor.document;
    const diags = await waitFor('diagnostics', () => {
      const d = api.diagnostics.get(doc.uri);
      return d.length >= 2 ? d : undefined;
    });
    assert.deepEqual(diags.map((d) => d.message).sort(), ["'Schulman:2015:TRPO' is not in trust/refs.bib", "'chen2023conservative' is not in trust/refs.bib"]);
    const chen = diags.find((d) => d.message.startsWith("'chen"))!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, chen.range);
    const cite = actions.find((a) => a.title.startsWith("Cite 'mychen' instead"));
    assert.ok(cite?.edit, actions.map((a) => a.title).join(' | '));
    await vscode.workspace.applyEdit(cite.edit);
    assert.match(doc.lineAt(0).text, /\\cite\{mychen\}/);
    const hover = await hoverText(doc.uri, doc.positionAt(doc.getText().indexOf('schulman2015trust') + 3));
    assert.match(hover, /\*\*Trust Region Policy Optimization\*\*/);
  });

  it('copies an entry from mylib.bib into refs.bib self-contained: macros expanded, month a macro, the key kept, no conflict', async () => {
    const api = await activate();
    const editor = await openWorkspaceFile('trust/cites-bcq.tex', 'Batch-constrained: \n\\bibliography{refs}\n');
    editor.selection = new vscode.Selection(0, 19, 0, 19);
    await vscode.commands.executeCommand('paperscope.insertCitation', 'Fujimoto:2019:BCQ');
    assert.equal(editor.document.lineAt(0).text, 'Batch-constrained: \\cite{Fujimoto:2019:BCQ}');
    const refs = await read('trust', 'refs.bib');
    const entry = parseBibtex(refs).entries.find((e) => e.key === 'Fujimoto:2019:BCQ');
    assert.ok(entry, refs);
    assert.equal(entry.fields.booktitle, 'International Conference on Machine Learning');
    assert.deepEqual(parseBibtex(refs).errors, [], 'refs.bib stands alone: no undefined macro');
    assert.match(refs, /month\s*=\s*jun\b/);
    await waitFor('the copy to join its paper', () => (api.library.index.byKey('Fujimoto:2019:BCQ')?.origins?.length === 2 ? true : undefined), 20_000);
    api.bibDiagnostics.update();
    assert.deepEqual(vscode.languages.getDiagnostics(workspaceUri('trust', 'refs.bib')).map((d) => d.message), []);
    // The Library still renders every grouping with unique ids.
    for (const grouping of GROUPINGS) {
      await vscode.commands.executeCommand('paperscope.groupLibraryBy', grouping);
      await api.libraryTree.topicsReady();
      const ids: string[] = [];
      for (const g of await api.libraryTree.getChildren()) {
        ids.push(api.libraryTree.getTreeItem(g).id!);
        ids.push(...(await api.libraryTree.getChildren(g)).map((p) => api.libraryTree.getTreeItem(p).id!));
      }
      assert.equal(new Set(ids).size, ids.length, `unique ids by ${grouping}`);
    }
    await vscode.commands.executeCommand('paperscope.groupLibraryBy', 'year');
  });

  it('cites the way a natbib document cites, after a selection rather than in place of it', async () => {
    const editor = await openWorkspaceFile(
      'trust/natbib.tex',
      '\\usepackage{natbib}\nAs \\citet{schulman2015trust} and \\citep{mychen} and \\citep{schulman2015trust} show.\nTrust regions keep updates small.\n\\bibliography{refs}\n',
    );
    const line = editor.document.lineAt(2);
    editor.selection = new vscode.Selection(line.range.start, line.range.end.translate(0, -1));
    await vscode.commands.executeCommand('paperscope.insertCitation', 'mychen');
    assert.equal(editor.document.lineAt(2).text, 'Trust regions keep updates small\\citep{mychen}.');
  });

  it('puts the citation of a hover card over a title right after that title', async () => {
    const editor = await openWorkspaceFile('trust/title.md', '---\nbibliography: refs.bib\n---\nWe build on Trust Region Policy Optimization in this note.\n\nCursor here: \n');
    const doc = editor.document;
    editor.selection = new vscode.Selection(5, 13, 5, 13);
    const hover = await hoverText(doc.uri, doc.positionAt(doc.getText().indexOf('Region') + 2));
    const link = /\[Insert citation\]\(command:paperscope\.insertCitation\?([^)]+)\)/.exec(hover);
    assert.ok(link, hover);
    const args = JSON.parse(decodeURIComponent(link[1])) as unknown[];
    await vscode.commands.executeCommand('paperscope.insertCitation', ...args);
    assert.equal(doc.lineAt(3).text, 'We build on Trust Region Policy Optimization [@schulman2015trust] in this note.');
    assert.equal(doc.lineAt(5).text, 'Cursor here: ');
  });

  it('reads an unknown key as a search and offers the bibliography’s key for the paper it names', async () => {
    const api = await activate();
    const editor = await openWorkspaceFile('trust/unknown.tex', 'See \\cite{schulman2015trpo}.\n\\bibliography{refs}\n');
    const warning = await waitFor('the warning', () => api.diagnostics.get(editor.document.uri).find((d) => d.code === 'unknown-key'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, warning.range);
    assert.ok(actions.some((a) => a.title.startsWith("Cite 'schulman2015trust' (Trust Region Policy Optimization) instead")), actions.map((a) => a.title).join(' | '));
    assert.ok(actions.some((a) => a.title === 'Search papers for “schulman 2015 trpo”'));
  });

  it('waits for a key being typed before calling it unknown', async () => {
    const api = await activate();
    const editor = await openWorkspaceFile('trust/typing.tex', 'Done \\cite{alsounknownkey1}.\n\n\\bibliography{refs}\n');
    await editor.edit((b) => b.insert(new vscode.Position(1, 0), '\\cite{schulm}'));
    await api.diagnostics.update(editor.document);
    const now = api.diagnostics.get(editor.document.uri).map((d) => d.message);
    assert.ok(now.some((m) => m.includes('alsounknownkey1')), 'other lines are judged at once');
    assert.ok(!now.some((m) => m.includes("'schulm'")), 'the line being typed is not');
    await waitFor('the key to be judged once typing pauses', () => api.diagnostics.get(editor.document.uri).find((d) => d.message.includes("'schulm'")));
  });

  it('completes multi-word queries after [@ and a key typed in full', async () => {
    const md = await openWorkspaceFile('trust/complete.md', 'As in [@equilibrium propagation jacob');
    assert.equal((await completionLabelsAtEnd(md)).labels[0], 'laborieux2023improving');
    const again = await openWorkspaceFile('trust/retype.md', 'As in [@laborieux2023improving');
    assert.equal((await completionLabelsAtEnd(again)).labels[0], 'laborieux2023improving');
  });

  it('keeps showing the last document in "In This Document" while the detail pane has focus, and goes Back and Forward in the pane', async () => {
    const api = await activate();
    const doc = await vscode.workspace.openTextDocument(workspaceUri('paper.tex'));
    await vscode.window.showTextDocument(doc);
    await waitFor('the document view', () => (api.documentTree.document === doc ? true : undefined));
    await vscode.commands.executeCommand('paperscope.openPaper', 'laborieux2023improving');
    await waitFor('the pane', () => api.detail.currentPaper);
    await waitFor('the editor to lose focus', () => (vscode.window.activeTextEditor === undefined ? true : undefined));
    assert.equal(api.documentTree.document, doc);
    assert.ok(api.documentTree.papers.papers.length > 0);
    await vscode.commands.executeCommand('paperscope.openPaper', 'baydin2022gradients');
    await waitFor('the second paper', () => (api.detail.currentPaper?.key === 'baydin2022gradients' ? true : undefined));
    await api.detail.rendered;
    assert.match(api.detail.html ?? '', /data-action="back" title="Back: Improving equilibrium propagation/);
    api.detail.go(-1);
    assert.equal(api.detail.currentPaper?.key, 'laborieux2023improving');
    await api.detail.rendered;
    assert.match(api.detail.html ?? '', /data-action="forward" title="Forward: Gradients without Backpropagation/);
    api.detail.go(1);
    assert.equal(api.detail.currentPaper?.key, 'baydin2022gradients');
  });

  it('inserts the key alone with Insert Citation in a plain-text file, and says why', async () => {
    const api = await activate();
    const txt = await openWorkspaceFile('trust/plain.txt', 'key: \n');
    txt.selection = new vscode.Selection(0, 5, 0, 5);
    await vscode.commands.executeCommand('paperscope.insertCitation', 'mychen');
    assert.equal(txt.document.lineAt(0).text, 'key: mychen');
    const manifest = vscode.extensions.getExtension('paperscope.paperscope')!.packageJSON;
    const binding = manifest.contributes.keybindings.find((k: { command: string }) => k.command === 'paperscope.insertCitation');
    assert.equal(binding.when, 'editorTextFocus && !editorReadonly', 'Ctrl+Alt+R works in every editor');
    assert.ok(api.notify.recent.some((n) => /inserted the citation key alone/.test(n.message)));
  });

  it('offers to remove the entries it added that nothing cites, and removes only the ones chosen', async () => {
    const api = await activate();
    // other.bib: refs.bib is cited whole by a \nocite{*} elsewhere, so nothing in it is unused.
    await vscode.workspace.fs.writeFile(workspaceUri('trust', 'other.bib'), encode('% Entries cited by remove.tex\n'));
    const editor = await openWorkspaceFile('trust/remove.tex', 'X \n\\bibliography{other}\n');
    editor.selection = new vscode.Selection(0, 2, 0, 2);
    await vscode.commands.executeCommand('paperscope.insertCitation', 'tang2024accelerating');
    await vscode.commands.executeCommand('paperscope.insertCitation', 'yu2025sound');
    assert.match(await read('trust', 'other.bib'), /\{tang2024accelerating,/);
    // The user changes the key: the entry Paperscope added is now cited by nothing.
    await editor.edit((b) => b.replace(new vscode.Range(0, 0, 0, editor.document.lineAt(0).text.length), 'X \\cite{yu2025sound}'));
    await editor.document.save();
    const removing = Promise.resolve(vscode.commands.executeCommand<number>('paperscope.removeUnusedEntries'));
    // The list of unused entries (checked) is on screen: accept it as the user would.
    await waitFor('the list', async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return Promise.race([removing.then(() => true), new Promise<undefined>((r) => setTimeout(() => r(undefined), 200))]);
    });
    assert.ok((await removing) >= 1);
    const other = await read('trust', 'other.bib');
    assert.doesNotMatch(other, /tang2024accelerating/);
    assert.match(other, /\{yu2025sound,/, 'an entry still cited stays');
    assert.ok(api.added.added(workspaceUri('trust', 'other.bib'), 'yu2025sound'));
    assert.ok(!api.added.added(workspaceUri('trust', 'other.bib'), 'tang2024accelerating'));
  });

  it('reads a bibliography kept in several files (IRIDIA’s layout): names and journals as other files’ @strings, crossrefs to a proceedings file, no false warnings', async () => {
    const api = await activate();
    // Shaped as iridia-ulb/references keeps it: authors.bib and abbrev.bib hold @strings
    // (`and` among them), crossref.bib the proceedings, biblio.bib the papers.
    const files: Record<string, string> = {
      'abbrev.bib': '@String{and = " and "}\n@String{springer = "Springer"}\n',
      'authors.bib': '@String{Aho = " A. Aho "}\n@String{Hopcroft = " J. Hopcroft "}\n@String{Bleuler = " S. Bleuler "}\n@String{Zitzler = " Eckart Zitzler "}\n',
      'crossref.bib': '@Proceedings{EMO2003,\n  title =        "Evolutionary Multi-criterion Optimization, EMO 2003",\n  booktitle =    "Evolutionary Multi-criterion Optimization, EMO 2003",\n  publisher =    springer,\n  year =         2003\n}\n',
      'biblio.bib': [
        '@Book{AhoHop83:data,\n  author =       Aho #and# Hopcroft,\n  title =        {Data structures and algorithms},\n  year =         1983\n}\n',
        '@InCollection{BLTZ2003a,\n  author =       Bleuler #and# Zitzler,\n  title =        "{PISA} -- A Platform and Programming Language\n                  Independent Interface for Search Algorithms ",\n  pages =        {494--508},\n  crossref =     "EMO2003",\n}\n',
        '@inCollection {AnsSelTie2009cp,\n  author =       " Meinolf Sellmann and Kevin Tierney",\n  title =        {A Gender-Based Genetic Algorithm for the Automatic Configuration of Algorithms},\n  crossref =     "CP2009",\n}\n',
      ].join('\n'),
    };
    await vscode.workspace.fs.createDirectory(workspaceUri('trust', 'iridia'));
    try {
      for (const [name, text] of Object.entries(files)) {
        await vscode.workspace.fs.writeFile(workspaceUri('trust', 'iridia', name), encode(text));
      }
      // The four files' events come in no set order (crossref.bib may be read before
      // authors.bib): wait until the paper has both its crossref and its names.
      const pisa = await waitFor(
        'the papers with their crossref and their names',
        () => {
          const p = api.library.index.byKey('BLTZ2003a');
          return p?.venue && p.authors.length === 2 && !p.authors.includes('bleuler') ? p : undefined;
        },
        30_000,
      );
      assert.equal(pisa.venue, 'Evolutionary Multi-criterion Optimization, EMO 2003');
      assert.equal(pisa.year, 2003);
      assert.deepEqual(pisa.authors, ['S. Bleuler', 'Eckart Zitzler']);
      assert.deepEqual(api.library.index.byKey('AhoHop83:data')?.authors, ['A. Aho', 'J. Hopcroft']);
      await api.ready();
      api.bibDiagnostics.update();
      // Only the crossref no file has is a warning; the macros and EMO2003 are the other files'.
      assert.deepEqual(
        vscode.languages.getDiagnostics(workspaceUri('trust', 'iridia', 'biblio.bib')).map((d) => d.message),
        ['@incollection{AnsSelTie2009cp: crossref CP2009 not found'],
      );
      for (const name of ['abbrev.bib', 'authors.bib', 'crossref.bib']) {
        assert.deepEqual(vscode.languages.getDiagnostics(workspaceUri('trust', 'iridia', name)), [], name);
      }
    } finally {
      await vscode.workspace.fs.delete(workspaceUri('trust', 'iridia'), { recursive: true });
    }
  });
});

describe('settings that decide after start-up too', () => {
  withReadyExtension();

  it('keeps a file excluded by paperscope.bibliography.exclude out when it changes on disk', async () => {
    const api = await activate();
    const config = vscode.workspace.getConfiguration('paperscope');
    await config.update('bibliography.exclude', '**/excluded/**', vscode.ConfigurationTarget.Workspace);
    try {
      await vscode.workspace.fs.createDirectory(workspaceUri('excluded'));
      await vscode.workspace.fs.writeFile(workspaceUri('excluded', 'x.bib'), encode('@misc{excludedentry, title={Should Never Be Read}}\n'));
      // A file written after it that is read: once it is in, the excluded one had its chance.
      await vscode.workspace.fs.writeFile(workspaceUri('included-after.bib'), encode('@misc{includedentry, title={Read After the Excluded One}}\n'));
      await waitFor('the included entry', () => api.library.index.byKey('includedentry'), 20_000);
      await vscode.workspace.fs.writeFile(workspaceUri('excluded', 'x.bib'), encode('@misc{excludedentry, title={Edited but Still Excluded}}\n'));
      await vscode.workspace.fs.writeFile(workspaceUri('included-after.bib'), encode('@misc{includedentry2, title={Read After the Edit}}\n'));
      await waitFor('the second included entry', () => api.library.index.byKey('includedentry2'), 20_000);
      assert.equal(api.library.index.byKey('excludedentry'), undefined);
    } finally {
      await config.update('bibliography.exclude', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.workspace.fs.delete(workspaceUri('included-after.bib'));
    }
  });
});

describe('what is not a citation in real Markdown', () => {
  withReadyExtension();

  it('shows no card over code blocks, cross-reference labels, handles, e-mails and comments, and one over the real citation', async () => {
    const text = [
      'The real one: [@laborieux2023improving].',
      '```bibtex',
      '@article{inblock, title = {Trust Region Policy Optimization}, eprint = {1502.05477}}',
      '```',
      'After the block: prose again, `@inline` code.',
      '~~~~ts',
      "@Component({ selector: 'app' })",
      '~~~~',
      'See @fig:results, @Tbl:summary, @eq:energy; Quarto @sec-intro. Thanks @octocat; mail jane.doe+papers@example.org.',
      '',
      '    @indented arXiv:2202.08587',
      '',
      '<!--',
      '[@hiddenkey]',
      '-->',
    ].join('\n');
    const editor = await openWorkspaceFile('code-notes.md', text);
    const doc = editor.document;
    const hoverAt = (needle: string, delta = 2) => hoverText(doc.uri, doc.positionAt(doc.getText().indexOf(needle) + delta));
    assert.match(await hoverAt('laborieux2023improving'), /Improving equilibrium propagation/);
    for (const needle of ['Trust Region Policy', '1502.05477', 'inblock', 'inline', 'Component', 'fig:results', 'Tbl:summary', 'eq:energy', 'sec-intro', 'octocat', 'example.org', 'indented', '2202.08587', 'hiddenkey']) {
      assert.equal(await hoverAt(needle), '', `no card over ${needle}`);
    }
  });
});
