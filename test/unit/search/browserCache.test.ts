import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { openBrowserCache, type BrowserCache } from '../../../src/web/browserCache';
import { IndexServer, type StoredEntry } from '../../../src/core/search/fullText';
import { jsonKeptCodec } from '../../../src/core/search/blobCodec';
import { sha256Parts } from '../../../src/core/text/digest';
import { generateCorpus } from '../../../bench/corpus';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SerializedLibrary } from '../../../src/core/search/searchIndex';
import { ROOT } from '../helpers';

const bundled = (): SerializedLibrary => JSON.parse(readFileSync(join(ROOT, 'dist', 'library.json'), 'utf8')) as SerializedLibrary;

const DAY = 24 * 3600 * 1000;
const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) % 251);
const whole = (entry: StoredEntry | undefined) => entry && { head: [...entry.head], tail: [...entry.tail.read(0, entry.tail.length)] };

/** A browser profile's IndexedDB, and a clock. */
function profile() {
  const factory = new IDBFactory();
  let time = Date.UTC(2026, 10, 30);
  const open = (workspace = 'w1', maxAgeMs = 90 * DAY) => openBrowserCache({ factory, keyRange: IDBKeyRange }, workspace, { maxAgeMs, now: () => time, chunkBytes: 1000 });
  /** Every chunk's key, as [workspace, write, n]. */
  const chunkKeys = () =>
    new Promise<unknown[][]>((resolve, reject) => {
      const request = factory.open('paperscope-index', 1);
      request.onsuccess = () => {
        const keys = request.result.transaction('chunks').objectStore('chunks').getAllKeys();
        keys.onsuccess = () => (resolve(keys.result as unknown[][]), request.result.close());
        keys.onerror = () => reject(keys.error);
      };
      request.onerror = () => reject(request.error);
    });
  return { factory, open, chunkKeys, later: (ms: number) => (time += ms) };
}

/** Runs a write's steps to the end, then waits until it is stored. */
async function store(cache: BrowserCache, key: string, head: Uint8Array, tail: Uint8Array): Promise<number> {
  let steps = 0;
  for (const _ of cache.write(key, head, tail) ?? []) {
    steps++;
  }
  await cache.idle();
  return steps;
}

