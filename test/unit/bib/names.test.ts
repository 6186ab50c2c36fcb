import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bibtexName, displayName, familyName, isWhiteSpace, namesFromField, parseName } from '../../../src/core/bib/names';
import { baseCitationKey } from '../../../src/core/cite/citationKey';

describe('BibTeX name grammar', () => {
  const cases: [string, { first: string; von: string; last: string; jr: string }][] = [
    ['Axel Laborieux', { first: 'Axel', von: '', last: 'Laborieux', jr: '' }],
    ['Laborieux, Axel', { first: 'Axel', von: '', last: 'Laborieux', jr: '' }],
    ['John von Neumann', { first: 'John', von: 'von', last: 'Neumann', jr: '' }],
    ['von Neumann, John', { first: 'John', von: 'von', last: 'Neumann', jr: '' }],
    ['von Neumann, Jr, John', { first: 'John', von: 'von', last: 'Neumann', jr: 'Jr' }],
    ['Ludwig van der Waals', { first: 'Ludwig', von: 'van der', last: 'Waals', jr: '' }],
    ['de la Fontaine, Jean', { first: 'Jean', von: 'de la', last: 'Fontaine', jr: '' }],
    ['Emmanuel de B{\\\'e}zenac', { first: 'Emmanuel', von: 'de', last: 'Bézenac', jr: '' }],
    ['{\\\'E}mile Zola', { first: 'Émile', von: '', last: 'Zola', jr: '' }],
    ['Martin Luther King Jr.', { first: 'Martin Luther', von: '', last: 'King', jr: 'Jr.' }],
    ['{Barnes and Noble, Inc.}', { first: '', von: '', last: 'Barnes and Noble, Inc.', jr: '' }],
    ['Jean-Paul Sartre', { first: 'Jean-Paul', von: '', last: 'Sartre', jr: '' }],
    ['family=Doe, given=Jane, prefix=van, useprefix=true', { first: 'Jane', von: 'van', last: 'Doe', jr: '' }],
    ['family={Doe}, given={Jane}, suffix={Jr.}', { first: 'Jane', von: '', last: 'Doe', jr: 'Jr.' }],
    ['张伟', { first: '', von: '', last: '张伟', jr: '' }],
    ['张, 伟', { first: '伟', von: '', last: '张', jr: '' }],
  ];
  for (const [raw, parts] of cases) {
    it(`reads ${JSON.stringify(raw)}`, () => {
      assert.deepEqual({ ...parseName(raw) }, parts);
    });
  }

  it('shows names in reading order and keeps Jr apart', () => {
    assert.deepEqual(namesFromField('von Neumann, Jr, John and Laborieux, Axel and others'), ['John von Neumann Jr', 'Axel Laborieux']);
    assert.equal(displayName(parseName('family=Doe, given=Jane, prefix=van')), 'Jane van Doe');
  });

  it('finds the family name of a display name with its particles', () => {
    assert.equal(familyName('John von Neumann Jr'), 'von Neumann');
    assert.equal(familyName('Martin Luther King Jr.'), 'King');
    assert.equal(familyName('Jyothir S V'), 'V');
    assert.equal(familyName('Axel Laborieux'), 'Laborieux');
  });

  it('writes names back in the form BibTeX cannot misread', () => {
    assert.equal(bibtexName('John von Neumann Jr'), 'von Neumann, Jr, John');
    assert.equal(bibtexName('Axel Laborieux'), 'Laborieux, Axel');
    assert.equal(bibtexName('Tom and Jerry'), '{Tom and Jerry}');
    assert.equal(bibtexName('Plato'), 'Plato');
    for (const name of ['John von Neumann Jr', 'Ludwig van der Waals', 'Martin Luther King Jr.', 'Emmanuel de Bézenac']) {
      assert.equal(displayName(parseName(bibtexName(name))), name, name);
    }
  });
});

describe('white space in names', () => {
  it('is what \\s is, for every code unit', () => {
    for (let c = 0; c < 0x10000; c++) {
      assert.equal(isWhiteSpace(c), /\s/.test(String.fromCharCode(c)), c.toString(16));
    }
  });

  it('splits names at every kind of it, and at ties', () => {
    assert.deepEqual(namesFromField('Ada\u00a0Lovelace\tand\u2003Charles~Babbage and\nvon\u3000Neumann, John'), ['Ada Lovelace', 'Charles Babbage', 'John von Neumann']);
  });
});

describe('keys from names', () => {
  it('uses the family name without particles or suffix', () => {
    assert.equal(baseCitationKey(['Martin Luther King Jr.'], 2020, 'Dreams'), 'king2020dreams');
    assert.equal(baseCitationKey(['John von Neumann Jr'], 1945, 'First Draft'), 'neumann1945first');
  });

  it('transliterates names without Latin letters, so keys stay ASCII', () => {
    assert.equal(baseCitationKey(['伟 张'], 2021, 'Graph learning'), 'zhang2021graph');
    assert.equal(baseCitationKey(['Дмитрий Иванов'], 2019, 'Optimal'), 'ivanov2019optimal');
    assert.equal(baseCitationKey(['Ἀριστοτέλης'], 2000, 'Ethics'), 'aristotelis2000ethics');
  });

  it('keeps digits of the title word', () => {
    assert.equal(baseCitationKey(['Jane Smith'], 2022, '3D Gaussian Splatting'), 'smith20223d');
  });
});
