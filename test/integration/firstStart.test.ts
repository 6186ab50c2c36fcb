import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parseBibtex, parseBibtexInSlices } from '../../src/core/bib/parser';
import { WorkerFullText, type FullText } from '../../src/core/search/fullText';
import { decodePieces } from '../../src/core/text/decode';
import { giveBack } from '../../src/core/text/slices';
import { startNodeIndexWorker } from '../../src/node/nodeIndexPort';
import { inProcessFullText, Library, loadBundledLibrary } from '../../src/vscode/library';
import { EXTENSION_ID } from './helpers';

/** 6,000 entries (past the size where abstracts are indexed by keywords), a few that the model must make itself among them. */
function largeBib(): string {
  const words = ['sparse', 'gradient', 'attention', 'kernel', 'bayesian', 'graph', 'policy', 'contrastive', 'diffusion', 'quantum', 'robust', 'federated'];
  const w = (i: number, k: number) => words[(i * 7 + k * 5) % words.length];
  const entries = ['@string{icml = {International Conference on Machine Learning}}'];
  for (let i = 0; i < 6000; i++) {
    entries.push(
      `@inproceedings{entry${i},\n  title = {${w(i, 1)} ${w(i, 2)} Methods for ${w(i, 3)} Learning, Part ${i}},\n  author = {Author${i % 97}, Ann and Writer${i % 31}, Bo},\n` +
        `  booktitle = ${i % 3 === 0 ? 'icml' : '{Workshop on ' + w(i, 4) + ' Things}'},\n  year = {${2000 + (i % 25)}},\n  abstract = {We study ${w(i, 5)} and ${w(i, 6)} ${w(i, 7)} models.}\n}`,
    );
    if (i === 5500) {
      entries.push('@proceedings{parentprocs, title = {Proceedings of the Parent Meeting}, year = {2021}}');
      entries.push('@inproceedings{childpaper, crossref = {parentprocs}, title = {A Quantum Kernel Child Paper}, author = {Roe, Richard}}');
    }
  }
  return entries.join('\n\n');
}

describe('a first start of a large .bib: its papers go to the index worker while it is parsed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paperscope-first-start-'));
  const uri = vscode.Uri.parse('file:///first-start-test/large.bib');

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('sends papers before the parse ends, and then searches as the index in this thread does', async function () {
    this.timeout(120_000);
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const bundled = await loadBundledLibrary(ext.extensionUri);
    const dist = (name: string) => vscode.Uri.joinPath(ext.extensionUri, 'dist', name).fsPath;
    const worker = new WorkerFullText(startNodeIndexWorker(dist('indexWorker.js'), dist('library.json'), { dir, version: 'test' }), giveBack);
    // The worker, counting the papers it is sent while the file is parsed.
    let parsing = true;
    let sentWhileParsing = 0;
    const counting = new Proxy(worker, {
      get(target, name) {
        if (name === 'apply') {
          return (change: Parameters<FullText['apply']>[0]) => {
            sentWhileParsing += parsing ? change.upserted.length : 0;
            return target.apply(change);
          };
        }
        const value: unknown = Reflect.get(target, name, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const text = largeBib();
    const library = new Library(bundled, counting);
    const local = new Library(bundled, inProcessFullText(bundled));
    try {
      // As BibFiles reads a file at start-up: decoded in pieces, parsed in slices, read ahead.
      const result = await parseBibtexInSlices(await decodePieces(new TextEncoder().encode(text)), giveBack, {}, library.readAhead(uri));
      parsing = false;
      await library.applyBibChange({ uri, file: { uri, text: result.text, result } });
      assert.equal(await library.settleFullText(), 'indexing');
      assert.ok(sentWhileParsing >= 1000, `papers sent while the file was parsed: ${sentWhileParsing}`);

      await local.applyBibChange({ uri, file: { uri, text, result: parseBibtex(text) } });
      await local.settleFullText();
      assert.equal(library.index.size, local.index.size);
      assert.deepEqual(library.index.byKey('childpaper'), local.index.byKey('childpaper'));
      assert.equal(library.index.byKey('childpaper')?.venue, 'Proceedings of the Parent Meeting');
      assert.equal(library.index.byKey('entry3')?.venue, 'International Conference on Machine Learning');
      for (const query of ['sparse gradient', 'quantum kernel child', 'author17', 'bayesian graph year:2010', 'contrastive diffusion', 'writer3 federated']) {
        const keys = async (l: Library) => ((await l.search(query, { limit: 10 })) ?? []).map((h) => h.paper.key);
        const found = await keys(library);
        assert.ok(found.length > 0, query);
        assert.deepEqual(found, await keys(local), query);
      }
    } finally {
      await library.stop();
      local.dispose();
    }
  });
});
