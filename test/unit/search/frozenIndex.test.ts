import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { deserialize, serialize } from 'node:v8';
import fc from 'fast-check';
import MiniSearch from 'minisearch';
import type { SearchOptions } from 'minisearch';
import { generateCorpus } from '../../../bench/corpus';
import type { Paper } from '../../../src/core/library/paper';
import { FrozenIndex, freeze, thaw, type FrozenData } from '../../../src/core/search/frozenIndex';
import { rankedSearch, type DocFrequencies, type Ranked, type TermPostings } from '../../../src/core/search/ranking';
import { FrozenBuilder, indexFrozen } from '../../../src/core/search/frozenBuild';
import { buildMiniSearch, indexOptions, processedTokens, tokenizeQuery, typingSearchOptions, type SerializedLibrary } from '../../../src/core/search/searchIndex';
import { ROOT } from '../helpers';

const bundled = (JSON.parse(readFileSync(join(ROOT, 'dist', 'library.json'), 'utf8')) as SerializedLibrary).papers;

const QUERIES = [
  'gradient',
  'grad',
  'g',
  'policy optimization',
  'conservative offline reinforcement learning policy',
  'stochastic gradient descent convergence analys',
  'equilibrum propagation', // a typo: fuzzy neighbours
  'backpropagaton',
  'transformer attention',
  'schulman',
  '2017',
  'icml',
  'offline rl',
  'reinforcement lear',
  'zzzzqqq',
  'ré', // outside ASCII
];

type Radix = {
  get(term: string): TermPostings | undefined;
  atPrefix(prefix: string): Iterable<[string, TermPostings]>;
  fuzzyGet(term: string, distance: number): Map<string, [TermPostings, number]>;
};
const radixOf = (index: MiniSearch<Paper> | FrozenIndex) => (index as unknown as { _index: Radix })._index;
const optionsOf = (mini: MiniSearch<Paper>) => (mini as unknown as { _options: FrozenIndex['_options'] })._options;
/** A term's postings as [field, [doc, frequency][]] — read through what the ranking reads (get, forEach, has, size). */
const plain = (postings: TermPostings | undefined) => {
  if (!postings) {
    return undefined;
  }
  const out: [number, [number, number][]][] = [];
  for (let f = 0; f < indexOptions().fields.length; f++) {
    const docs: DocFrequencies | undefined = postings.get(f);
    if (docs) {
      const list: [number, number][] = [];
      docs.forEach((tf: number, doc: number) => list.push([doc, tf]));
      assert.equal(docs.size, list.length);
      for (const [doc] of list) {
        assert.ok(docs.has(doc) && !docs.has(doc + 0.5) && !docs.has(-1), `has(${doc})`);
      }
      out.push([f, list.sort((a, b) => a[0] - b[0])]);
    }
  }
  return out;
};
const ranked = (rs: Ranked[]) => rs.map((r) => `${r.id} ${r.score} ${r.terms.join(',')}`);

function assertSameIndex(mini: MiniSearch<Paper>, frozen: FrozenIndex, label: string): void {
  // (`mini` may be a thawed index: compared with a frozen one, the same answers either way.)
  const miniRadix = radixOf(mini);
  const frozenRadix = radixOf(frozen);
  // Every term of some documents, and prefixes and typos of them.
  const terms = [...new Set(QUERIES.flatMap((q) => tokenizeQuery(q)))];
  for (const t of ['gradient', 'policy', 'learning', 'offline', 'zenke', 'equilibrium', 'xyzzy', 'a', 'ré', 'ne']) {
    terms.push(t, t.slice(0, 3), `${t}s`, t.slice(1));
  }
  for (const t of terms) {
    assert.deepEqual(plain(frozenRadix.get(t)), plain(miniRadix.get(t)), `${label}: get(${t})`);
    assert.deepEqual(
      [...frozenRadix.atPrefix(t)].map(([term, p]) => [term, plain(p)]),
      [...miniRadix.atPrefix(t)].map(([term, p]) => [term, plain(p)]),
      `${label}: atPrefix(${t}), in MiniSearch's order`,
    );
    for (const distance of [1, 2, 3]) {
      assert.deepEqual(
        [...frozenRadix.fuzzyGet(t, distance)].map(([term, [p, d]]) => [term, d, plain(p)]),
        [...miniRadix.fuzzyGet(t, distance)].map(([term, [p, d]]) => [term, d, plain(p)]),
        `${label}: fuzzyGet(${t}, ${distance}), in MiniSearch's order`,
      );
    }
  }
  const searches: [string, SearchOptions][] = [
    ['typing, AND', typingSearchOptions('AND', 20_000)],
    ['typing, AND, small library', typingSearchOptions('AND', 100)],
    ['typing, OR', typingSearchOptions('OR', 100)],
    ['typing, exact', typingSearchOptions('AND', 20_000, false)],
    ['prefix and fuzzy everywhere', { prefix: true, fuzzy: 0.3, combineWith: 'OR' }],
    ['related papers', { boost: { title: 2, abstract: 1 }, combineWith: 'OR', fields: ['title', 'abstract'], tokenize: tokenizeQuery }],
  ];
  for (const q of QUERIES) {
    for (const [name, options] of searches) {
      assert.deepEqual(ranked(rankedSearch(frozen, q, { ...options, limit: 50 })), ranked(rankedSearch(mini, q, { ...options, limit: 50 })), `${label}: "${q}" (${name}) ranks the same, to the bit`);
    }
  }
}

