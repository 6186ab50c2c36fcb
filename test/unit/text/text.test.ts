import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paperByline, unmatchableLabel } from '../../../src/core/display/presentation';
import { leadAuthor, shortAuthors } from '../../../src/core/bib/names';
import { excerptAround, fold, normalizeTitle, truncateAtWord } from '../../../src/core/text/text';
import { makePaper } from '../helpers';

describe('text helpers', () => {
  it('folds accents and special letters', () => {
    assert.equal(fold('Möller Soljačić Atılım Łukasz Ørsted Straße'), 'moller soljacic atilim lukasz orsted strasse');
    // Spacing accents beside their letter, as a broken PDF extraction leaves them in Zotero.
    assert.equal(fold('Ondˇrej Hubaˇcek Gie´lczyk na¨ive'), 'ondrej hubacek gielczyk naive');
  });

  it('shortens author lists to three family names, then et al.', () => {
    assert.equal(shortAuthors(['Axel Laborieux', 'Friedemann Zenke']), 'Laborieux, Zenke');
    assert.equal(shortAuthors(['A One', 'B Two', 'C Three', 'D Four']), 'One, Two, Three et al.');
    assert.equal(shortAuthors([]), 'Unknown authors');
    assert.equal(leadAuthor(['A One', 'B Two', 'C Three']), 'One et al.');
    assert.equal(leadAuthor(['A One', 'B Two']), 'One & Two');
  });

  it('writes the byline as authors · year · venue', () => {
    const p = makePaper({ title: 't', authors: ['Axel Laborieux', 'Friedemann Zenke'], year: 2023, venue: 'ICLR 2024' });
    assert.equal(paperByline(p), 'Laborieux, Zenke · 2023 · ICLR 2024');
    assert.equal(paperByline({ ...p, venue: undefined }), 'Laborieux, Zenke · 2023');
  });

  it('cuts at a word boundary with an ellipsis', () => {
    assert.equal(truncateAtWord('one two three four', 12), 'one two…');
    assert.equal(truncateAtWord('short', 12), 'short');
  });

  it('centres the excerpt on the first matched word', () => {
    const text = `${'filler words here. '.repeat(20)}The homeostatic objective works. ${'more text. '.repeat(20)}`;
    const ex = excerptAround(text, ['homeostatic'], 80);
    assert.ok(ex.startsWith('…'));
    assert.ok(ex.includes('homeostatic'));
    assert.ok(ex.length <= 83);
    assert.ok(excerptAround(text, ['absent'], 80).startsWith('filler'));
  });

  it('normalises titles for comparison', () => {
    assert.equal(normalizeTitle('{GD} Doesn’t  make-the Cut!'), normalizeTitle('gd doesn t make the cut'));
  });

  it('makes labels the QuickPick cannot match but that read the same', () => {
    const label = unmatchableLabel('Equilibrium');
    assert.ok(!label.toLowerCase().includes('eq'));
    assert.equal(label.replace(/\u200b/g, ''), 'Equilibrium');
  });
});
