// A file's change followed through the model, the host's lookups and the full text: with
// papers sent early, the full text ends up with exactly the library's papers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBibtex, parseBibtexInSlices } from '../../../src/core/bib/parser';
import { dropReadAhead, followFile, ReadAhead, type Followers } from '../../../src/core/library/followFile';
import { LibraryModel } from '../../../src/core/library/libraryModel';
import type { Paper } from '../../../src/core/library/paper';
import type { FullText } from '../../../src/core/search/fullText';
import { PaperIndex, type LibraryChange } from '../../../src/core/search/searchIndex';
import { PiecedText } from '../../../src/core/text/pieces';
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

/** The worker holds what the library holds, id for id (bundled papers it was never sent are its own). */
function assertHolds(held: ReadonlyMap<number, Paper | undefined>, lookups: PaperIndex, bundled: readonly Paper[]): void {
  const bundledIds = new Set(bundled.map((p) => p.id));
  for (const [id, paper] of held) {
    assert.equal(paper, lookups.get(id) ?? (bundledIds.has(id) ? paper : undefined), `id ${id}`);
  }
  for (const paper of lookups.papers) {
    if (!bundledIds.has(paper.id) || paper !== bundled.find((p) => p.id === paper.id)) {
      assert.equal(held.get(paper.id), paper, paper.key);
    }
  }
}

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
      assertHolds(worker.held, lookups, bundled);
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