describe('an index frozen into flat arrays', () => {
  const synthetic = generateCorpus(6000, bundled, 5).map((p, i) => ({ ...p, id: 1_000_000 + i, abstractIndex: 'keywords' as const }));
  for (const [label, papers] of [
    ['the bundled corpus', bundled],
    ['with 6,000 synthetic papers', [...bundled, ...synthetic]],
  ] as const) {
    it(`answers as the index it was frozen from: ${label}`, () => {
      const mini = buildMiniSearch(papers);
      // Through V8's serializer, as it is kept.
      const data = deserialize(serialize(freeze(mini))) as FrozenData;
      assertSameIndex(mini, new FrozenIndex(data, optionsOf(mini)), label);
    });
  }

  it('counts documents discarded but not yet vacuumed as MiniSearch does, and ranks them out', () => {
    const mini = buildMiniSearch([...bundled, ...synthetic.slice(0, 500)]);
    for (const p of [...bundled.slice(0, 10), ...synthetic.slice(0, 40)]) {
      mini.discard(p.id);
    }
    const frozen = new FrozenIndex(freeze(mini), optionsOf(mini));
    assert.equal(frozen.documentCount, mini.documentCount);
    assertSameIndex(mini, frozen, 'after discards');
    // Its short ids read in place from the frozen arrays, as MiniSearch's Map has them.
    const ids = (mini as unknown as { _documentIds: Map<number, number> })._documentIds;
    assert.ok(frozen._documentIds instanceof Map);
    assert.deepEqual([...frozen._documentIds], [...ids]);
    assert.deepEqual([...frozen._documentIds.keys()], [...ids.keys()]);
    assert.equal(frozen._documentIds.size, ids.size);
    for (const short of [0, 5, 12, 200, 549, 550, 10_000, -1, 1.5, NaN]) {
      assert.equal(frozen._documentIds.has(short), ids.has(short), `has(${short})`);
      assert.equal(frozen._documentIds.get(short), ids.get(short), `get(${short})`);
    }
    assert.throws(() => frozen._documentIds.set(1, 1), /read-only/);
    assert.ok(!rankedSearch(frozen, bundled[0].title).some((r) => r.id === bundled[0].id));
  });

  it('thaws back into the same MiniSearch index, which changes as the original would', () => {
    const papers = [...bundled, ...synthetic.slice(0, 800)];
    const original = buildMiniSearch(papers);
    // Some history: discarded documents not yet vacuumed, and merged tree nodes after a removal.
    for (const p of synthetic.slice(0, 30)) {
      original.discard(p.id);
    }
    original.remove(synthetic[40]);
    const thawed = thaw(deserialize(serialize(freeze(original))) as FrozenData, indexOptions());
    // A thawed tree is made as it is reached: a node's first use, whichever it is, sees it whole.
    const rootOf = (index: MiniSearch<Paper>) => (index as unknown as { _index: { _tree: Map<string, unknown> } })._index._tree;
    assert.equal(rootOf(thawed).size, rootOf(original).size);
    assert.equal(JSON.stringify(thawed.toJSON()), JSON.stringify(original.toJSON()), 'the same index, in the same order');
    assertSameIndex(thawed, new FrozenIndex(freeze(original), optionsOf(original)), 'thawed');
    // Both go on the same way.
    for (const index of [original, thawed]) {
      index.discard(synthetic[50].id);
      index.add({ ...synthetic[60], id: 5_000_000, title: 'A paper added after thawing' });
    }
    assert.equal(JSON.stringify(thawed.toJSON()), JSON.stringify(original.toJSON()), 'the same after the same changes');
  });

  it('thaws into an index that reads its postings in place until changed, and changes as the original does, whatever the changes (seeded)', async () => {
    // A thawed term's postings are read from the frozen arrays until MiniSearch first
    // changes them (ThawedPostings, ThawedDocs): every path of MiniSearch's that reads or
    // changes them — add, discard, remove, replace, vacuum, its own search's clean-up — and
    // the ranking must see what the original holds.
    const options = { ...indexOptions(), autoVacuum: false };
    const pool = synthetic.slice(0, 200);
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), k: fc.nat() }),
      fc.record({ kind: fc.constant('discard' as const), k: fc.nat() }),
      fc.record({ kind: fc.constant('remove' as const), k: fc.nat() }),
      fc.record({ kind: fc.constant('replace' as const), k: fc.nat() }),
      fc.record({ kind: fc.constant('vacuum' as const), k: fc.nat() }),
      fc.record({ kind: fc.constant('search' as const), k: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        const docs = new Map<number, Paper>([...bundled.slice(0, 60), ...pool.slice(0, 60)].map((p) => [p.id, p]));
        const original = new MiniSearch<Paper>(options);
        original.addAll([...docs.values()]);
        const thawed = thaw<Paper>(freeze(original), options);
        let nextId = 2_000_000;
        const present = () => [...docs.keys()];
        for (const { kind, k } of ops) {
          const ids = present();
          const id = ids[k % ids.length];
          if (kind === 'add') {
            const doc = { ...pool[k % pool.length], id: nextId++ };
            docs.set(doc.id, doc);
            original.add(doc);
            thawed.add(doc);
          } else if (kind === 'discard' && id !== undefined) {
            docs.delete(id);
            original.discard(id);
            thawed.discard(id);
          } else if (kind === 'remove' && id !== undefined) {
            const doc = docs.get(id)!;
            docs.delete(id);
            original.remove(doc);
            thawed.remove(doc);
          } else if (kind === 'replace' && id !== undefined) {
            const doc = { ...docs.get(id)!, title: `${pool[k % pool.length].title} revised` };
            docs.set(id, doc);
            original.replace(doc);
            thawed.replace(doc);
          } else if (kind === 'vacuum') {
            await Promise.all([original.vacuum(), thawed.vacuum()]);
          } else if (kind === 'search') {
            const q = QUERIES[k % QUERIES.length];
            assert.deepEqual(ranked(rankedSearch(thawed, q, { limit: 100 })), ranked(rankedSearch(original, q, { limit: 100 })), `"${q}" ranks the same`);
            // MiniSearch's own search drops the postings of discarded documents it meets.
            assert.deepEqual(
              thawed.search(q, { prefix: true, fuzzy: 0.2 }).map((r) => `${r.id} ${r.score}`),
              original.search(q, { prefix: true, fuzzy: 0.2 }).map((r) => `${r.id} ${r.score}`),
            );
          }
        }
        assert.equal(JSON.stringify(thawed.toJSON()), JSON.stringify(original.toJSON()), 'the same index, in the same order');
        for (const q of QUERIES) {
          assert.deepEqual(ranked(rankedSearch(thawed, q, { limit: 100 })), ranked(rankedSearch(original, q, { limit: 100 })), `"${q}" ranks the same at the end`);
        }
        assert.deepEqual(freeze(thawed), freeze(original), 'frozen again, the same');
      }),
      { seed: 20261202, numRuns: 40 },
    );
  });

  it('keeps term frequencies in the narrowest array that holds them', () => {
    const small = freeze(buildMiniSearch(bundled));
    assert.ok(small.postingFreq instanceof Uint8Array);
    const repeated = { ...bundled[0], id: 9_000_000, key: 'zebra2020', title: 'Zebra', abstract: 'zebra '.repeat(300) };
    const mini = buildMiniSearch([...bundled, repeated]);
    const wide = freeze(mini);
    assert.ok(wide.postingFreq instanceof Uint16Array);
    assert.deepEqual(ranked(rankedSearch(new FrozenIndex(wide, optionsOf(mini)), 'zebra')), ranked(rankedSearch(mini, 'zebra')));
  });

  /** The postings with the first run of two or more documents reversed. */
  const swapFirstRun = (data: FrozenData): Uint32Array => {
    const docs = data.postingDoc.slice();
    const r = data.runStart.findIndex((from, i) => i + 1 < data.runStart.length && data.runStart[i + 1] - from >= 2);
    docs.subarray(data.runStart[r], data.runStart[r + 1]).reverse();
    return docs;
  };

  /** The runs' fields with the first term's two fields (of a term in two or more) swapped. */
  const swapFirstTwoFields = (data: FrozenData): Uint8Array => {
    const fields = data.runField.slice();
    const i = data.termRuns.findIndex((first, t) => t + 1 < data.termRuns.length && data.termRuns[t + 1] - first >= 2);
    const r = data.termRuns[i];
    [fields[r], fields[r + 1]] = [fields[r + 1], fields[r]];
    return fields;
  };

  it('refuses data that is not a frozen index of this layout', () => {
    const mini = buildMiniSearch(bundled);
    const data = freeze(mini);
    const damaged: unknown[] = [
      undefined,
      { ...data, format: 0 },
      { ...data, postingDoc: data.postingDoc.slice(1) },
      { ...data, termStart: Array.from(data.termStart) },
      { ...data, termText: data.termText.slice(1) },
      { ...data, sorted: data.sorted.slice(1) },
      { ...data, fieldLength: data.fieldLength.slice(1) },
      // A term's documents out of order (has() searches them by halves), or beyond the ids.
      { ...data, postingDoc: swapFirstRun(data) },
      { ...data, postingDoc: data.postingDoc.map((d, k) => (k === data.postingDoc.length - 1 ? data.nextId : d)) },
      // Runs that do not fit together: a field beyond the index's, a term's fields out of
      // order, an empty run, runs that end before the terms do.
      { ...data, runField: data.runField.map((f, r) => (r === 0 ? data.fieldCount : f)) },
      { ...data, runField: swapFirstTwoFields(data) },
      { ...data, runStart: data.runStart.map((at, r) => (r === 1 ? data.runStart[0] : at)) },
      { ...data, termRuns: data.termRuns.slice(0, -1) },
      { ...data, termRuns: data.termRuns.map((at, i) => (i === data.termRuns.length - 1 ? at - 1 : at)) },
    ];
    for (const d of damaged) {
      assert.throws(() => new FrozenIndex(d as FrozenData, optionsOf(mini)), /not a frozen index/);
    }
  });
});

