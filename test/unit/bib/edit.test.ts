import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bibtexEntry } from '../../../src/core/bib/writer';
import { planBibEntries } from '../../../src/core/bib/edit';
import { bibliographyRefs } from '../../../src/core/cite/bibliographyRefs';
import { parseBibtex } from '../../../src/core/bib/parser';
import { latexToText } from '../../../src/core/text/latexText';
import { bundledIndex, makePaper } from '../helpers';

const laborieux = () => bundledIndex().byKey('laborieux2023improving')!;
const apply = (text: string, plan: ReturnType<typeof planBibEntries>) =>
  plan.insertion ? text.slice(0, plan.insertion.offset) + plan.insertion.text + text.slice(plan.insertion.offset) : text;

describe('adding entries to a .bib', () => {
  it('appends after the last entry, keeping what follows', () => {
    const text = '@misc{x, title={X}}\n\n% trailing comment\n';
    const plan = planBibEntries(text, [laborieux()]);
    assert.deepEqual(plan.keys, ['laborieux2023improving']);
    const after = apply(text, plan);
    assert.ok(after.startsWith('@misc{x, title={X}}\n\n@inproceedings{laborieux2023improving,'));
    assert.ok(after.endsWith('}\n\n% trailing comment\n'));
    assert.deepEqual(parseBibtex(after).entries.map((e) => e.key), ['x', 'laborieux2023improving']);
  });

  it('writes into an empty or comment-only file', () => {
    assert.ok(apply('', planBibEntries('', [laborieux()])).startsWith('@inproceedings{laborieux2023improving,'));
    const commented = apply('% my refs\n', planBibEntries('% my refs\n', [laborieux()]));
    assert.ok(commented.startsWith('% my refs\n\n@inproceedings'));
  });

  it('adds nothing when the key is there', () => {
    const plan = planBibEntries('@misc{laborieux2023improving, title={whatever}}', [laborieux()]);
    assert.equal(plan.insertion, undefined);
    assert.deepEqual(plan.keys, ['laborieux2023improving']);
  });

  it('adds nothing when the key is there in an entry without its closing brace, and writes before a broken last entry', () => {
    // Dropping the broken entry would append a second entry under the user's key.
    const broken = '@misc{x, title={X}}\n\n@inproceedings{laborieux2023improving,\n  title={Improving},\n  address={Somewhere),\n';
    const same = planBibEntries(broken, [laborieux()]);
    assert.equal(same.insertion, undefined);
    assert.deepEqual(same.keys, ['laborieux2023improving']);
    // Another paper: BibTeX would read anything appended after the broken entry as part of it.
    const other = '@misc{x, title={X}}\n\n@misc{y,\n  title={Y},\n  note={never closed),\n';
    const after = apply(other, planBibEntries(other, [laborieux()]));
    assert.ok(after.startsWith('@misc{x, title={X}}\n\n@inproceedings{laborieux2023improving,'), after);
    assert.ok(after.endsWith('\n\n@misc{y,\n  title={Y},\n  note={never closed),\n'));
    const reread = parseBibtex(after).entries;
    assert.deepEqual(reread.map((e) => [e.key, e.incomplete ?? false]), [['x', false], ['laborieux2023improving', false], ['y', true]]);
  });

  for (const [why, entry] of [
    ['the same arXiv eprint', '@article{mine, eprint={2309.02214v2}, archivePrefix={arXiv}}'],
    ['an arXiv link', '@misc{mine, url={https://arxiv.org/abs/2309.02214}}'],
    ['an arXiv DOI', '@misc{mine, doi={10.48550/arXiv.2309.02214}}'],
    ['the same title with other case and markup', '@misc{mine, title={{I}mproving Equilibrium Propagation without Weight Symmetry through {J}acobian Homeostasis}}'],
  ]) {
    it(`uses the existing key for ${why}`, () => {
      const plan = planBibEntries(entry, [laborieux()]);
      assert.equal(plan.insertion, undefined);
      assert.deepEqual(plan.keys, ['mine']);
    });
  }

  it('matches the same DOI', () => {
    const paper = makePaper({ title: 'Other title', key: 'k2020', doi: '10.1000/ABC' });
    assert.deepEqual(planBibEntries('@misc{mine, doi={10.1000/abc}}', [paper]).keys, ['mine']);
  });

  it('adds several papers in one insertion, each once', () => {
    const other = bundledIndex().byKey('jeen2023conservative')!;
    const plan = planBibEntries('', [laborieux(), other, laborieux()]);
    assert.deepEqual(plan.keys, ['laborieux2023improving', 'jeen2023conservative', 'laborieux2023improving']);
    assert.equal(plan.added.length, 2);
  });

  it('plans against the current text, not a stale one', () => {
    const first = '@misc{a, title={A}}\n';
    const changed = '@misc{a, title={A}}\n@misc{b, title={B}}\n';
    const plan = planBibEntries(changed, [laborieux()]);
    assert.equal(plan.insertion?.offset, changed.indexOf('@misc{b') + '@misc{b, title={B}}'.length);
    assert.notEqual(plan.insertion?.offset, planBibEntries(first, [laborieux()]).insertion?.offset);
  });

  it('generates entries that re-parse to the same fields', () => {
    for (const paper of [
      ...bundledIndex().papers,
      makePaper({ key: 'odd2024x', title: 'Odd % & # _ $ { } ~ ^ \\ chars', authors: ['Ann {B}', 'C and D'], venue: 'Conf & Co' }),
    ]) {
      const { entries, errors } = parseBibtex(bibtexEntry(paper));
      assert.deepEqual(errors, [], paper.key);
      assert.equal(entries.length, 1);
      const f = entries[0].fields;
      assert.equal(entries[0].key, paper.key);
      assert.equal(latexToText(f.title), paper.title.replace(/\s+/g, ' '), paper.key);
      if (paper.year) {
        assert.equal(f.year, String(paper.year));
      }
      if (paper.arxiv) {
        assert.equal(f.eprint, paper.arxiv);
      }
    }
  });
});

describe('bibliography of a document', () => {
  it('reads \\bibliography and \\addbibresource, adding .bib', () => {
    assert.deepEqual(bibliographyRefs('\\bibliography{refs,more}', 'latex'), ['refs.bib', 'more.bib']);
    assert.deepEqual(bibliographyRefs('\\addbibresource[label=x]{lib/main.bib}', 'latex'), ['lib/main.bib']);
    assert.deepEqual(bibliographyRefs('% \\bibliography{old}\n\\bibliography{new}', 'latex'), ['new.bib']);
    assert.deepEqual(bibliographyRefs('no bibliography', 'latex'), []);
  });

  it('reads YAML front matter: a string, a flow list and a block list', () => {
    assert.deepEqual(bibliographyRefs('---\ntitle: x\nbibliography: refs.bib\n---\ntext', 'markdown'), ['refs.bib']);
    assert.deepEqual(bibliographyRefs('---\nbibliography: "my refs.bib"\n---\n', 'markdown'), ['my refs.bib']);
    assert.deepEqual(bibliographyRefs('---\nbibliography: [a.bib, "b.bib"]\n---\n', 'markdown'), ['a.bib', 'b.bib']);
    assert.deepEqual(bibliographyRefs('---\nbibliography:\n  - a.bib\n  - b.bib\ntitle: t\n---\n', 'markdown'), ['a.bib', 'b.bib']);
    assert.deepEqual(bibliographyRefs('text\n---\nbibliography: late.bib\n---\n', 'markdown'), []);
  });
});
