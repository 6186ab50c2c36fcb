import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Paper } from '../../../src/core/library/paper';
import { abstractKeywords, PaperIndex, tokenizeForIndex, warmUpQueries } from '../../../src/core/search/searchIndex';
import { bundledIndex, bundledPapers } from '../helpers';

const keys = (hits: { paper: { key: string } }[]) => hits.map((h) => h.paper.key);

describe('search index', () => {
  const index = bundledIndex();

  it('ranks the Laborieux and Zenke paper first for "equilibrium propagation"', () => {
    const hits = index.search('equilibrium propagation');
    assert.equal(hits[0].paper.key, 'laborieux2023improving');
  });

  it('finds it while the last word is still being typed, and with a typo', () => {
    assert.equal(index.search('equilibrium prop')[0].paper.key, 'laborieux2023improving');
    assert.equal(index.search('equilibrum propagation')[0].paper.key, 'laborieux2023improving');
  });

  it('ranks title matches above abstract-only matches', () => {
    const hits = index.search('conservative');
    const firstAbstractOnly = hits.findIndex((h) => !/conservative/i.test(h.paper.title));
    const lastTitle = hits.map((h) => /conservative/i.test(h.paper.title)).lastIndexOf(true);
    assert.ok(firstAbstractOnly === -1 || lastTitle < firstAbstractOnly, keys(hits).join(' '));
  });

  it('finds papers by author, key, arXiv id and accent-free names', () => {
    assert.equal(index.search('laborieux')[0].paper.key, 'laborieux2023improving');
    assert.equal(index.search('laborieux2023')[0].paper.key, 'laborieux2023improving');
    assert.equal(index.search('2309.02214')[0].paper.key, 'laborieux2023improving');
    assert.equal(index.search('moller')[0].paper.key, 'moller2026exploring');
    assert.equal(index.search('Möller')[0].paper.key, 'moller2026exploring');
  });

  it('applies field filters with and without free text', () => {
    assert.deepEqual(keys(index.search('author:zenke')), ['laborieux2023improving']);
    assert.deepEqual(keys(index.search('author:laborieux equilibrium')), ['laborieux2023improving']);
    const inRange = index.search('year:2020-2021 gradient');
    assert.ok(inRange.length > 0);
    assert.ok(inRange.every((h) => h.paper.year! >= 2020 && h.paper.year! <= 2021));
    const iclr = index.search('venue:iclr');
    assert.ok(iclr.length >= 20);
    assert.ok(iclr.every((h) => /iclr/i.test(h.paper.venue ?? '')));
  });

  it('lists everything newest first for an empty query', () => {
    const hits = index.search('');
    assert.equal(hits.length, 119);
    const years = hits.map((h) => h.paper.year ?? 0);
    assert.deepEqual(years, [...years].sort((a, b) => b - a));
    assert.equal(hits[0].paper.year, 2026);
  });

  it('returns nothing for words no paper has', () => {
    assert.deepEqual(index.search('zzzqqqxxx'), []);
    assert.deepEqual(index.search('author:nobodyatall'), []);
  });

  it('falls back to any-word matching when no paper has every word', () => {
    const hits = index.search('equilibrium propagation zzzqqqxxx');
    assert.equal(hits[0]?.paper.key, 'laborieux2023improving');
  });

  it('honours the limit', () => {
    assert.equal(index.search('gradient', { limit: 3 }).length, 3);
  });

  it('gives five related papers, never the paper itself', () => {
    const paper = index.byKey('laborieux2023improving')!;
    const related = index.related(paper, 5);
    assert.equal(related.length, 5);
    assert.ok(!related.some((p) => p.key === paper.key));
    assert.ok(related.some((p) => /backprop/i.test(p.title)), related.map((p) => p.title).join(' | '));
  });

  it('answers the same after a serialise and load round trip', () => {
    const loaded = PaperIndex.load(JSON.parse(JSON.stringify(index.serialize())));
    for (const q of ['equilibrium propagation', 'author:zenke', 'diffus', 'venue:icml 2023 optimization']) {
      assert.deepEqual(keys(loaded.search(q)), keys(index.search(q)), q);
    }
    assert.equal(loaded.byArxiv('2309.02214v2')?.key, 'laborieux2023improving');
  });

  it('leaves a loaded library as it was: loaded again after the first load changed, it is the same', () => {
    const lib = JSON.parse(JSON.stringify(index.serialize()));
    const scores = (i: PaperIndex) => ['equilibrium propagation', 'diffusion model'].map((q) => i.search(q).map((h) => `${h.paper.key} ${h.score}`));
    const before = scores(PaperIndex.load(lib));
    const first = PaperIndex.load(lib);
    first.apply({ removed: [0, 1, 2], upserted: [{ ...bundledPapers()[5], id: 5, title: 'A much longer title than the paper had when it was first indexed' }] });
    assert.deepEqual(scores(PaperIndex.load(lib)), before);
  });

  it('refuses a library of another format', () => {
    const lib = { ...index.serialize(), format: 999 };
    assert.throws(() => PaperIndex.load(lib), /format 999/);
  });

  it('indexes exactly the papers it was given', () => {
    assert.equal(index.size, bundledPapers().length);
  });
});

