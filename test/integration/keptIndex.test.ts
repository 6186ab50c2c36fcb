import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parseBibtex } from '../../src/core/bib/parser';
import type { Paper } from '../../src/core/library/paper';
import { WorkerFullText } from '../../src/core/search/fullText';
import { contentDigest } from '../../src/core/text/digest';
import { giveBack } from '../../src/core/text/slices';
import { startNodeIndexWorker } from '../../src/node/nodeIndexPort';
import { Library, loadBundledLibrary } from '../../src/vscode/library';
import { EXTENSION_ID, workspaceUri } from './helpers';
import { BibFiles } from '../../src/vscode/bib/bibFiles';
import { Notifier } from '../../src/vscode/notifier';
import { findWorkspaceFiles } from '../../src/vscode/workspaceFiles';

const BIB = `@string{ neurips = {Advances in Neural Information Processing Systems} }

@inproceedings{quokka2024sparse,
  title     = {Sparse Quokka Embeddings for Marsupial Retrieval},
  author    = {Wallaby, Kim and Numbat, Lee},
  booktitle = neurips,
  year      = {2024}
}

@article{dingo2023,
  title   = {Dingo Gradients: A Study of Outback Optimisation},
  author  = {Emu, Sam},
  journal = {Journal of Antipodean Learning},
  year    = {2023}
}
`;

