// A file's change followed through the model, the host's lookups and the full text: with
// papers sent early, the full text ends up with exactly the library's papers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBibtex } from '../../../src/core/bib/parser';
import { followFile } from '../../../src/core/library/followFile';
import { LibraryModel } from '../../../src/core/library/libraryModel';
import type { Paper } from '../../../src/core/library/paper';
import type { FullText } from '../../../src/core/search/fullText';
import { PaperIndex, type LibraryChange } from '../../../src/core/search/searchIndex';
import { bundledPapers } from '../helpers';

/** A worker before `settle`: it only collects what it is sent, the newest per id. */
function collecting() {
  const held = new Map<number, Paper | undefined>();
  const applies: LibraryChange[] = [];
  const text = {
    apply: async (change: LibraryChange) => {
      applies.push(change);
      change.removed.forEach((id) => held.set(id, undefined));
      change.upserted.forEach((p) => held.set(p.id, p));
    },
  } as unknown as FullText;
  return { held, applies, text };
}

const pause = async () => undefined;

describe('following a .bib file into the full text', () => {
  const entries = [
    // A paper of the bundled corpus (merged with it), one paper under two keys, then many alone.
    '@misc{kumarGD, title = {{GD} Doesn\'t Make the Cut}, author = {Kumar, Siddharth Krishna}, eprint = {2401.08426}, archivePrefix = {arXiv}, year = {2024}}',
    '@article{twokeys1, title = {One Paper Under Two Keys}, author = {Doe, Jane}, year = {2021}, doi = {10.1000/two}}',
    '@article{twokeys2, title = {One Paper Under Two Keys}, author = {Doe, Jane}, year = {2021}, doi = {10.1000/two}}',
    ...Array.from({ length: 1200 }, (_, i) => `@misc{alone${i}, title = {A Paper Standing Alone Number ${i}}, year = {2020}}`),
  ];
  const text = entries.join('\n');

  for (const early of [true, false]) {
    it(`leaves the full text with the library's papers, ${early ? 'each sent as the model makes it' : 'sent once grouped'}`, async () => {
      const bundled = bundledPapers();
      const lookups = PaperIndex.lookupsOnly(bundled);
      const model = new LibraryModel(lookups.papers);
      const worker = collecting();
      const r = parseBibtex(text);
      await followFile({ model, lookups, fullText: (f) => f(worker.text) }, 'file:///w/a.bib', { file: 'file:///w/a.bib', text, entries: r.entries, strings: r.strings }, pause, early);
      // What the worker holds is what the library holds, id for id.
      const bundledIds = new Set(bundled.map((p) => p.id));
      for (const [id, paper] of worker.held) {
        assert.equal(paper, lookups.get(id) ?? (bundledIds.has(id) ? paper : undefined), `id ${id}`);
      }
      for (const paper of lookups.papers) {
        if (!bundledIds.has(paper.id) || paper !== bundled.find((p) => p.id === paper.id)) {
          assert.equal(worker.held.get(paper.id), paper, paper.key);
        }
      }
      assert.equal(lookups.byKey('twokeys2'), lookups.byKey('twokeys1'), 'one paper');
      assert.equal(lookups.byKey('kumarGD')?.id, bundled.find((p) => p.key === 'kumar2024gd')?.id, 'merged with the bundled paper');
      if (early) {
        assert.ok(worker.applies.length >= 4, `sent in batches while the model read the file (${worker.applies.length})`);
        const last = worker.applies.at(-1)!;
        assert.ok(last.upserted.length < 10 && last.removed.length >= 2, 'afterwards only what grouping changed');
      } else {
        assert.equal(worker.applies.length, 1);
      }
    });
  }
});
