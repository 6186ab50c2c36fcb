import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type MiniSearch from 'minisearch';
import type { SearchOptions } from 'minisearch';
import { generateCorpus } from '../../../bench/corpus';
import type { Paper } from '../../../src/core/library/paper';
import { Ranker, rankedSearch, topK } from '../../../src/core/search/ranking';
import { buildMiniSearch, tokenizeQuery, typingSearchOptions, type SerializedLibrary } from '../../../src/core/search/searchIndex';
import { ROOT } from '../helpers';

const bundled = (JSON.parse(readFileSync(join(ROOT, 'dist', 'library.json'), 'utf8')) as SerializedLibrary).papers;

const QUERIES = [
  'gradient',
  'grad',
  'policy optimization',
  'conservative offline reinforcement learning policy',
  'stochastic gradient descent convergence analys',
  'equilibrum propagation', // a typo: fuzzy neighbours
  'transformer attention',
  'schulman',
  '2017',
  'icml',
  'the of', // stop words only
  'offline rl',
  'reinforcement lear',
  'zzzzqqq',
];

/** MiniSearch's own answer, grouped by score: exact ties may come in another order. */
function byScore(results: readonly { id: unknown; score: number }[]): [number, unknown[]][] {
  const groups = new Map<number, unknown[]>();
  for (const r of results) {
    groups.set(r.score, [...(groups.get(r.score) ?? []), r.id]);
  }
  return [...groups.entries()].map(([score, ids]) => [score, ids.map(String).sort()]);
}

function assertSameRanking(mini: MiniSearch<Paper>, query: string, options: SearchOptions, label: string): number {
  const theirs = mini.search(query, options);
  const ours = rankedSearch(mini, query, options);
  assert.deepEqual(
    ours.map((r) => r.score),
    theirs.map((r) => r.score),
    `${label}: the same scores, to the bit, in the same order`,
  );
  assert.deepEqual(byScore(ours), byScore(theirs), `${label}: the same documents at each score`);
  const termsOf = new Map(theirs.map((r) => [r.id, r.terms]));
  for (const r of ours) {
    assert.deepEqual(r.terms, termsOf.get(r.id), `${label}: the same matched terms for ${r.id}`);
  }
  return theirs.length;
}

