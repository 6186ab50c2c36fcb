import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseBibtex } from '../../../src/core/bib/parser';
import { PaperIndex } from '../../../src/core/search/searchIndex';
import { UserLibrary } from '../../../src/core/library/userLibrary';
import { namesFromField } from '../../../src/core/bib/names';
import { paperFromBibEntry } from '../../../src/core/library/userPapers';
import { bundledPapers } from '../helpers';

function fresh() {
  const index = PaperIndex.build(bundledPapers());
  return { index, user: new UserLibrary(index) };
}
const set = (user: UserLibrary, file: string, text: string) => user.setFile(file, parseBibtex(text).entries, text);

describe('user entries as papers', () => {
  it('turns LaTeX fields into text and keeps the raw entry', () => {
    const text = '@article{k, title = {{\\"U}ber {G}radients}, author = {M{\\"o}ller, Ralf and Doe, J. and others}, journal = {J. of X}, year = {2020}, abstract = {50\\% \\emph{more}}}';
    const paper = paperFromBibEntry(parseBibtex(text).entries[0], text, 'file:///w/a.bib', 7);
    assert.equal(paper.title, 'Über Gradients');
    assert.deepEqual(paper.authors, ['Ralf Möller', 'J. Doe']);
    assert.equal(paper.venue, 'J. of X');
    assert.equal(paper.abstract, '50% more');
    assert.equal(paper.source, 'user');
    assert.equal(paper.origin?.bibtex, text);
    assert.equal(paper.origin?.line, 1);
  });

  it('splits author lists at top-level "and" only', () => {
    assert.deepEqual(namesFromField('{Barnes and Noble, Inc.} and Smith, John and Jane Roe'), ['Barnes and Noble, Inc.', 'John Smith', 'Jane Roe']);
    assert.deepEqual(namesFromField('von Neumann, Jr, John'), ['John von Neumann Jr']);
    assert.deepEqual(namesFromField(''), []);
  });

  it('reads the year from date and the venue from booktitle', () => {
    const text = '@inproceedings{k, title={T}, date={2019-05-01}, booktitle={Proc. of {ICML}}}';
    const p = paperFromBibEntry(parseBibtex(text).entries[0], text, 'f', 1);
    assert.equal(p.year, 2019);
    assert.equal(p.venue, 'Proc. of ICML');
  });
});

describe('the user library in the index', () => {
  it('makes entries searchable and findable by key, then removes them with their file', async () => {
    const { index, user } = fresh();
    await set(user, 'a.bib', '@article{mine2020, title={Zorblatt Quantization of Widgets}, author={Doe, Jane}, year=2020}');
    assert.equal(index.search('zorblatt')[0]?.paper.key, 'mine2020');
    assert.equal(index.byKey('mine2020')?.source, 'user');
    assert.equal(user.size, 1);
    user.removeFile('a.bib');
    assert.deepEqual(index.search('zorblatt'), []);
    assert.equal(index.byKey('mine2020'), undefined);
    assert.equal(index.size, 119);
  });

  it('replaces only the changed file’s entries', async () => {
    const { index, user } = fresh();
    await set(user, 'a.bib', '@misc{a1, title={Alpha Widgets}}');
    await set(user, 'b.bib', '@misc{b1, title={Beta Widgets}}');
    await set(user, 'a.bib', '@misc{a2, title={Gamma Widgets}}');
    assert.equal(index.byKey('a1'), undefined);
    assert.ok(index.byKey('a2'));
    assert.ok(index.byKey('b1'));
    assert.equal(index.size, 121);
  });

  it('merges a user entry with the bundled paper it describes: the user’s key wins, the corpus fills the abstract', async () => {
    const { index, user } = fresh();
    await set(user, 'a.bib', '@misc{mine, title={Something}, eprint={2309.02214}, archivePrefix={arXiv}}');
    const merged = index.byKey('mine')!;
    assert.equal(index.size, 119, 'no second copy');
    assert.equal(index.byKey('laborieux2023improving'), merged, 'the bundled key still resolves');
    assert.match(merged.abstract, /^Equilibrium propagation \(EP\)/);
    assert.equal(index.search('equilibrium propagation')[0].paper.key, 'mine');
    user.removeFile('a.bib');
    assert.equal(index.byKey('laborieux2023improving')?.key, 'laborieux2023improving');
    assert.equal(index.byKey('mine'), undefined);
  });

  it('keeps both entries of a key defined in two files; the first answers', async () => {
    const { index, user } = fresh();
    await set(user, 'a.bib', '@misc{dup, title={First Dup}}');
    await set(user, 'b.bib', '@misc{dup, title={Second Dup}}');
    assert.equal(index.allByKey('dup').length, 2);
    assert.equal(index.byKey('dup')?.title, 'First Dup');
  });

  it('yields while indexing a long file and drops a version overtaken by a newer one', async () => {
    const { index, user } = fresh();
    const text = Array.from({ length: 1200 }, (_, i) => `@misc{k${i}, title={Entry number ${i}}}`).join('\n');
    let pauses = 0;
    await user.setFile('big.bib', parseBibtex(text).entries, text, async () => {
      pauses++;
    });
    assert.equal(pauses, 11);
    assert.equal(index.size, 119 + 1200);
  });
});

describe('parser properties (fast-check, seeded)', () => {
  const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,8}$/);
  const value = fc.stringMatching(/^[A-Za-z0-9 .,:;!?'()-]{0,30}$/);
  const entry = fc.record({ key: word, title: value, year: fc.integer({ min: 1900, max: 2100 }) });
  const broken = fc.constantFrom(
    '@article{bad1, title={unbalanced\n',
    '@article{bad2, title="unterminated\n',
    '@article{bad3 title={x}\n',
    '@@@\n',
    '@article{, title={no key}}\n',
    '@string{oops}\n',
    '}}}\n',
  );

  it('recovers every valid entry whatever broken ones are interleaved, and always returns', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(entry, fc.option(broken)), { maxLength: 25, selector: ([e]) => e.key }), (items) => {
        const valid = items;
        const text = items
          .map(([e, bad]) => `@article{${e.key},\n  title = {${e.title}},\n  year = ${e.year}\n}\n${bad ?? ''}`)
          .join('\n');
        const parsed = parseBibtex(text);
        const keys = new Set(parsed.entries.map((x) => x.key));
        for (const [e] of valid) {
          assert.ok(keys.has(e.key), `${e.key} lost in:\n${text}`);
        }
        for (const x of parsed.entries) {
          const original = items.find(([e]) => e.key === x.key)?.[0];
          assert.ok(original, `invented entry ${x.key}`);
          assert.equal(x.fields.title, original.title);
        }
      }),
      { seed: 20261128, numRuns: 300 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('@', '{', '}', '(', ')', '"', ',', '=', '#', '%', '\\', '\n', ' ', 'a', 'b', '1') , maxLength: 400 }), (text) => {
        const r = parseBibtex(text);
        assert.ok(Array.isArray(r.entries) && Array.isArray(r.errors));
      }),
      { seed: 42, numRuns: 1000 },
    );
  });
});
