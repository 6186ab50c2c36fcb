import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentPapers } from '../../../src/core/detect/documentPapers';
import { scanDocument } from '../../../src/core/detect/detect';
import { GROUPINGS, groupPapers, topicLookup } from '../../../src/core/search/libraryGroups';
import { venueGroup, venueSeries } from '../../../src/core/search/venues';
import { paperForMention } from '../../../src/core/search/searchIndex';
import { TitleMatcher } from '../../../src/core/detect/titleMatcher';
import { contentWords, topicGroups } from '../../../src/core/search/topics';
import { bundledIndex, bundledPapers, makePaper } from '../helpers';

describe('library groups', () => {
  const papers = bundledPapers();

  for (const grouping of GROUPINGS) {
    it(`puts every paper in exactly one group by ${grouping}, counts summing to the corpus`, () => {
      const groups = groupPapers(papers, grouping);
      const ids = groups.flatMap((g) => g.papers.map((p) => p.id));
      assert.equal(ids.length, papers.length);
      assert.equal(new Set(ids).size, papers.length);
      assert.equal(new Set(groups.map((g) => g.id)).size, groups.length, 'group ids are unique');
      assert.ok(groups.every((g) => g.papers.length > 0));
    });
  }

  it('orders years newest first and papers newest first inside groups', () => {
    const groups = groupPapers(papers, 'year');
    assert.deepEqual(groups.slice(0, 3).map((g) => g.label), ['2026', '2025', '2024']);
    const venue = groupPapers(papers, 'venue');
    for (const g of venue) {
      const years = g.papers.map((p) => p.year ?? 0);
      assert.deepEqual(years, [...years].sort((a, b) => b - a), g.label);
    }
  });

  it('groups venues by the venue, largest first, preprints and no venue last', () => {
    const groups = groupPapers(papers, 'venue');
    assert.equal(groups[0].label, 'ICML');
    assert.equal(groups[groups.length - 1].label, 'No venue');
    assert.equal(groups.find((g) => g.label === 'ICLR')?.papers.length, 23);
  });

  // A library built to break tree ids: case-variant venues, one key in two files, two
  // papers with one title, papers without year, venue or authors.
  const awkward = [
    makePaper({ id: 1, key: 'a', title: 'Same Title', venue: 'Advances in Neural Information Processing Systems', origin: { file: 'file:///w/a.bib', line: 1, bibtex: '' } }),
    makePaper({ id: 2, key: 'a', title: 'Same Title', venue: 'advances in neural information processing systems', origin: { file: 'file:///w/b.bib', line: 1, bibtex: '' } }),
    makePaper({ id: 3, key: 'b', title: 'Other', venue: 'Proc. of the Workshop on Odd Things', year: undefined, authors: [] }),
    makePaper({ id: 4, key: 'c', title: 'Other', venue: 'proc. of the workshop on odd things 2021', authors: ['de Bézenac, Emmanuel'] }),
    makePaper({ id: 5, key: 'd', title: 'Third', venue: undefined, authors: ['Emmanuel De Bézenac'] }),
    makePaper({ id: 6, key: 'e', title: 'Fourth', venue: 'arXiv preprint arXiv:2005.01643' }),
  ];
  for (const grouping of GROUPINGS) {
    it(`gives unique group ids, whatever the labels, for an awkward library by ${grouping}`, () => {
      const groups = groupPapers(awkward, grouping, () => 'Topic');
      assert.equal(new Set(groups.map((g) => g.id)).size, groups.length);
      assert.equal(groups.flatMap((g) => g.papers).length, awkward.length);
    });
  }

  it('folds case-variant venues and preprints into one group each', () => {
    const groups = groupPapers(awkward, 'venue');
    assert.deepEqual(
      groups.map((g) => [g.label, g.papers.length]),
      [
        ['NeurIPS', 2],
        ['Proc. of the Workshop on Odd Things', 2],
        ['Preprints (arXiv and others)', 1],
        ['No venue', 1],
      ],
    );
  });

  it('groups by first author alphabetically, accents folded, anonymous last', () => {
    const groups = groupPapers(papers, 'author');
    const labels = groups.map((g) => g.label);
    assert.equal(labels[labels.length - 1], 'Anonymous');
    assert.ok(labels.includes('Laborieux'));
    assert.ok(labels.indexOf('Laborieux') < labels.indexOf('Zeng'));
  });

  it('keeps a filter’s ranking inside groups', () => {
    const ranked = bundledIndex().search('conservative').map((h) => h.paper);
    const groups = groupPapers(ranked, 'year', undefined, true);
    for (const g of groups) {
      const order = g.papers.map((p) => ranked.indexOf(p));
      assert.deepEqual(order, [...order].sort((a, b) => a - b), g.label);
    }
  });

  it('names topics by words, plurals as singulars ("category", never "categorie")', () => {
    assert.deepEqual(
      contentWords('Categories of policies: processes, classes, indexes, series, species, movies, caches, gradients, bias, dynamics, focus, gas'),
      ['category', 'policy', 'process', 'class', 'index', 'series', 'species', 'movie', 'cache', 'gradient', 'bias', 'dynamics', 'focus', 'gas'],
    );
  });

  it('computes the same topics every time, each named by its terms', () => {
    const a = topicGroups(papers);
    const b = topicGroups(papers);
    assert.deepEqual(a, b);
    assert.ok(a.length >= 5 && a.length <= 12, `${a.length} topics`);
    assert.equal(a.reduce((n, t) => n + t.paperIds.length, 0), papers.length);
    for (const t of a) {
      assert.ok(t.terms.length > 0 && t.name === t.terms.join(' · '), t.name);
    }
  });

  it('finds an offline reinforcement learning topic and a physics-informed one in the bundled corpus', () => {
    const topicOf = topicLookup(papers);
    const key = (k: string) => topicOf(bundledIndex().byKey(k)!);
    assert.equal(key('chen2023conservative'), key('cen2024learning'), 'offline RL papers share a topic');
    assert.match(key('chen2023conservative'), /offline|reinforcement|policy/);
    assert.match(key('chalapathi2024scaling'), /physics|pde/);
  });
});