describe('the browser build’s kept indexes (IndexedDB)', () => {
  it('keeps an entry in chunks, one written per step, and the next session reads it whole', async () => {
    const p = profile();
    const first = (await p.open())!;
    assert.equal(first.latest?.(), undefined);
    const head = bytes(2500, 1);
    const tail = bytes(4321, 2);
    // 8 + 2,500 + 4,321 bytes in chunks of 1,000: seven steps.
    assert.equal(await store(first, 'k1', head, tail), 7);
    const second = (await p.open())!;
    assert.deepEqual(whole(second.latest?.()), { head: [...head], tail: [...tail] });
    assert.deepEqual(whole(second.read('k1')), whole(second.latest?.()));
    assert.equal(second.read('k2'), undefined);
    assert.equal((await p.chunkKeys()).length, 7);
    // An entry the worker drops is let go: its bytes are not held for the session.
    second.latest?.()?.close();
    assert.equal(second.latest?.(), undefined);
    assert.equal(second.read('k1'), undefined);
  });

  it('replaces the entry only once a write is complete: a write given up midway leaves the old one, and nothing of its own', async () => {
    const p = profile();
    const cache = (await p.open())!;
    await store(cache, 'k1', bytes(1500, 1), bytes(1500, 2));
    const steps = cache.write('k2', bytes(1500, 3), bytes(1500, 4)) as Generator<void, void>;
    steps.next();
    steps.next();
    steps.return(); // a change came: the storing stops
    await cache.idle();
    const next = (await p.open())!;
    assert.deepEqual(whole(next.read('k1')), { head: [...bytes(1500, 1)], tail: [...bytes(1500, 2)] });
    assert.equal(next.read('k2'), undefined);
    assert.equal((await p.chunkKeys()).length, 4, 'the given-up write’s chunks are gone');
    // A complete write replaces it, and the old chunks go.
    await store(next, 'k2', bytes(10, 5), bytes(10, 6));
    const keys = await p.chunkKeys();
    assert.equal(keys.length, 1);
    assert.deepEqual(whole((await p.open())!.latest?.()), { head: [...bytes(10, 5)], tail: [...bytes(10, 6)] });
  });

  it('never reads an entry with a chunk missing or damaged', async () => {
    for (const damage of ['delete', 'shorten', 'replace'] as const) {
      const p = profile();
      const cache = (await p.open())!;
      await store(cache, 'k1', bytes(2500, 1), bytes(2500, 2));
      const [key] = (await p.chunkKeys()).slice(2, 3);
      await new Promise<void>((resolve, reject) => {
        const request = p.factory.open('paperscope-index', 1);
        request.onsuccess = () => {
          const tx = request.result.transaction('chunks', 'readwrite');
          const chunks = tx.objectStore('chunks');
          if (damage === 'delete') {
            chunks.delete(key as IDBValidKey);
          } else {
            chunks.put(damage === 'shorten' ? bytes(999, 0) : 'not bytes', key as IDBValidKey);
          }
          tx.oncomplete = () => (request.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      });
      const next = (await p.open())!;
      assert.equal(next.latest?.(), undefined, damage);
      assert.equal(next.read('k1'), undefined, damage);
    }
  });

  it('keeps each workspace’s entry apart, and gives back those not opened for the longest time and chunks no entry names', async () => {
    const p = profile();
    await store((await p.open('w1'))!, 'a', bytes(100, 1), bytes(100, 2));
    await store((await p.open('w2'))!, 'b', bytes(100, 3), bytes(100, 4));
    assert.deepEqual(whole((await p.open('w1'))!.latest?.())?.head, [...bytes(100, 1)]);
    assert.equal((await p.open('w1'))!.read('b'), undefined);
    // A write cut short (a tab closed): chunks and no manifest. Kept while it may still be under way.
    const w3 = (await p.open('w3'))!;
    const cut = w3.write('c', bytes(3000, 5), bytes(10, 6)) as Generator<void, void>;
    cut.next();
    cut.next();
    await w3.idle();
    // Another window opening meanwhile leaves them.
    await (await p.open('w1'))!.idle();
    assert.equal((await p.chunkKeys()).filter((k) => k[0] === 'w3').length, 2);
    p.later(2 * 3600 * 1000);
    await (await p.open('w1'))!.idle();
    assert.deepEqual((await p.chunkKeys()).filter((k) => k[0] === 'w3'), [], 'an hour on, they go');
    // w1 is opened again 80 days on, w2 is not: 100 days on, w2's entry goes, w1's stays.
    p.later(80 * DAY);
    await (await p.open('w1'))!.idle();
    p.later(20 * DAY);
    const w1 = (await p.open('w1'))!;
    await w1.idle();
    assert.ok(w1.latest?.());
    assert.equal((await p.open('w2'))!.latest?.(), undefined);
    assert.deepEqual(new Set((await p.chunkKeys()).map((k) => k[0])), new Set(['w1']));
  });

  it('is no cache where there is no IndexedDB or it cannot open', async () => {
    assert.equal(await openBrowserCache(undefined, 'w', { maxAgeMs: DAY }), undefined);
    const failing = { open: () => { throw new Error('SecurityError'); } } as unknown as IDBFactory;
    assert.equal(await openBrowserCache({ factory: failing, keyRange: IDBKeyRange }, 'w', { maxAgeMs: DAY }), undefined);
  });

  it('keeps what the browser’s index worker stores, and its next session answers from it (`settled` from the cache)', async () => {
    const p = profile();
    const lib = bundled();
    const extra = generateCorpus(300, lib.papers, 5).map((paper, i) => ({ ...paper, id: 1_000_000 + i, source: 'user' as const }));
    const start = async () => {
      const cache = (await p.open())!;
      return { cache, server: new IndexServer(lib, { store: cache, codec: jsonKeptCodec, digest: sha256Parts, salt: 'web' }) };
    };
    const ask = (server: IndexServer, query: string) => {
      const m = server.handle({ type: 'search', seq: 9, query, limit: 10 });
      return m.type === 'hits' ? m.hits.map((h) => `${h.id} ${h.score.toFixed(6)}`) : [m.type];
    };
    const first = await start();
    first.server.preload();
    first.server.handle({ type: 'apply', seq: 1, removed: [], upserted: extra });
    assert.deepEqual(first.server.handle({ type: 'settle', seq: 2, sources: 'file:///w/a.bib 1234' }), { type: 'settled', seq: 2, from: 'indexing' });
    await first.cache.idle();
    const answers = ['learning', extra[3].title, 'gradient descent'].map((q) => ask(first.server, q));
    const second = await start();
    second.server.preload();
    second.server.handle({ type: 'apply', seq: 1, removed: [], upserted: extra });
    assert.deepEqual(second.server.handle({ type: 'settle', seq: 2, sources: 'file:///w/a.bib 1234' }), { type: 'settled', seq: 2, from: 'cache' });
    assert.deepEqual(['learning', extra[3].title, 'gradient descent'].map((q) => ask(second.server, q)), answers);
  });
});
