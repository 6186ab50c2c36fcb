import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import MiniSearch from 'minisearch';
import { generateCorpus } from '../../../bench/corpus';
import type { Paper } from '../../../src/core/library/paper';
import { addAllStaged, renameDocuments } from '../../../src/core/search/bulkIndex';
import { indexOptions, PaperIndex, type SerializedLibrary } from '../../../src/core/search/searchIndex';
import { ROOT } from '../helpers';

const library = JSON.parse(readFileSync(join(ROOT, 'dist', 'library.json'), 'utf8')) as SerializedLibrary;
const bundled = library.papers;
/** A large library's papers: new ids after the bundled ones, abstracts indexed by keywords. */
const synthetic: Paper[] = generateCorpus(1500, bundled, 7).map((p, i) => ({ ...p, id: 100_000 + i, abstractIndex: 'keywords' as const }));

function oneByOne(base: readonly Paper[], added: readonly Paper[]): MiniSearch<Paper> {
  const mini = new MiniSearch<Paper>(indexOptions());
  mini.addAll([...base, ...added]);
  return mini;
}

describe('adding many papers in bulk', () => {
  it('builds the same index as addAll, posting for posting and in the same order', () => {
    const bulk = new MiniSearch<Paper>(indexOptions());
    addAllStaged(bulk, [...bundled, ...synthetic]);
    assert.equal(JSON.stringify(bulk.toJSON()), JSON.stringify(oneByOne(bundled, synthetic).toJSON()));
  });

  it('adds to an index that already holds papers: shared terms get the new postings after the old', () => {
    const bulk = new MiniSearch<Paper>(indexOptions());
    bulk.addAll(bundled);
    addAllStaged(bulk, synthetic);
    const expected = oneByOne(bundled, synthetic);
    assert.equal(JSON.stringify(bulk.toJSON()), JSON.stringify(expected.toJSON()));
    // And the index goes on as any other: one more paper, one removed.
    const extra = { ...synthetic[0], id: 999_999, key: 'extra2026' };
    for (const mini of [bulk, expected]) {
      mini.add(extra);
      mini.discard(synthetic[5].id);
    }
    assert.equal(JSON.stringify(bulk.toJSON()), JSON.stringify(expected.toJSON()));
  });

  it('leaves MiniSearch as it was when a document fails (a duplicate id)', () => {
    const mini = new MiniSearch<Paper>(indexOptions());
    assert.throws(() => addAllStaged(mini, [synthetic[0], synthetic[0]]), /duplicate ID/);
    assert.ok(!Object.prototype.hasOwnProperty.call(mini, 'addTerm'), 'the instance has no addTerm of its own left');
  });

  it('is what PaperIndex does with a large change of new papers, with the same results as paper by paper', () => {
    const bulk = PaperIndex.load(library);
    bulk.apply({ removed: [], upserted: synthetic });
    const single = PaperIndex.load(library);
    synthetic.forEach((p) => single.upsert(p));
    assert.equal(JSON.stringify(bulk.serialize()), JSON.stringify(single.serialize()));
    for (const q of ['gradient descent', 'author:zenke', 'equilibrum', synthetic[42].key]) {
      assert.deepEqual(
        bulk.search(q, { limit: 10 }).map((h) => [h.paper.id, h.score]),
        single.search(q, { limit: 10 }).map((h) => [h.paper.id, h.score]),
        q,
      );
    }
    assert.ok(bulk.search(synthetic[42].key, { limit: 10 }).some((h) => h.paper.id === synthetic[42].id));
  });

  it('renames documents, two swapping ids included, their postings unchanged', () => {
    const mini = new MiniSearch<Paper>(indexOptions());
    mini.addAll(bundled.slice(0, 20));
    const [a, b, c] = [bundled[0], bundled[1], bundled[2]];
    const before = mini.search(a.title).map((r) => r.score);
    renameDocuments(mini, new Map([[a.id, b.id], [b.id, a.id], [c.id, 777_777]]));
    assert.equal(mini.search(a.title)[0].id, b.id, 'a is found under b\'s id');
    assert.deepEqual(mini.search(a.title).map((r) => r.score), before);
    assert.equal(mini.search(b.title)[0].id, a.id);
    assert.equal(mini.search(c.title)[0].id, 777_777);
    assert.ok(mini.has(777_777) && !mini.has(c.id));
    assert.throws(() => renameDocuments(mini, new Map([[c.id, 1]])), /no document/);
  });
});