describe('ranking (a small set of queries and what must come first)', () => {
  const index = bundledIndex();
  const top = (q: string, n = 1) => index.search(q, { limit: n }).map((h) => h.paper.key);

  const firsts: [string, string][] = [
    ['equilibrium propagation', 'laborieux2023improving'],
    ['trpo', 'schulman2015trust'],
    ['gae', 'schulman2015high'],
    ['generalized advantage estimation', 'schulman2015high'],
    ['score function', 'vuong2025really'],
    ['sinkhorn', 'tang2024accelerating'],
    ['gradients without backpropagation', 'baydin2022gradients'],
    ['bilevel optimization', 'shaban2018truncated'],
  ];
  for (const [q, key] of firsts) {
    it(`puts ${key} first for “${q}”`, () => {
      assert.equal(top(q)[0], key);
    });
  }

  it('finds papers by the acronyms their abstracts define and their titles’ initials', () => {
    assert.ok(top('rorl', 3).includes('yang2022rorl'));
    assert.ok(top('cdsa', 3).includes('liu2024cdsa'));
    assert.ok(top('ep', 5).includes('laborieux2023improving'), 'equilibrium propagation (EP)');
  });

  it('ranks papers about conservative offline RL above a short title that merely has the word', () => {
    const three = top('conservative', 3);
    assert.notEqual(three[0], 'jeen2023conservative');
    const offline = three.filter((k) => /offline|reinforcement/i.test(index.byKey(k)!.title));
    assert.ok(offline.length >= 1, three.join(', '));
    assert.ok(top('conservative', 6).filter((k) => /Offline Reinforcement/i.test(index.byKey(k)!.title)).length >= 3);
  });

  it('reads a hyphenated compound either way', () => {
    assert.deepEqual(new Set(top('bilevel', 3)), new Set(top('bi-level', 3)).add('shaban2018truncated'));
  });
});

describe('abstract keywords (a large library indexes these instead of whole abstracts)', () => {
  // A Greek letter is a word too short to count that stays non-ASCII once folded: the
  // text takes the general path (an accented letter would fold to ASCII and not).
  const byGeneralPath = (text: string, count: number): string => abstractKeywords(`${text} α`, count);

  it('reads ASCII text as the Unicode rule does: every ASCII character between two words', () => {
    // The ASCII path (a table) and the general one (a regular expression) must agree on
    // every character: a word glued to another by it, or cut by it, shows in the keywords.
    for (let c = 0; c < 128; c++) {
      const ch = String.fromCharCode(c);
      const text = `alpha${ch}beta alpha${ch}beta gamma`;
      assert.deepEqual(abstractKeywords(text, 5), byGeneralPath(text, 5), `character ${c}`);
    }
    assert.equal(abstractKeywords('123 4567 x2019 ab abc abc', 5), 'abc x2019');
  });

  it('counts every distinct word of a long abstract as the general path does (stop words, ties, a table that grows)', () => {
    // Words that differ late, in one letter, or only in length; stop words more frequent than any.
    const words = Array.from({ length: 3000 }, (_, i) => `w${(i * 7919).toString(36)}x${i % 3 === 0 ? 'ing' : ''}`);
    const text = [...words, ...words.slice(0, 40), ...words.slice(0, 7), 'the the the with with from', ...words.slice(100, 140)].join(' ');
    for (const count of [1, 5, 24, 60]) {
      const ascii = abstractKeywords(text, count);
      assert.equal(ascii, byGeneralPath(text, count), `${count}`);
      assert.ok(!/\b(the|with|from)\b/.test(ascii));
    }
    assert.equal(abstractKeywords('zeta alpha beta alpha zeta', 2), 'alpha zeta', 'equals by count and length: alphabetical');
  });

  it('chooses as the general path does among many words of the same count and length', () => {
    // The ASCII path compares letters only when count and length tie: random texts over a
    // small vocabulary are mostly ties, at every boundary.
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const vocabulary = Array.from({ length: 60 }, (_, i) => `${'abcdefgh'[i % 8]}${'xyz'[i % 3]}${'q'.repeat(1 + (i % 4))}${i % 5}`);
    for (let t = 0; t < 200; t++) {
      const text = Array.from({ length: 1 + random(150) }, () => vocabulary[random(vocabulary.length)]).join(random(2) ? ' ' : ', ');
      for (const count of [0, 1, 3, 24, 100]) {
        assert.equal(abstractKeywords(text, count), byGeneralPath(text, count), `text ${t}, ${count} words`);
      }
    }
  });

  it('picks the most frequent content words, the same in ASCII and with accents or Greek letters', () => {
    const text = 'Gradient-free training: gradient estimates (zeroth-order) beat gradient descent; $x+y$ = 42 and 2024. Training, training!';
    assert.deepEqual(abstractKeywords(text, 3).split(' '), ['gradient', 'training', 'estimates']);
    const accented = `${text} Café αβγ—naïve naïve`;
    assert.deepEqual(abstractKeywords(accented, 4).split(' '), ['gradient', 'training', 'naive', 'estimates']);
  });
});