describe('venues', () => {
  it('strips proceedings years and ordinals, never the digits of an arXiv id', () => {
    assert.equal(venueSeries('ICLR 2024'), 'ICLR');
    assert.equal(venueSeries('ICML 2020 Workshop (Beyond First Order Methods in ML Systems)'), 'ICML Workshop (Beyond First Order Methods in ML Systems)');
    assert.equal(venueSeries('arXiv preprint arXiv:2005.01643'), 'arXiv preprint arXiv:2005.01643');
    assert.equal(venueSeries('Proceedings of the 37th Conference on Widgets'), 'Proceedings of the Conference on Widgets');
  });

  it('knows the common venues however they are written', () => {
    const cases: [string, string][] = [
      ['ICML', 'ICML'],
      ['International Conference on Machine Learning', 'ICML'],
      ['Proceedings of the 37th International Conference on Machine Learning (ICML 2020)', 'ICML'],
      ['NeurIPS 2023', 'NeurIPS'],
      ['Advances in Neural Information Processing Systems 33', 'NeurIPS'],
      ['NIPS', 'NeurIPS'],
      ['Journal of Machine Learning Research', 'JMLR'],
      ['J. Mach. Learn. Res.', 'J. Mach. Learn. Res.'],
      ['ICLR 2024', 'ICLR'],
      ['ICML 2020 Workshop (Beyond First Order Methods in ML Systems)', 'ICML Workshops'],
      ['Nature Machine Intelligence', 'Nature Machine Intelligence'],
      ['Nature', 'Nature'],
      ['arXiv preprint arXiv:1707.06347', 'Preprints (arXiv and others)'],
      ['CoRR', 'Preprints (arXiv and others)'],
    ];
    for (const [venue, label] of cases) {
      assert.equal(venueGroup(venue)?.label, label, venue);
    }
    assert.equal(venueGroup('JMLR')?.kind, 'journal');
    assert.equal(venueGroup('ICML')?.kind, 'conference');
  });
});

describe('papers in a document', () => {
  const index = bundledIndex();
  const matcher = new TitleMatcher(index.papers);

  it('lists papers in order of first appearance with their occurrences, and unknown keys apart', () => {
    const text = [
      'Gradients without Backpropagation is cited as \\cite{baydin2022gradients}.',
      'Then \\cite{laborieux2023improving, nosuch2020x} and arXiv:2202.08587.',
      'Again \\cite{nosuch2020x, mykey}.',
    ].join('\n');
    const model = documentPapers(scanDocument(text, 'latex', { titles: matcher }), (m) =>
      m.kind === 'citation' && m.key === 'mykey' ? { ...index.papers[0], key: 'mykey' } : paperForMention(index, m),
    );
    assert.deepEqual(
      model.papers.map((p) => [p.paper.key, p.occurrences.length]),
      [
        ['baydin2022gradients', 3],
        ['laborieux2023improving', 2],
      ],
    );
    assert.deepEqual(model.papers[0].occurrences.map((o) => o.kind), ['title', 'citation', 'arxiv']);
    assert.deepEqual(model.unknownKeys.map((u) => [u.key, u.occurrences.length]), [['nosuch2020x', 2]]);
  });

  it('leaves bare Pandoc @words out of the unknown keys', () => {
    const model = documentPapers(scanDocument('ping @someone about [@nosuch]', 'markdown'), () => undefined);
    assert.deepEqual(model.unknownKeys.map((u) => u.key), ['nosuch']);
  });
});