describe('searching from the index kept at the last start, before the .bib is parsed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paperscope-kept-early-'));
  const uri = vscode.Uri.parse('file:///kept-index-test/refs.bib');
  const libraries: Library[] = [];

  after(async () => {
    await Promise.all(libraries.map((l) => l.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  /** A window's library with its own index worker keeping indexes in `dir` (or `keptIn`). */
  async function start(keptIn = dir): Promise<Library> {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const bundled = await loadBundledLibrary(ext.extensionUri);
    const dist = (name: string) => vscode.Uri.joinPath(ext.extensionUri, 'dist', name).fsPath;
    const library = new Library(bundled, new WorkerFullText(startNodeIndexWorker(dist('indexWorker.js'), dist('library.json'), { dir: keptIn, version: 'test' }), giveBack));
    libraries.push(library);
    return library;
  }
  const sourcesOf = async (text: string) => `${uri.toString()} ${await contentDigest(new TextEncoder().encode(text))}`;
  const read = (library: Library, text: string) => library.applyBibChange({ uri, file: { uri, text, result: parseBibtex(text) } });

  it('answers with the .bib’s papers at once when the file is the same, and gives the library’s own paper once it is read', async () => {
    const first = await start();
    assert.equal(await first.expectKept(await sourcesOf(BIB)), false, 'nothing kept yet');
    await read(first, BIB);
    assert.equal(await first.settleFullText(await sourcesOf(BIB)), 'indexing');
    await first.stop(); // stores the index it has just built

    const second = await start();
    assert.equal(await second.expectKept(await sourcesOf(BIB)), true);
    assert.equal(second.answeringEarly, true, 'the picker says the .bib files are being read');
    // Nothing of the .bib is read by this window yet: only a search that takes provisional papers finds it.
    assert.deepEqual(((await second.search('quokka marsupial')) ?? []).map((h) => h.paper.key), []);
    const [hit] = (await second.search('quokka marsupial', { provisional: true })) ?? [];
    assert.equal(hit?.paper.key, 'quokka2024sparse');
    assert.equal(hit.paper.title, 'Sparse Quokka Embeddings for Marsupial Retrieval');
    assert.equal(hit.paper.origin, undefined, 'the kept index holds no .bib entries');
    // What a row does waits for the library's own paper: not before the .bib is read.
    const completed: { papers?: readonly Paper[] } = {};
    const completing = second.complete([hit.paper]).then((papers) => (completed.papers = papers));
    for (let i = 0; i < 20; i++) {
      await giveBack();
    }
    assert.equal(completed.papers?.length, undefined, 'still waiting');
    await read(second, BIB);
    assert.equal(await second.settleFullText(await sourcesOf(BIB)), 'cache');
    assert.equal(second.answeringEarly, false);
    await completing;
    const own = completed.papers?.[0];
    assert.equal(own?.key, 'quokka2024sparse');
    assert.match(own?.origin?.bibtex ?? '', /^@inproceedings\{quokka2024sparse,/);
    assert.equal(own, second.index.byKey('quokka2024sparse'));
    // Read: search answers with the library's papers, as before.
    assert.equal((await second.search('dingo outback', { provisional: true }))?.[0]?.paper, second.index.byKey('dingo2023'));
    await second.stop();
  });

  it('does not answer early when the file changed since, and never shows the old entry', async () => {
    const edited = BIB.replace('for Marsupial Retrieval', 'for Monotreme Retrieval');
    const third = await start();
    assert.equal(await third.expectKept(await sourcesOf(edited)), false);
    assert.deepEqual(((await third.search('quokka marsupial', { provisional: true })) ?? []).map((h) => h.paper.key), []);
    await read(third, edited);
    // Indexed afresh from the papers as read (tokenized as they came), not the kept index patched.
    assert.equal(await third.settleFullText(await sourcesOf(edited)), 'indexing');
    // The key's words are indexed too: the title's old word is what must be gone.
    assert.deepEqual(((await third.search('marsupial', { provisional: true })) ?? []).map((h) => h.paper.key), []);
    assert.equal((await third.search('monotreme', { provisional: true }))?.[0]?.paper, third.index.byKey('quokka2024sparse'));
  });

  it('keeps the index of a .bib edited in the session with the file’s new name: the next start answers early from it and loads it', async () => {
    const own = mkdtempSync(join(tmpdir(), 'paperscope-kept-session-'));
    try {
      const session = await start(own);
      await read(session, BIB);
      assert.equal(await session.settleFullText(await sourcesOf(BIB)), 'indexing');
      // Saved with an entry edited: read again, then the files named as they are now.
      const edited = BIB.replace('Dingo Gradients', 'Platypus Gradients');
      await read(session, edited);
      await session.keepSources(() => sourcesOf(edited));
      await session.stop(); // the window closes within the quiet period: stored at once

      const next = await start(own);
      assert.equal(await next.expectKept(await sourcesOf(edited)), true, 'answers early from the index kept after the edit');
      assert.equal((await next.search('platypus outback', { provisional: true }))?.[0]?.paper.key, 'dingo2023');
      assert.deepEqual(((await next.search('dingo gradients', { provisional: true })) ?? []).map((h) => h.paper.key).filter((k) => k === 'dingo2023'), [], 'not the start’s index');
      await read(next, edited);
      // The session numbered the edited paper anew, this start in the file's order: indexed
      // from the papers tokenized as they came (while the kept index answered), and kept.
      assert.equal(await next.settleFullText(await sourcesOf(edited)), 'indexing');
      assert.equal((await next.search('platypus outback'))?.[0]?.paper, next.index.byKey('dingo2023'));
      await next.stop();

      const third = await start(own);
      assert.equal(await third.expectKept(await sourcesOf(edited)), true);
      await read(third, edited);
      assert.equal(await third.settleFullText(await sourcesOf(edited)), 'cache', 'loaded, not indexed again');
      await third.stop();
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});

describe('how the .bib files a kept index was made from are named at start-up (BibFiles.sources)', () => {
  /** The workspace's .bib files as BibFiles finds them, in its order. */
  const bibs = async () => (await findWorkspaceFiles('**/*.bib', { exclude: '**/node_modules/**', max: 5000 })).sort((a, b) => (a.toString() < b.toString() ? -1 : 1));

  it('by each file’s content digest (the desktop), once every file is read', async () => {
    const files = new BibFiles(new Notifier());
    try {
      const expected = await Promise.all((await bibs()).map(async (uri) => `${uri.toString()} ${await contentDigest(await vscode.workspace.fs.readFile(uri))}`));
      assert.ok(expected.length >= 2);
      assert.equal(await files.sources, expected.join('\n'));
      await files.ready;
    } finally {
      files.dispose();
    }
  });

  for (const [how, naming] of [
    ['content digests', {}],
    ['size and modification time', { byStat: true }],
  ] as const) {
    it(`names the files as they are after a change in the session as the next start would (${how})`, async () => {
      const files = new BibFiles(new Notifier(), naming);
      const uri = workspaceUri('session-named.bib');
      /** The next start's names: a new BibFiles' first scan. */
      const atNextStart = async () => {
        const next = new BibFiles(new Notifier(), naming);
        try {
          const sources = await next.sources;
          await next.ready;
          return sources;
        } finally {
          next.dispose();
        }
      };
      const changed = (key: string) => new Promise<void>((resolve) => {
        const sub = files.onDidChange(() => {
          if ([...files.all().values()].some((f) => f.result.entries.some((e) => e.key === key))) {
            sub.dispose();
            resolve();
          }
        });
      });
      try {
        await files.ready;
        assert.equal(await files.currentSources(), await files.sources, 'unchanged: the start’s names');
        let seen = changed('sessionnamed');
        await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('@misc{sessionnamed, title={Named in the Session}}\n'));
        await seen;
        const added = await files.currentSources();
        assert.ok(added?.includes(uri.toString()));
        assert.equal(added, await atNextStart());
        seen = changed('sessionrenamed');
        await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('@misc{sessionrenamed, title={Named Again in the Session, Edited}}\n'));
        await seen;
        const edited = await files.currentSources();
        assert.notEqual(edited, added);
        assert.equal(edited, await atNextStart());
        // Typed into, unsaved: not named (the next start would most likely read it saved).
        const editor = await vscode.window.showTextDocument(uri);
        seen = changed('sessiontyped');
        await editor.edit((e) => e.insert(new vscode.Position(0, 0), '@misc{sessiontyped, title={Typed, Not Saved}}\n'));
        await seen;
        assert.equal(await files.currentSources(), undefined);
        seen = changed('sessiontyped'); // the save is read again
        await editor.document.save();
        await seen;
        assert.equal(await files.currentSources(), await atNextStart());
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      } finally {
        files.dispose();
        await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
      }
    });
  }

  it('by each file’s size and modification time (the browser build, which reads files over the network), before any is read', async () => {
    const files = new BibFiles(new Notifier(), { byStat: true });
    let parsed = 0;
    files.onDidChangeFile(() => parsed++);
    try {
      const expected = await Promise.all(
        (await bibs()).map(async (uri) => {
          const stat = await vscode.workspace.fs.stat(uri);
          return `${uri.toString()} ${stat.size} ${stat.mtime}`;
        }),
      );
      assert.equal(await files.sources, expected.join('\n'));
      assert.equal(parsed, 0, 'named before any file was parsed');
      await files.ready;
      assert.ok(parsed >= 2);
    } finally {
      files.dispose();
    }
  });
});