describe('tokenizeForIndex (the words a field is indexed by)', () => {
  // ASCII text takes a loop over a table; other text the Unicode regular expressions.
  // Appending a non-ASCII word makes any text take the second way: both must cut alike.
  const byRegex = (text: string) => tokenizeForIndex(`${text} é`).slice(0, -1);

  it('cuts ASCII text as the Unicode rule does: blanks, punctuation and symbols cut, hyphens join two parts, tabs do not cut', () => {
    assert.deepEqual(tokenizeForIndex('Bi-Level Optimisation: a non-convex_view (2024)'), ['Bi', 'Level', 'BiLevel', 'Optimisation', 'a', 'non', 'convex', 'view', '2024']);
    assert.deepEqual(tokenizeForIndex('state-of-the-art a--b -x- \tq\tr'), ['state', 'of', 'the', 'art', 'a', 'b', 'ab', 'x', '\tq\tr']);
    for (const text of ['', ' ', '---', 'x', 'Schulman:2015:TRPO', 'arXiv:2202.08587', "O'Neil, J. and {\\\"u}ber", 'a\nb\r\nc']) {
      assert.deepEqual(tokenizeForIndex(text), byRegex(text), JSON.stringify(text));
    }
  });

  it('gives the same words both ways for 5,000 random ASCII texts', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const heavy = ' -_.,:;()[]{}\\/\'"\t\n\rab01Z';
    for (let n = 0; n < 5000; n++) {
      let text = '';
      for (let k = Math.floor(random() * 40); k > 0; k--) {
        text += random() < 0.5 ? heavy[Math.floor(random() * heavy.length)] : String.fromCharCode(Math.floor(random() * 128));
      }
      assert.deepEqual(tokenizeForIndex(text), byRegex(text), JSON.stringify(text));
    }
  });
});

describe('warm-up searches (a new worker runs them once, idle, before anyone types)', () => {
  it('types two titles of the library as a person would, from the fourth letter, and an author filter', () => {
    const papers = [
      { title: 'On the Convergence of Adam and Beyond', authors: ['Sashank J. Reddi'] },
      { title: 'Deep Residual Learning', authors: ['Kaiming He'] },
      { title: 'A b', authors: [] },
    ];
    const source = { size: papers.length, paperAt: (i: number) => papers[i] as unknown as Paper };
    assert.deepEqual(warmUpQueries(source), [
      'Deep',
      'Deep Resi',
      'Deep Resid',
      'Deep Residu',
      'Deep Residua',
      'Deep Residual',
      'author:He',
      'Conv',
      'Conve',
      'Conver',
      'Converg',
      'Converge',
      'Convergen',
      'Convergenc',
      'Convergence',
      'Convergence Adam',
      'author:Re',
    ]);
    assert.deepEqual(warmUpQueries({ size: 0, paperAt: () => papers[0] as unknown as Paper }), []);
    assert.deepEqual(warmUpQueries({ size: 1, paperAt: () => papers[2] as unknown as Paper }), [], 'no word of four letters: nothing to type');
    const hostile = { title: `${'x'.repeat(100_000)} Graph ${'y'.repeat(30)}`, authors: ['Z'] };
    assert.deepEqual(warmUpQueries({ size: 1, paperAt: () => hostile as unknown as Paper }), ['Grap', 'Graph', 'author:Z', 'Grap', 'Graph', 'author:Z'], 'words longer than people type are left out');
  });
});