describe('a library indexed straight into the frozen layout (frozenBuild.ts)', () => {
  const synthetic = generateCorpus(3000, bundled, 9).map((p, i) => ({ ...p, id: 1_000_000 + i, abstractIndex: 'keywords' as const }));
  // Abstracts whose keywords are not all plain words (the general path), and other odd fields.
  const odd: Paper[] = [
    { ...bundled[0], id: 2_000_000, key: 'odd1', title: 'Über C++ and x^2: non-convex Bi-Level — ε-greedy', abstract: 'C++ C++ x^2 x^2 ε-greedy ε-greedy Über über naïve naïve a+b a+b', abstractIndex: 'keywords' },
    { ...bundled[1], id: 2_000_001, key: 'odd2', title: '', authors: [], abstract: '', abstractIndex: 'keywords', venue: undefined, year: undefined, arxiv: undefined },
    { ...bundled[2], id: 2_000_002, key: 'odd3', title: 'The the THE tHe', abstract: 'learning learning learning 2020 2020 of of ab ab', abstractIndex: 'keywords' },
    // Terms the sort must order: scripts far apart in one bucket (Latin, Greek, CJK, an
    // astral emoji), and more than a short range's worth sharing a long prefix, some of
    // them prefixes of others.
    {
      ...bundled[3],
      id: 2_000_003,
      key: 'odd4',
      title: 'sa sé sω s学习 s😀 s深度 sz',
      venue: Array.from({ length: 40 }, (_, i) => `transformerization${'abcdefghij'.slice(0, i % 11)}${i % 3 === 0 ? '' : String(i)}`).join(' '),
    },
  ];
  const papers = [...bundled, ...synthetic, ...odd];
  const direct = indexFrozen(papers, indexOptions(), processedTokens);
  const mini = buildMiniSearch(papers);

  /** Every term's postings by field, the field lengths and the document statistics: all but the terms' order. */
  const content = (data: FrozenData) => {
    const terms = new Map<string, string>();
    for (let i = 0; i < data.sorted.length; i++) {
      const runs: string[] = [];
      for (let f = 0; f < data.fieldCount; f++) {
        let from = 0;
        let to = 0;
        for (let r = data.termRuns[i]; r < data.termRuns[i + 1]; r++) {
          if (data.runField[r] === f) {
            [from, to] = [data.runStart[r], data.runStart[r + 1]];
          }
        }
        runs.push(`${data.postingDoc.subarray(from, to).join(',')}:${data.postingFreq.subarray(from, to).join(',')}`);
      }
      terms.set(String.fromCharCode(...data.termText.subarray(data.termStart[i], data.termStart[i + 1])), runs.join('|'));
    }
    const { fieldIds, fieldCount, documentCount, nextId, dirtCount, avgFieldLength, documentIds, fieldLength } = data;
    return { terms: [...terms].sort(), fieldIds, fieldCount, documentCount, nextId, dirtCount, avgFieldLength, documentIds: [...documentIds], fieldLength: [...fieldLength] };
  };

  it('holds what MiniSearch indexes, posting for posting, and the same field lengths and averages to the bit', () => {
    assert.deepEqual(content(direct), content(freeze(mini)));
  });

  it('keeps the terms in code-unit order, and thaws into a MiniSearch index it ranks as, to the bit', () => {
    // ε-greedy and others: terms beyond Latin-1, so two bytes a code unit (one each for the bundled terms alone).
    assert.ok(direct.termText instanceof Uint16Array);
    assert.ok(indexFrozen(bundled.filter((p) => !/[\u0100-\uffff]/.test(JSON.stringify(p))), indexOptions(), processedTokens).termText instanceof Uint8Array);
    const text = Array.from(direct.sorted, (i) => String.fromCharCode(...direct.termText.subarray(direct.termStart[i], direct.termStart[i + 1])));
    assert.deepEqual(text, [...text].sort());
    const thawed = thaw(deserialize(serialize(direct)) as FrozenData, indexOptions());
    assertSameIndex(thawed, new FrozenIndex(direct, optionsOf(thawed)), 'indexed straight into the frozen layout');
    assert.deepEqual(content(freeze(thawed)), content(direct));
  });

  it('ranks as MiniSearch indexing the same papers: the same hits, scores equal but for their last bits', () => {
    const frozen = new FrozenIndex(direct, optionsOf(mini));
    // A score that adds up several prefix or typo expansions adds them in another order.
    const rounded = (rs: Ranked[]) => rs.map((r) => `${r.id} ${r.score.toPrecision(12)} ${[...r.terms].sort().join(',')}`).sort();
    for (const q of QUERIES) {
      for (const options of [typingSearchOptions('AND', 20_000), typingSearchOptions('OR', 100), { prefix: true, fuzzy: 0.3, combineWith: 'OR' } as SearchOptions]) {
        const a = rankedSearch(frozen, q, { ...options, limit: 2000 });
        const b = rankedSearch(mini, q, { ...options, limit: 2000 });
        assert.deepEqual(rounded(a), rounded(b), q);
        // In order too, wherever two scores are told apart at that precision.
        a.forEach((r, i) => assert.ok(r.id === b[i].id || Math.abs(r.score - b[i].score) <= 1e-9 * r.score, `${q}: #${i}`));
      }
    }
  });

  it('gives each field the terms and the length the general path gives, when it knows them without it', () => {
    const options = indexOptions();
    let known = 0;
    for (const p of papers) {
      for (const field of options.fields) {
        const processed = processedTokens(p, field);
        if (processed) {
          known++;
          const tokens = options.tokenize!(String(options.extractField!(p, field)), field);
          const general = tokens.map((t) => options.processTerm!(t, field)).filter((t) => t !== null);
          assert.deepEqual(processed.terms, general, `${p.key}.${field}`);
          assert.equal(processed.distinct, new Set(tokens).size, `${p.key}.${field}: distinct tokens, stop words and case apart included`);
        }
      }
    }
    assert.ok(known >= papers.length * (options.fields.length - 1), 'ASCII fields, plain abstracts and acronyms take the short path');
    assert.equal(processedTokens(odd[0], 'abstract'), undefined, 'a keyword that is not a plain word takes the general path');
    assert.equal(processedTokens(odd[3], 'title'), undefined, 'a title beyond ASCII takes the general path');
    assert.deepEqual(processedTokens(odd[2], 'title'), { terms: [], distinct: 4 }, 'stop words dropped, counted by their case');
  });

  it('gives the same index from documents tokenized ahead, some of them then replaced or dropped, as from the final documents at once', () => {
    const builder = new FrozenBuilder<Paper>(indexOptions(), processedTokens);
    // Sent early: every synthetic paper, then a replaced version of one, one never indexed
    // (its words are its own: they must not stay as terms without postings), the odd ones.
    const gone = { ...synthetic[10], id: 3_000_000, title: 'Zyxwvutsrq qponmlkji', abstract: 'hgfedcba onlyhere' };
    const replaced = { ...synthetic[20], title: 'A retitled paper about quokkas' };
    for (const p of [...synthetic, gone, replaced, ...odd]) {
      builder.tokenize(p);
    }
    builder.forget(gone);
    const final = papers.map((p) => (p === synthetic[20] ? replaced : p));
    const ahead = builder.index(final);
    assert.deepEqual(ahead, indexFrozen(final, indexOptions(), processedTokens));
    assert.ok(!content(ahead).terms.some(([t]) => t === 'onlyhere' || t === 'zyxwvutsrq'), 'no term of a document not indexed');
    // A document dropped was the only one with a term beyond Latin-1: a byte a code unit again.
    const latin = bundled.filter((p) => !/[\u0100-\uffff]/.test(JSON.stringify(p)));
    const narrow = new FrozenBuilder<Paper>(indexOptions(), processedTokens);
    const omega = { ...gone, title: 'ωmega' };
    narrow.tokenize(omega);
    narrow.forget(omega);
    const indexed = narrow.index(latin);
    assert.ok(indexed.termText instanceof Uint8Array);
    assert.deepEqual(indexed, indexFrozen(latin, indexOptions(), processedTokens));
  });

  it('gives the same index when another builder tokenized some of the documents, in batches, some since replaced', () => {
    const here = new FrozenBuilder<Paper>(indexOptions(), processedTokens);
    const apart = new FrozenBuilder<Paper>(indexOptions(), processedTokens);
    const replaced = { ...synthetic[10], title: 'A retitled paper about wombats' };
    const sent = [...synthetic, ...odd];
    // Every other batch of seven goes to the other builder; the replaced paper's old version
    // went there (its record must be skipped), its new one is tokenized here.
    for (let b = 0; b * 7 < sent.length; b++) {
      const batch = sent.slice(b * 7, b * 7 + 7);
      if (b % 2 === 1) {
        const made = apart.tokenizeApart(batch);
        // As it crosses threads: plain data.
        here.adopt(
          batch.map((p) => (p === synthetic[10] ? undefined : p)),
          structuredClone(made),
        );
      } else {
        batch.forEach((p) => here.tokenize(p));
      }
    }
    here.tokenize(replaced);
    // Terms sent as text: one longer than a piece of it (4,096 code units), a lone
    // surrogate, an astral character.
    const long = { ...bundled[4], id: 2_000_100, key: 'long1', title: `${'q'.repeat(9000)}w \uD800lone 😀x`, abstractIndex: 'keywords' as const };
    here.adopt([long], structuredClone(apart.tokenizeApart([long])));
    const final = [...papers.map((p) => (p === synthetic[10] ? replaced : p)), long];
    assert.ok(sent.indexOf(synthetic[10]) % 14 >= 7, 'the replaced paper was tokenized apart');
    assert.deepEqual(here.index(final), indexFrozen(final, indexOptions(), processedTokens));
    // Records that are not these documents' are refused, and the documents stay to be tokenized.
    assert.throws(() => here.adopt([synthetic[0]], { terms: [], records: new Uint32Array(3) }), /read/);
    assert.deepEqual(here.index(final), indexFrozen(final, indexOptions(), processedTokens));
  });

  it('refuses documents without distinct numeric ids', () => {
    assert.throws(() => indexFrozen([bundled[0], bundled[0]], indexOptions()), /distinct numbers/);
    assert.throws(() => indexFrozen([{ ...bundled[0], id: 'x' as unknown as number }], indexOptions()), /distinct numbers/);
  });
});