describe('a first read made into papers while it is parsed (ReadAhead)', () => {
  const FILE = 'file:///w/big.bib';
  // Past KEYWORD_ABSTRACTS_FROM (records are made once the file alone takes the library
  // there); the entries setFile must make itself come after that point: a crossref to a
  // parent in the file (inherited at the parse's end), a macro of another file, and
  // records that group with others.
  const entries = [
    '@string{jmlr = {Journal of Machine Learning Research}}',
    ...Array.from({ length: 5200 }, (_, i) => `@misc{alone${i}, title = {A Paper Standing Alone Number ${i}}, author = {Author, A. ${i}}, abstract = {Words about paper ${i}, with \\emph{more} words.}, year = {2020}}`),
    '@proceedings{procs, title = {Proceedings of the Parent Venue}, year = {2020}, publisher = {Parent Press}}',
    '@inproceedings{child, crossref = {procs}, title = {A Child Paper Inheriting Its Venue}, author = {Roe, Richard}}',
    '@article{macro, title = {Using a Macro Defined Elsewhere}, journal = elsewhere, year = {2019}}',
    '@article{withjmlr, title = {Using the File Own Macro}, journal = jmlr, year = {2019}}',
    "@misc{kumarGD, title = {{GD} Doesn't Make the Cut}, author = {Kumar, Siddharth Krishna}, eprint = {2401.08426}, archivePrefix = {arXiv}, year = {2024}}",
    '@article{twokeys1, title = {One Paper Under Two Keys}, author = {Doe, Jane}, year = {2021}, doi = {10.1000/two}}',
    '@article{twokeys2, title = {One Paper Under Two Keys}, author = {Doe, Jane}, year = {2021}, doi = {10.1000/two}}',
  ];
  const flat = entries.join('\n');
  // In pieces, as a file is decoded: entries lie across them.
  const text = () => new PiecedText(Array.from({ length: Math.ceil(flat.length / 65_536) }, (_, i) => flat.slice(i * 65_536, (i + 1) * 65_536)));

  /**
   * The file read as at start-up, after a file of `@string`s only (no entries: no ids);
   * `meanwhile` runs after its parse and before its change is followed.
   */
  async function startUp(withAhead: boolean, meanwhile?: (to: Followers) => Promise<void>) {
    const bundled = bundledPapers();
    const lookups = PaperIndex.lookupsOnly(bundled);
    const model = new LibraryModel(lookups.papers);
    const worker = collecting();
    const to: Followers = { model, lookups, fullText: (f) => f(worker.text) };
    const strings = '@string{elsewhere = {Defined Elsewhere}}';
    const s = parseBibtex(strings);
    await followFile(to, 'file:///w/strings.bib', { file: 'file:///w/strings.bib', text: strings, entries: s.entries, strings: s.strings }, pause, true);
    const ahead = withAhead ? new ReadAhead(to, FILE, pause, () => true) : undefined;
    const start = worker.applies.length;
    const r = await parseBibtexInSlices(text(), pause, {}, ahead?.read);
    const sentWhileParsing = worker.applies.length - start;
    await meanwhile?.(to);
    const before = worker.applies.length;
    await followFile(to, FILE, { file: FILE, text: r.text, entries: r.entries, strings: r.strings, byKey: r.byKey }, pause, true, ahead);
    const sentAfter = worker.applies.slice(before).reduce((n, a) => n + a.upserted.length, 0);
    return { bundled, lookups, model, worker, ahead, r, sentWhileParsing, sentAfter };
  }

  it('sends the papers while the file is parsed, and ends with the same library as without', async () => {
    const plain = await startUp(false);
    const read = await startUp(true);
    assert.equal(plain.sentWhileParsing, 0);
    assert.ok(read.sentWhileParsing >= 40, `sent in batches during the parse (${read.sentWhileParsing})`);
    assert.ok(read.sentAfter < 20, `afterwards only what the model made itself or grouped (${read.sentAfter} papers)`);
    assert.deepEqual(read.lookups.papers, plain.lookups.papers);
    assertHolds(read.worker.held, read.lookups, read.bundled);
    // The entries the model must make itself came out as it makes them.
    assert.equal(read.lookups.byKey('child')?.venue, 'Proceedings of the Parent Venue');
    assert.equal(read.lookups.byKey('withjmlr')?.venue, 'Journal of Machine Learning Research');
    assert.equal(read.lookups.byKey('macro')?.venue, 'Defined Elsewhere');
    assert.equal(read.lookups.byKey('twokeys1'), read.lookups.byKey('twokeys2'));
    assert.equal(read.lookups.byKey('alone7')?.abstractIndex, 'keywords');
  });

  it('takes nothing made ahead when another file was read meanwhile (the ids ahead are not its own), and the worker still holds the library', async () => {
    const other = 'file:///w/a.bib';
    const otherText = '@misc{o1, title = {Another File First Paper}}\n@misc{o2, title = {Another File Second Paper}}';
    const read = await startUp(true, async (to) => {
      const o = parseBibtex(otherText);
      await followFile(to, other, { file: other, text: otherText, entries: o.entries, strings: o.strings }, pause, true);
    });
    assert.ok(read.sentAfter >= 5200, `every paper made and sent again (${read.sentAfter})`);
    assertHolds(read.worker.held, read.lookups, read.bundled);
    assert.equal(read.lookups.byKey('alone0')?.title, 'A Paper Standing Alone Number 0');
    assert.equal(read.lookups.byKey('o2')?.title, 'Another File Second Paper');
  });

  it('puts right what it sent when the file is never followed (its parse was dropped)', async () => {
    const bundled = bundledPapers();
    const lookups = PaperIndex.lookupsOnly(bundled);
    const worker = collecting();
    const to: Followers = { model: new LibraryModel(lookups.papers), lookups, fullText: (f) => f(worker.text) };
    const ahead = new ReadAhead(to, FILE, pause, () => true);
    await parseBibtexInSlices(text(), pause, {}, ahead.read);
    assert.ok(worker.held.size >= 5000);
    await dropReadAhead(to, ahead, pause);
    assertHolds(worker.held, lookups, bundled);
    assert.equal([...worker.held.values()].filter((p) => p !== undefined).length, 0);
  });

  it('waits to start until it may (another change being followed), and stops when closed', async () => {
    const bundled = bundledPapers();
    const lookups = PaperIndex.lookupsOnly(bundled);
    const worker = collecting();
    const to: Followers = { model: new LibraryModel(lookups.papers), lookups, fullText: (f) => f(worker.text) };
    let may = false;
    const ahead = new ReadAhead(to, FILE, pause, () => may);
    const parsed = parseBibtex(flat);
    const all = () => new PiecedText([flat]);
    await ahead.read(parsed.entries.slice(0, 5100), all);
    assert.equal(worker.applies.length, 0, 'nothing before it may start');
    may = true;
    await ahead.read(parsed.entries.slice(0, 5100), all);
    const made = ahead.papers.sent.size;
    assert.ok(made >= 4900, `${made} made`);
    ahead.close();
    await ahead.read(parsed.entries, all);
    assert.equal(ahead.papers.sent.size, made, 'nothing made once closed');
  });
});
