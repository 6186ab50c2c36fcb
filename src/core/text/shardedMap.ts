// Maps and sets that grow to a whole library without one long pause.
import { fnvStep } from './fnv';

/**
 * How many maps a sharded one is split into. A JavaScript Map grows by copying every
 * entry into a table twice as large, in one go: 13–17 ms at 65,536 entries, 34–43 ms at
 * 131,072 and 53–72 ms at 262,144 (one insertion, timed on this machine:
 * out/tmp/maprehash.js). A 100,000-entry library's lookups by key, DOI and arXiv id (and
 * once its identity table, 300,000 keys) all grow at the same paper: single blocks of
 * 70–95 ms on the extension host (ARCHITECTURE.md, "Maps that grow in a 64th"). Split in
 * 64, the largest copy is of a few thousand entries.
 */
const SHARDS = 64;

/**
 * Which shard holds a key. A number is an id (an integer): its low bits. A string is
 * hashed from its length, its last two characters and its middle one (keys share long
 * prefixes such as `doi:10.` or a title's first words). Reading a key's characters costs
 * a lookup more than the Map's own work (the string's cached hash): three characters
 * took half the time of seven, 91 against 182 ms for 1.2 million keys, with the largest
 * of 64 shards 1.5 times the mean against 1.03 (out/tmp/shspread.ts) — still a small
 * copy when it grows.
 */
export function shardOf(key: string | number): number {
  if (typeof key === 'number') {
    return key & (SHARDS - 1);
  }
  const n = key.length;
  if (n < 2) {
    return n === 0 ? 0 : key.charCodeAt(0) & (SHARDS - 1);
  }
  const h = fnvStep(fnvStep(fnvStep(n, key.charCodeAt(n - 1)), key.charCodeAt(n - 2)), key.charCodeAt(n >> 1));
  return (h ^ (h >>> 15)) & (SHARDS - 1);
}

/**
 * A Map of many entries (a library's papers, records or identity keys) that never copies
 * more than a 64th of them at once as it grows. Iteration goes shard by shard: not in the
 * order of insertion, so only for maps whose order does not matter.
 */
export class ShardedMap<K extends string | number, V> implements Iterable<[K, V]> {
  private readonly shards: Map<K, V>[] = Array.from({ length: SHARDS }, () => new Map<K, V>());
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(key: K): V | undefined {
    return this.shards[shardOf(key)].get(key);
  }

  has(key: K): boolean {
    return this.shards[shardOf(key)].has(key);
  }

  set(key: K, value: V): this {
    const shard = this.shards[shardOf(key)];
    const before = shard.size;
    shard.set(key, value);
    this.count += shard.size - before;
    return this;
  }

  delete(key: K): boolean {
    const gone = this.shards[shardOf(key)].delete(key);
    if (gone) {
      this.count--;
    }
    return gone;
  }

  *entries(): IterableIterator<[K, V]> {
    for (const shard of this.shards) {
      yield* shard;
    }
  }

  *values(): IterableIterator<V> {
    for (const shard of this.shards) {
      yield* shard.values();
    }
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }
}

/** A Set of many ids or keys, split as `ShardedMap` is (iterated shard by shard). */
export class ShardedSet<K extends string | number> implements Iterable<K> {
  private readonly map = new ShardedMap<K, true>();

  get size(): number {
    return this.map.size;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  add(key: K): this {
    this.map.set(key, true);
    return this;
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  *[Symbol.iterator](): IterableIterator<K> {
    for (const [key] of this.map) {
      yield key;
    }
  }
}
