import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentPapers } from '../../../src/core/detect/documentPapers';
import { scanDocument } from '../../../src/core/detect/detect';
import { GROUPINGS, groupPapers, topicLookup, venueSeries } from '../../../src/core/search/libraryGroups';
import { paperForMention } from '../../../src/core/search/searchIndex';
import { TitleMatcher } from '../../../src/core/detect/titleMatcher';
import { topicGroups } from '../../../src/core/search/topics';
import { bundledIndex, bundledPapers } from '../helpers';

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

  it('groups venues by series, largest first, preprints last', () => {
    assert.equal(venueSeries('ICLR 2024'), 'ICLR');
    assert.equal(venueSeries('ICML 2020 Workshop (Beyond First Order Methods in ML Systems)'), 'ICML Workshop (Beyond First Order Methods in ML Systems)');
    const groups = groupPapers(papers, 'venue');
    assert.equal(groups[0].label, 'ICML');
    assert.equal(groups[groups.length - 1].label, 'No venue (preprints)');
    assert.equal(groups.find((g) => g.label === 'ICLR')?.papers.length, 23);
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

describe('papers in a document', () => {
  const index = bundledIndex();
  const matcher = new TitleMatcher(index.papers);

  it('lists papers in order of first appearance with their occurrences, and unknown keys apart', () => {
    const text = [
      'Gradients without Backpropagation is cited as \\cite{baydin2022gradients}.',
      'Then \\cite{laborieux2023improving, nosuch2020x} and arXiv:2202.08587.',
      'Again \\cite{nosuch2020x, mykey}.',
    ].join('\n');
    const model = documentPapers(
      scanDocument(text, 'latex', { titles: matcher }),
      (m) => paperForMention(index, m),
      (k) => k === 'mykey',
    );
    assert.deepEqual(
      model.papers.map((p) => [p.paper.key, p.occurrences.length]),
      [
        ['baydin2022gradients', 3],
        ['laborieux2023improving', 1],
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
