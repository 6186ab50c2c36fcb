import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { deserialize, serialize } from 'node:v8';
import { generateCorpus } from '../../../bench/corpus';
import { bytesInMemory, keepIndexInSteps, KeptReader, type KeptLibrary } from '../../../src/core/search/keptIndex';
import { finish } from '../../../src/core/search/frozenIndex';
import { filtersInSteps } from '../../../src/core/search/passing';
import { PaperIndex, type SerializedLibrary } from '../../../src/core/search/searchIndex';
import { ROOT } from '../helpers';
import { keptCodec } from '../../../src/node/folderCache';

const bundled = (JSON.parse(readFileSync(join(ROOT, 'dist', 'library.json'), 'utf8')) as SerializedLibrary).papers;

const QUERIES = [
  'equilibrium propagation',
  'gradient descent convergence',
  'grad',
  'backpropagaton', // a typo
  'author:zenke',
  'author:schulman policy',
  'year:2023 policy',
  'venue:iclr',
  'venue:iclr optimi',
  'offline reinforcement lear',
  'trpo',
  'qqqzzzxx',
];

describe('a kept library read back as it lies', () => {
  // Beyond 5,000 papers: the large-library paths (exact words first, keywords for abstracts).
  const synthetic = generateCorpus(6000, bundled, 3).map((p, i) => ({ ...p, id: 1_000_000 + i, source: 'user' as const }));
  const index = PaperIndex.build([...bundled, ...synthetic]);
  const kept = finish(keepIndexInSteps(index));
  const reader = new KeptReader(deserialize(serialize(kept.library)) as KeptLibrary, bytesInMemory(kept.tail));
  const show = (hits: { paper: { id: number; key: string }; score: number; terms: readonly string[] }[]) => hits.map((h) => `${h.paper.id} ${h.paper.key} ${h.score} ${h.terms.join(',')}`);

  it('answers every query, filters and typos included, exactly as the index it was kept from', () => {
    assert.equal(reader.size, index.size);
    for (const q of QUERIES) {
      for (const mode of [undefined, 'any'] as const) {
        assert.deepEqual(show(reader.search(q, { limit: 20, mode })), show(index.search(q, { limit: 20, mode })), `"${q}" (${mode ?? 'typing'})`);
      }
    }
    for (const p of [bundled[3], synthetic[17]]) {
      assert.deepEqual(
        reader.related(p, 5).map((r) => r.id),
        index.related(p, 5).map((r) => r.id),
      );
    }
  });

  it('reads what the filters need from its bytes a run at a time, ahead and in steps, keeping no paper it decoded for them', () => {
    let reads = 0;
    const bytes = bytesInMemory(kept.tail);
    const counted = new KeptReader(deserialize(serialize(kept.library)) as KeptLibrary, { length: bytes.length, read: (start, end) => (reads++, bytes.read(start, end)) });
    reads = 0;
    let steps = 0;
    for (const _ of filtersInSteps(counted)) {
      steps++;
    }
    assert.ok(steps >= counted.size / 250, `in steps (${steps})`);
    assert.ok(reads <= Math.ceil(counted.size / 250), `one read a run of papers, not one a paper (${reads} reads of ${counted.size} papers)`);
    assert.equal((counted as unknown as { decoded: unknown[] }).decoded.filter(Boolean).length, 1, 'none kept decoded but the one read to check the bytes');
    reads = 0;
    for (const q of ['author:zenke', 'author:s', 'venue:iclr', 'year:2019-2021', 'author:schulman policy', 'venue:neur year:2020 learning']) {
      assert.deepEqual(show(counted.search(q, { limit: 20 })), show(index.search(q, { limit: 20 })), `"${q}"`);
    }
    assert.ok(reads <= 6 * 20, `then a filter reads only the papers it shows (${reads} reads)`);
    const thawed = counted.index();
    for (const i of [0, 17, counted.size - 1]) {
      assert.equal(thawed.filterFieldsAt(i).folded, counted.filterFieldsAt(i).folded, 'thawed to be changed, it folds none again');
    }
  });

  it('survives a head damaged anywhere: refused, or every search and related-papers query answers with papers (seeded)', () => {
    const small = PaperIndex.build([...bundled, ...synthetic.slice(0, 300)]);
    const kept2 = finish(keepIndexInSteps(small));
    const head = keptCodec.encode({ library: kept2.library });
    let seed = 20261130;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    let refused = 0;
    let read = 0;
    for (let round = 0; round < 300; round++) {
      const bytes = head.slice();
      // One to three bytes changed, mostly in the arrays at the end of the head, sometimes anywhere.
      for (let k = 1 + random(3); k > 0; k--) {
        const at = random(4) === 0 ? random(bytes.length) : bytes.length - 1 - random(Math.floor(bytes.length / 2));
        bytes[at] ^= 1 + random(255);
      }
      let reader: KeptReader;
      try {
        reader = new KeptReader((keptCodec.decode(bytes) as { library: KeptLibrary }).library, bytesInMemory(kept2.tail));
      } catch {
        refused++;
        continue;
      }
      read++;
      for (const q of QUERIES) {
        for (const hit of reader.search(q, { limit: 20 })) {
          assert.equal(typeof hit.paper?.id, 'number', `round ${round}: "${q}"`);
        }
      }
      reader.related(bundled[3], 5).forEach((p) => assert.equal(typeof p?.id, 'number'));
    }
    assert.ok(refused > 0 && read > 0, `${refused} refused, ${read} read`);
  });

  it('finds each paper by its id, whether the papers were kept in id order or not, and refuses an id kept twice', () => {
    const shuffled = PaperIndex.build([...synthetic.slice(0, 300)].reverse());
    for (const source of [index, shuffled]) {
      const kept2 = finish(keepIndexInSteps(source));
      const read = new KeptReader(deserialize(serialize(kept2.library)) as KeptLibrary, bytesInMemory(kept2.tail));
      assert.equal(read.size, source.size);
      for (const p of source.papers) {
        assert.equal(read.get(p.id)?.key, p.key);
      }
      for (const missing of [-1, 0.5, 999_999, 2_000_000, NaN]) {
        assert.equal(read.get(missing), undefined);
      }
      const ids = Float64Array.from(kept2.library.papers.ids);
      ids[2] = ids[1];
      assert.throws(() => new KeptReader({ ...kept2.library, papers: { ...kept2.library.papers, ids } }, bytesInMemory(kept2.tail)));
    }
  });

  it('gives the papers as they were, and thaws into an index that changes as the original does', () => {
    assert.deepEqual(reader.get(synthetic[5].id), index.get(synthetic[5].id));
    assert.equal(reader.get(-12345), undefined);
    const thawed = reader.index();
    const edited = { ...synthetic[8], title: 'A title edited after the reload' };
    for (const i of [index, thawed]) {
      i.apply({ removed: [synthetic[9].id], upserted: [edited] });
    }
    for (const q of [...QUERIES, 'edited after the reload', synthetic[9].title]) {
      assert.deepEqual(show(thawed.search(q, { limit: 10 })), show(index.search(q, { limit: 10 })), q);
    }
  });

  it('thaws into an index that files its look-ups when first asked, as the original has them after the same changes', () => {
    const original = PaperIndex.build([...bundled, ...synthetic]);
    const thawed = reader.index();
    // A key given to a second paper, a paper renamed, one removed, one added with a DOI and an arXiv id.
    const sharing = { ...synthetic[20], key: synthetic[21].key };
    const renamed = { ...synthetic[22], key: 'renamed2026', aliases: ['alias2026'] };
    const added = { ...synthetic[23], id: 9_000_001, key: 'added2026', doi: '10.1000/Added.2026', arxiv: '2612.00001' };
    for (const i of [original, thawed]) {
      i.apply({ removed: [synthetic[24].id], upserted: [sharing, renamed, added] });
    }
    const keys = [synthetic[21].key, synthetic[22].key, 'renamed2026', 'alias2026', 'added2026', synthetic[24].key, synthetic[0].key, bundled[0].key];
    for (const key of keys) {
      assert.deepEqual(thawed.allByKey(key).map((p) => p.id), original.allByKey(key).map((p) => p.id), key);
      assert.equal(thawed.byKey(key)?.id, original.byKey(key)?.id, key);
    }
    assert.equal(thawed.byDoi('10.1000/added.2026')?.id, added.id);
    assert.equal(thawed.byArxiv('2612.00001v2')?.id, added.id);
    assert.equal(thawed.byArxiv(bundled[0].arxiv!)?.id, original.byArxiv(bundled[0].arxiv!)?.id);
    // Filed now: later changes are filed as they come.
    thawed.apply({ removed: [added.id], upserted: [] });
    assert.equal(thawed.byKey('added2026'), undefined);
    assert.equal(thawed.byDoi('10.1000/added.2026'), undefined);
  });
});