describe('ranked search over the MiniSearch index', () => {
  for (const [label, papers] of [
    ['the bundled corpus', bundled],
    ['with 6,000 synthetic papers (abstracts as keywords)', [...bundled, ...generateCorpus(6000, bundled, 5).map((p, i) => ({ ...p, id: 1_000_000 + i, abstractIndex: 'keywords' as const }))]],
  ] as const) {
    it(`scores exactly as MiniSearch.search: ${label}, AND and OR, with and without typo tolerance`, () => {
      const mini = buildMiniSearch(papers);
      let matched = 0;
      for (const q of QUERIES) {
        for (const combineWith of ['AND', 'OR'] as const) {
          for (const fuzzy of [true, false]) {
            matched += assertSameRanking(mini, q, typingSearchOptions(combineWith, papers.length, fuzzy), `${q} ${combineWith}${fuzzy ? ' fuzzy' : ''}`);
          }
        }
      }
      // Related papers: two fields, their own boosts.
      const related = { boost: { title: 2, abstract: 1 }, combineWith: 'OR' as const, fields: ['title', 'abstract'], tokenize: tokenizeQuery };
      matched += assertSameRanking(mini, 'policy gradient methods reinforcement learning trust region', related, 'related');
      assert.ok(matched > 1000, `the queries match enough to compare (${matched})`);
    });
  }

  it('returns the best `limit` of the full ranking, and only documents that pass the filter', () => {
    const papers = [...bundled, ...generateCorpus(3000, bundled, 7).map((p, i) => ({ ...p, id: 1_000_000 + i }))];
    const mini = buildMiniSearch(papers);
    const options = typingSearchOptions('OR', papers.length);
    const all = rankedSearch(mini, 'gradient policy', options);
    assert.ok(all.length > 100);
    assert.deepEqual(rankedSearch(mini, 'gradient policy', { ...options, limit: 10 }), all.slice(0, 10));
    const even = rankedSearch(mini, 'gradient policy', { ...options, keep: (id) => id % 2 === 0, limit: 10 });
    assert.deepEqual(
      even,
      all.filter((r) => r.id % 2 === 0).slice(0, 10),
    );
  });

  it('answers each search of a Ranker as a fresh search would, though the searches share term matches', () => {
    const papers = [...bundled, ...generateCorpus(6000, bundled, 9).map((p, i) => ({ ...p, id: 1_000_000 + i, abstractIndex: 'keywords' as const }))];
    const mini = buildMiniSearch(papers);
    for (const q of ['stochastic gradient descent convergence analys', 'equilibrum propagation', 'grad', 'zzzzqqq offline']) {
      const ranker = new Ranker(mini);
      for (const [combineWith, fuzzy] of [['AND', false], ['AND', true], ['OR', true], ['AND', false]] as const) {
        const options = { ...typingSearchOptions(combineWith, papers.length, fuzzy), limit: 20 };
        assert.deepEqual(ranker.search(q, options), rankedSearch(mini, q, options), `${q} ${combineWith}${fuzzy ? ' fuzzy' : ''}`);
      }
    }
  });

  it("keeps an index's term matches between searches (Ranker.of) only while the index is as it was: every keystroke as a fresh search, through adds, replaces, discards and vacuums", async () => {
    const papers = [...bundled, ...generateCorpus(3000, bundled, 13).map((p, i) => ({ ...p, id: 1_000_000 + i, abstractIndex: 'keywords' as const }))];
    const mini = buildMiniSearch(papers);
    const kept = Ranker.of(mini);
    assert.equal(Ranker.of(mini), kept, 'one Ranker for the index');
    const typed = ['conservative offline reinforcement learning policy', 'stochastic gradient descent convergence analysis', 'policy gradient', 'gradient policy'].flatMap((q) => Array.from({ length: q.length }, (_, i) => q.slice(0, i + 1)));
    const same = (q: string, label: string) => {
      for (const [combineWith, fuzzy] of [['AND', false], ['AND', true], ['OR', true]] as const) {
        const options = { ...typingSearchOptions(combineWith, mini.documentCount, fuzzy), limit: 20 };
        assert.deepEqual(kept.search(q, options), new Ranker(mini).search(q, options), `${label}: "${q}" ${combineWith}${fuzzy ? ' fuzzy' : ''}`);
      }
    };
    let reused = 0;
    for (const [k, q] of typed.entries()) {
      same(q, 'as typed');
      if (k % 30 === 29) {
        // The index changes between two keystrokes: a term's matches worked out before must not be reused.
        const p = papers[100 + k];
        switch (Math.floor(k / 30) % 4) {
          case 0:
            mini.add({ ...p, id: 2_000_000 + k, title: `${q} conservative gradient policy` });
            break;
          case 1:
            mini.replace({ ...p, title: 'Conservative policy gradient descent, stochastic' });
            break;
          case 2:
            mini.discard(papers[200 + k].id);
            break;
          default:
            // Searched between the discard and the vacuum: the vacuum changes the terms' document counts.
            mini.discard(papers[300 + k].id);
            same(q, 'discarded, not vacuumed');
            await mini.vacuum();
        }
        same(q, 'the index changed');
        same(typed[k + 1] ?? q, 'then typed on');
        reused++;
      }
    }
    assert.ok(reused >= 4, 'each kind of change came between keystrokes');
  });

  it('reads the first 40 terms of a query: a paragraph searched is bounded in time and memory', () => {
    const papers = [...bundled, ...generateCorpus(1000, bundled, 17).map((p, i) => ({ ...p, id: 1_000_000 + i }))];
    const mini = buildMiniSearch(papers);
    const words = papers.flatMap((p) => p.abstract.split(/\s+/)).filter((w) => /^[a-z]{5,}$/.test(w));
    // Words the index keeps as they are (a stop word is no term): each one term.
    const processTerm = (mini as unknown as { _options: { processTerm: (t: string) => unknown } })._options.processTerm;
    const first40 = [...new Set(words)].filter((w) => processTerm(w) === w).slice(0, 40);
    const options = { ...typingSearchOptions('OR', papers.length), limit: 20 };
    const paragraph = [...first40, ...words.slice(0, 2000)].join(' ');
    assert.deepEqual(rankedSearch(mini, paragraph, options), rankedSearch(mini, first40.join(' '), options));
    assert.notDeepEqual(rankedSearch(mini, first40.slice(0, 39).join(' '), options), rankedSearch(mini, first40.join(' '), options), 'the fortieth counts');
  });

  it('never returns a discarded document, before or after MiniSearch vacuums its postings', async () => {
    const papers = bundled.slice(0, 60);
    const mini = buildMiniSearch(papers);
    const gone = rankedSearch(mini, 'learning', typingSearchOptions('OR', papers.length))[0].id;
    mini.discard(gone);
    const options = typingSearchOptions('OR', papers.length - 1);
    assert.ok(!rankedSearch(mini, 'learning', options).some((r) => r.id === gone));
    await mini.vacuum();
    assert.ok(!rankedSearch(mini, 'learning', options).some((r) => r.id === gone));
    assertSameRanking(mini, 'learning', options, 'after vacuum');
    // Replaced documents are found under their new content only.
    const replaced = { ...papers.find((p) => p.id !== gone)!, title: 'Quokka husbandry' };
    mini.replace(replaced);
    assert.deepEqual(
      rankedSearch(mini, 'quokka', options).map((r) => r.id),
      [replaced.id],
    );
  });
});

describe('topK', () => {
  it('keeps the best items in order, whether it sorts or selects', () => {
    const items = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    const better = (a: number, b: number) => a > b;
    const sorted = [...items].sort((a, b) => b - a);
    assert.deepEqual(topK(items, 5, better), sorted.slice(0, 5));
    assert.deepEqual(topK(items, 300, better), sorted.slice(0, 300));
    assert.deepEqual(topK(items, 5000, better), sorted);
    assert.deepEqual(topK([], 3, better), []);
  });
});
