import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bibtexEntry, bibtexEntryType, escapeBibtexValue } from '../../../src/core/bib/writer';
import { bundledIndex, makePaper } from '../helpers';

/** True when every brace not escaped with a backslash is balanced. */
/** Balanced as BibTeX and biber count braces: every brace counts, escaped or not. */
function balanced(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{') {
      depth++;
    } else if (text[i] === '}' && --depth < 0) {
      return false;
    }
  }
  return depth === 0;
}

describe('BibTeX entries', () => {
  it('writes the Laborieux paper as a conference paper with its arXiv eprint', () => {
    const entry = bibtexEntry(bundledIndex().byKey('laborieux2023improving')!);
    assert.equal(
      entry,
      [
        '@inproceedings{laborieux2023improving,',
        '  title         = {{Improving equilibrium propagation without weight symmetry through Jacobian homeostasis}},',
        '  author        = {Laborieux, Axel and Zenke, Friedemann},',
        '  booktitle     = {ICLR 2024},',
        '  year          = {2023},',
        '  eprint        = {2309.02214},',
        '  archivePrefix = {arXiv},',
        '  url           = {https://arxiv.org/abs/2309.02214}',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('chooses the entry type from the venue', () => {
    assert.equal(bibtexEntryType(undefined), 'misc');
    assert.equal(bibtexEntryType('JMLR 2022'), 'article');
    assert.equal(bibtexEntryType('TMLR 2025'), 'article');
    assert.equal(bibtexEntryType('NeurIPS 2023'), 'inproceedings');
    // Venues the table does not know, by their words.
    assert.equal(bibtexEntryType('Proceedings of the National Academy of Sciences 117(48)'), 'article');
    assert.equal(bibtexEntryType('Phys. Rev. D 97, 123501 (2018)'), 'article');
    assert.equal(bibtexEntryType('Artificial Intelligence in Software Testing @ 2022 IEEE International Conference on Software Testing, Verification and Validation Workshops (ICSTW)'), 'inproceedings');
    assert.equal(bibtexEntryType('Proc. ISSTA 2020, pages 14-26'), 'inproceedings');
  });

  it('writes preprints as @misc with a note and no venue', () => {
    const entry = bibtexEntry(bundledIndex().byKey('jeen2023conservative')!);
    assert.match(entry, /^@misc\{jeen2023conservative,/);
    assert.match(entry, /note {10}= \{arXiv preprint arXiv:2309.15178\}/);
    assert.doesNotMatch(entry, /booktitle|journal/);
  });

  it('leaves out the author field when there are no authors', () => {
    assert.doesNotMatch(bibtexEntry(bundledIndex().byKey('anon2022cyclic')!), /author/);
  });

  it('escapes characters BibTeX and LaTeX treat specially', () => {
    assert.equal(escapeBibtexValue('50% of R&D #1 a_b $x$ {y} ~ ^ \\'), '50\\% of R\\&D \\#1 a\\_b \\$x\\$ \\textbraceleft{}y\\textbraceright{} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}');
  });

  it('keeps every entry balanced, whatever the fields hold', () => {
    const nasty = makePaper({
      key: 'x2024y',
      title: 'Unbalanced { brace } } and % comment & more #',
      authors: ['Tom and Jerry', 'A {B'],
      venue: 'Conf }{ 2024',
      url: 'https://example.org/a{b}%20c d',
    });
    const entry = bibtexEntry(nasty);
    assert.ok(balanced(entry), entry);
    assert.match(entry, /author += \{\{Tom and Jerry\} and \\textbraceleft\{\}B, A\}/);
    assert.doesNotMatch(entry, /[^\\]%/);
    for (const paper of bundledIndex().papers) {
      assert.ok(balanced(bibtexEntry(paper)), paper.key);
    }
  });
});
