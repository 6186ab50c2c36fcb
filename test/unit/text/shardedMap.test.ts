import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateCorpus } from '../../../bench/corpus';
import { identityOf } from '../../../src/core/library/libraryModel';
import type { SerializedLibrary } from '../../../src/core/search/searchIndex';
import { ShardedMap, ShardedSet, shardOf } from '../../../src/core/text/shardedMap';
import { ROOT } from '../helpers';

const bundled = (JSON.parse(readFileSync(join(ROOT, 'dist', 'library.json'), 'utf8')) as SerializedLibrary).papers;

/** A small deterministic generator (the same sequence every run). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

describe('ShardedMap', () => {
  it('answers as a Map does through random sets, overwrites and deletes of ids and keys', () => {
    const next = random(7);
    for (const kind of ['id', 'key'] as const) {
      const ours = new ShardedMap<string | number, number>();
      const map = new Map<string | number, number>();
      for (let step = 0; step < 20_000; step++) {
        const n = Math.floor(next() * 3_000);
        const key = kind === 'id' ? n - 100 : `doi:10.1145/${n}`;
        const op = next();
        if (op < 0.55) {
          assert.equal(ours.set(key, step), ours);
          map.set(key, step);
        } else if (op < 0.85) {
          assert.equal(ours.delete(key), map.delete(key));
        } else {
          assert.equal(ours.has(key), map.has(key));
        }
        assert.equal(ours.get(key), map.get(key));
        assert.equal(ours.size, map.size);
      }
      const entries = (m: Iterable<[string | number, number]>) => [...m].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      assert.deepEqual(entries(ours), entries(map));
      assert.deepEqual([...ours.values()].sort(), [...map.values()].sort());
    }
  });

  it('spreads a library’s identity keys and ids evenly over its shards', () => {
    // Real identity keys: arXiv ids, DOIs, citation keys with titles, titles with year and author.
    const keys = generateCorpus(20_000, bundled).flatMap((p) => identityOf(p).keys);
    for (const all of [keys, keys.map((_, i) => 1_000_000 + i)]) {
      const counts = new Array<number>(64).fill(0);
      all.forEach((k) => counts[shardOf(k)]++);
      const mean = all.length / 64;
      assert.ok(Math.max(...counts) < 2 * mean, `largest shard ${Math.max(...counts)} of a mean ${mean.toFixed(0)}`);
      assert.ok(Math.min(...counts) > 0.5 * mean, `smallest shard ${Math.min(...counts)} of a mean ${mean.toFixed(0)}`);
    }
  });

  it('places keys shorter than the characters it reads, and the empty key', () => {
    const m = new ShardedMap<string, number>();
    const short = ['', 'a', 'ab', 'abc', 'b', 'ba'];
    short.forEach((k, i) => m.set(k, i));
    assert.deepEqual(short.map((k) => m.get(k)), [0, 1, 2, 3, 4, 5]);
    assert.equal(m.size, 6);
    assert.ok(short.every((k) => shardOf(k) >= 0 && shardOf(k) < 64));
  });
});

describe('ShardedSet', () => {
  it('holds each key once and forgets deleted ones', () => {
    const s = new ShardedSet<number>();
    [5, 69, 5, 133, 7].forEach((k) => s.add(k));
    assert.equal(s.size, 4);
    assert.equal(s.delete(69), true);
    assert.equal(s.delete(69), false);
    assert.deepEqual([...s].sort((a, b) => a - b), [5, 7, 133]);
    assert.equal(s.has(133), true);
  });
});
