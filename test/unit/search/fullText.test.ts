import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateCorpus } from '../../../bench/corpus';
import { keptSince } from '../../../bench/libraryLoad';
import { entryInMemory, frameEntry, IndexServer, InProcessFullText, WorkerFullText, type Codec, type Digest, type FromIndex, type FullText, type IndexCache, type IndexPort, type StoredEntry } from '../../../src/core/search/fullText';
import { folderCache, keptCodec, markUsed, pruneFolders, sha256, v8Codec } from '../../../src/node/folderCache';
import type { Paper } from '../../../src/core/library/paper';
import { indexOptions, PaperIndex, processedTokens, type SerializedLibrary } from '../../../src/core/search/searchIndex';
import { packPapers, type KeptLibrary } from '../../../src/core/search/keptIndex';
import { filtersInSteps } from '../../../src/core/search/passing';
import { finish } from '../../../src/core/search/frozenIndex';
import { FrozenBuilder, type Tokenized } from '../../../src/core/search/frozenBuild';
import { startNodeIndexWorker } from '../../../src/node/nodeIndexPort';
import { asBackgroundThread, BACKGROUND_NICE } from '../../../src/node/threadPriority';
import { MessageChannel, Worker } from 'node:worker_threads';
import { READY, type WebWorkerStart } from '../../../src/web/ready';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { BrowserIndexedDb } from '../../../src/web/browserCache';
import { jsonKeptCodec } from '../../../src/core/search/blobCodec';
import { sha256Parts } from '../../../src/core/text/digest';
import { ROOT } from '../helpers';

const LIBRARY = join(ROOT, 'dist', 'library.json');
const WORKER = join(ROOT, 'dist', 'indexWorker.js');
const bundled = (): SerializedLibrary => JSON.parse(readFileSync(LIBRARY, 'utf8')) as SerializedLibrary;
const pause = () => new Promise<void>((r) => setImmediate(r));

const QUERIES = [
  'equilibrium propagation',
  'reinforcement learning offline',
  'diffusion',
  'gradient descent convergence',
  'author:zenke',
  'year:2023 policy',
  'venue:iclr',
  'trpo',
  'bilevel',
  'backpropagaton', // a typo: the fuzzy pass
  'neural network training dynamics',
  'qqqzzzxx',
];

async function top10(text: FullText, papers: ReadonlyMap<number, Paper>): Promise<string[][]> {
  const out: string[][] = [];
  for (const q of QUERIES) {
    const hits = (await text.search(q, { limit: 10 })) ?? [];
    out.push(hits.map((h) => `${papers.get(h.id)?.key} ${h.score.toFixed(6)}`));
  }
  return out;
}

describe('full text in a worker thread', () => {
  it('ranks exactly as the in-process index: the bundled corpus, then with a synthetic library of 3,000 papers', async () => {
    const lib = bundled();
    const worker = new WorkerFullText(startNodeIndexWorker(WORKER, LIBRARY), pause);
    const local = new InProcessFullText(PaperIndex.load(lib), pause);
    try {
      const papers = new Map(lib.papers.map((p) => [p.id, p]));
      const before = await top10(local, papers);
      assert.deepEqual(await top10(worker, papers), before);
      assert.ok(before[0].length > 0 && before[QUERIES.length - 1].length === 0);

      const extra = generateCorpus(3000, lib.papers, 7).map((p, i) => ({ ...p, id: 1_000_000 + i, source: 'user' as const, origin: { file: 'file:///big.bib', line: i + 1, bibtex: '@misc{…}' } }));
      extra.forEach((p) => papers.set(p.id, p));
      const change = { removed: [5, 17], upserted: extra };
      await Promise.all([worker.apply(change), local.apply(change)]);
      const after = await top10(local, papers);
      assert.notDeepEqual(after, before, 'the synthetic papers change the results');
      assert.deepEqual(await top10(worker, papers), after);
      const probe = extra[42];
      assert.deepEqual(await worker.related(probe, 5), await local.related(probe, 5));
    } finally {
      worker.dispose();
    }
  });

  it('lowers a background thread\'s priority on Linux only, where a nice value is the thread\'s own, and never throws', () => {
    const calls: [number, number][] = [];
    const set = (pid: number, nice: number) => void calls.push([pid, nice]);
    assert.equal(asBackgroundThread('linux', set), true);
    assert.deepEqual(calls, [[0, BACKGROUND_NICE]]);
    for (const platform of ['darwin', 'win32', 'freebsd'] as const) {
      assert.equal(asBackgroundThread(platform, set), false, `${platform}: the call would lower the whole process`);
    }
    assert.equal(calls.length, 1);
    assert.equal(
      asBackgroundThread('linux', () => {
        throw new Error('EACCES');
      }),
      false,
    );
  });

  it('runs the index worker and a tokenizing thread below the host\'s priority, the host\'s own thread untouched (Linux)', { skip: process.platform !== 'linux' && 'a nice value is per thread on Linux only' }, async () => {
    /** This process's threads at the background priority (field 19 of /proc/<tid>/stat, counted after the command name). */
    const nice = (tid: string) => {
      try {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      } catch {
        return NaN; // (a thread that ended meanwhile)
      }
    };
    /** Threads at the background priority that were not before (earlier tests' workers may still be ending). */
    const known = new Set<string>();
    const newlyNiced = () => {
      const found = readdirSync('/proc/self/task').filter((tid) => !known.has(tid) && nice(tid) === BACKGROUND_NICE);
      found.forEach((tid) => known.add(tid));
      return found.length;
    };
    newlyNiced();
    const worker = new WorkerFullText(startNodeIndexWorker(WORKER, LIBRARY), pause);
    try {
      assert.ok(((await worker.search('diffusion', { limit: 1 })) ?? []).length > 0);
      assert.equal(newlyNiced(), 1, 'the index worker');
      const { port1, port2 } = new MessageChannel();
      const tokenizer = new Worker(join(ROOT, 'dist', 'tokenizeWorker.js'), { workerData: { records: port2 }, transferList: [port2] });
      try {
        const records = new Promise((resolve) => port1.once('message', resolve));
        tokenizer.postMessage({ batch: 0, papers: bundled().papers.slice(0, 3) });
        await records;
        assert.equal(newlyNiced(), 1, 'and the tokenizer');
      } finally {
        port1.close();
        await tokenizer.terminate();
      }
      assert.equal(nice(String(process.pid)), 0, 'the host thread');
    } finally {
      worker.dispose();
    }
  });

  it('drops a waiting search of a lane when a newer one arrives; other lanes are untouched', async () => {
    const worker = new WorkerFullText(startNodeIndexWorker(WORKER, LIBRARY), pause);
    try {
      const typed = ['e', 'eq', 'equ', 'equi', 'equilibrium'].map((q) => worker.search(q, { lane: 'picker', limit: 5 }));
      const other = worker.search('diffusion', { lane: 'tree', limit: 5 });
      const results = await Promise.all(typed);
      // The first ran at once, the middle three were superseded while waiting, the last ran.
      assert.deepEqual(
        results.map((r) => r === undefined),
        [false, true, true, true, false],
      );
      assert.ok((results[4] ?? []).length > 0);
      assert.ok(((await other) ?? []).length > 0);
    } finally {
      worker.dispose();
    }
  });

  it('fails every request plainly when the worker dies, so the library can fall back', async () => {
    let die: ((e: Error) => void) | undefined;
    const port: IndexPort = {
      postMessage: () => die?.(new Error('the index worker exited (code 1)')),
      onMessage: () => undefined,
      onError: (l) => (die = l),
      terminate: () => undefined,
    };
    const text = new WorkerFullText(port, pause);
    await assert.rejects(text.search('anything'), /exited/);
    await assert.rejects(text.related({ id: 1, title: 'x', abstract: '' }, 3), /exited/);
  });

  it('answers a malformed request with a failure, not a crash', () => {
    const server = new IndexServer(bundled());
    const answer = server.handle({ type: 'related', seq: 3, paper: null as unknown as Paper, count: 2 });
    assert.equal(answer.type, 'failed');
    assert.equal(answer.seq, 3);
  });
});

describe('the browser build’s index worker (dist/web/indexWorker.js)', () => {
  // The built script, run as a dedicated worker runs it: `self` is its scope, messages
  // are structured clones and arrive later (Node has no Web Worker to start it in).
  const startWebWorker = (kept?: { idb: BrowserIndexedDb; workspace: string }): IndexPort & { answers: () => number; ready: () => boolean } => {
    let listener: ((m: FromIndex) => void) | undefined;
    let answers = 0;
    let ready = false;
    const scope = {
      indexedDB: kept?.idb.factory,
      IDBKeyRange: kept?.idb.keyRange,
      onmessage: null as ((event: { data: unknown }) => void) | null,
      postMessage: (m: FromIndex | typeof READY) => {
        if (m.type === READY.type) {
          assert.equal(answers, 0, 'ready before any answer');
          ready = true;
          return;
        }
        answers++;
        const copy = structuredClone(m);
        setImmediate(() => listener?.(copy));
      },
    };
    new Function('self', readFileSync(join(ROOT, 'dist', 'web', 'indexWorker.js'), 'utf8'))(scope);
    const send = (data: unknown) => {
      const copy = structuredClone(data);
      setImmediate(() => scope.onmessage?.({ data: copy }));
    };
    // The bundled library's text comes first, and where indexes are kept.
    send({ bundled: readFileSync(LIBRARY, 'utf8'), kept: kept && { workspace: kept.workspace, version: '1.0.0' } } satisfies WebWorkerStart);
    return { postMessage: send, onMessage: (l) => (listener = l), onError: () => undefined, terminate: () => undefined, answers: () => answers, ready: () => ready };
  };

  it('collects the papers that come before settle and indexes them then; ranks exactly as the in-process index before, after and past settle', async () => {
    const lib = bundled();
    const port = startWebWorker();
    const worker = new WorkerFullText(port, pause);
    const local = new InProcessFullText(PaperIndex.load(lib), pause);
    const papers = new Map(lib.papers.map((p) => [p.id, p]));
    const before = await top10(local, papers);
    assert.deepEqual(await top10(worker, papers), before);
    assert.equal(port.answers(), QUERIES.length, 'the worker answered every search (the library text is no request)');
    assert.ok(port.ready(), 'it said it runs once it had the library');

    const extra = generateCorpus(1500, lib.papers, 5).map((p, i) => ({ ...p, id: 1_000_000 + i, source: 'user' as const }));
    extra.forEach((p) => papers.set(p.id, p));
    await Promise.all([worker.apply({ removed: [], upserted: extra }), local.apply({ removed: [], upserted: extra })]);
    const probe = extra[12];
    const asked = async (text: FullText) => ((await text.search(probe.title, { limit: 3 })) ?? []).map((h) => h.id);
    assert.ok(!(await asked(worker)).includes(probe.id), 'collected, not yet indexed');
    assert.equal(await worker.settle(), 'indexing');
    assert.deepEqual(await top10(worker, papers), await top10(local, papers));
    assert.equal((await asked(worker))[0], probe.id);

    // A change after settle: the frozen index is thawed and patched.
    const edited = { ...extra[40], title: 'Quokka locomotion under symmetric weights' };
    papers.set(edited.id, edited);
    await Promise.all([worker.apply({ removed: [extra[41].id], upserted: [edited] }), local.apply({ removed: [extra[41].id], upserted: [edited] })]);
    papers.delete(extra[41].id);
    assert.deepEqual(await top10(worker, papers), await top10(local, papers));
    assert.deepEqual(((await worker.search('quokka locomotion', { limit: 2 })) ?? []).map((h) => h.id), [edited.id]);
    assert.deepEqual(await worker.related(probe, 5), await local.related(probe, 5));
  });

  it('keeps the index of a workspace’s papers in IndexedDB; the next session answers from it, even before settle', async () => {
    const lib = bundled();
    const idb = { factory: new IDBFactory(), keyRange: IDBKeyRange };
    const extra = generateCorpus(800, lib.papers, 9).map((p, i) => ({ ...p, id: 1_000_000 + i, source: 'user' as const }));
    const papers = new Map([...lib.papers, ...extra].map((p) => [p.id, p]));
    const sources = 'file:///w/library.bib 0123abcd';
    const first = new WorkerFullText(startWebWorker({ idb, workspace: 'w1' }), pause);
    await first.apply({ removed: [], upserted: extra });
    assert.equal(await first.settle(sources), 'indexing');
    const answers = await top10(first, papers);
    await first.stop(); // (once it has stored the index: `flush`)
    for (let tries = 0; ; tries++) {
      // Stored once every chunk is in (IndexedDB answers later).
      const second = new WorkerFullText(startWebWorker({ idb, workspace: 'w1' }), pause);
      if (!(await second.expect(sources)) && tries < 50) {
        await second.stop();
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      assert.deepEqual(await top10(second, papers), answers, 'answers from the kept index before the papers come');
      await second.apply({ removed: [], upserted: extra });
      assert.equal(await second.settle(sources), 'cache');
      assert.deepEqual(await top10(second, papers), answers);
      await second.stop();
      break;
    }
    // Another workspace keeps its own.
    const other = new WorkerFullText(startWebWorker({ idb, workspace: 'w2' }), pause);
    assert.equal(await other.expect(sources), false);
    await other.stop();
  });
});

describe('the index kept between sessions', () => {
  const lib = bundled();
  const extra = generateCorpus(400, lib.papers, 11).map((p, i) => ({ ...p, id: 1_000_000 + i, source: 'user' as const }));
  // Entries as the folder holds them (header, head, tail), in memory.
  const memory = (): IndexCache & { entries: Map<string, Uint8Array>; last: () => StoredEntry | undefined } => {
    const entries = new Map<string, Uint8Array>();
    const open = (bytes: Uint8Array | undefined) => (bytes ? entryInMemory(bytes) : undefined);
    return {
      entries,
      read: (k) => open(entries.get(k)),
      write: (k, head, tail) => {
        entries.clear();
        entries.set(k, frameEntry(head, tail));
      },
      last: () => open([...entries.values()].at(-1)),
    };
  };
  const startWith = (store: IndexCache, codec: Codec = keptCodec, digest: Digest = sha256) => new IndexServer(lib, { store, codec, digest, salt: 'test' });
  const ask = (server: IndexServer, query: string) => {
    const m = server.handle({ type: 'search', seq: 9, query, limit: 10 });
    return m.type === 'hits' ? m.hits.map((h) => `${h.id} ${h.score.toFixed(6)}`) : [m.type];
  };
  const probe = extra[7].title;

  for (const [where, codec, digest] of [
    ['the Node worker', keptCodec, sha256],
    ['the browser’s worker', jsonKeptCodec, sha256Parts],
  ] as const) {
  it(`collects start-up changes, indexes them at settle and keeps that index; the next start loads it (${where})`, () => {
    const store = memory();
    const start = (s: IndexCache) => startWith(s, codec, digest);
    const first = start(store);
    first.handle({ type: 'apply', seq: 1, removed: [3], upserted: extra });
    assert.deepEqual(ask(first, probe).filter((h) => h.startsWith('1000007 ')), [], 'not indexed before settle');
    assert.deepEqual(first.handle({ type: 'settle', seq: 2 }), { type: 'settled', seq: 2, from: 'indexing' });
    const answers = QUERIES.map((q) => ask(first, q));
    assert.ok(ask(first, probe)[0]?.startsWith('1000007 '));
    assert.equal(store.entries.size, 1);

    const second = start(store);
    second.handle({ type: 'apply', seq: 1, removed: [3], upserted: [...extra].reverse() });
    assert.deepEqual(second.handle({ type: 'settle', seq: 2 }), { type: 'settled', seq: 2, from: 'cache' });
    assert.deepEqual(QUERIES.map((q) => ask(second, q)), answers, 'the kept index answers exactly as the one it was made from');
    // After start-up, changes are indexed at once.
    second.handle({ type: 'apply', seq: 3, removed: [1_000_007], upserted: [] });
    assert.ok(!ask(second, probe).some((h) => h.startsWith('1000007 ')));
  });
  }
  const start = (store: IndexCache) => startWith(store);

  it('never trusts a stale or corrupt entry: another set of papers, or damaged data, is indexed again', () => {
    const store = memory();
    const first = start(store);
    first.handle({ type: 'apply', seq: 1, removed: [], upserted: extra });
    first.handle({ type: 'settle', seq: 2 });
    const edited = extra.map((p, i) => (i === 5 ? { ...p, title: 'A title edited since the last start' } : p));
    const second = start(store);
    second.handle({ type: 'apply', seq: 1, removed: [], upserted: edited });
    assert.deepEqual(second.handle({ type: 'settle', seq: 2 }), { type: 'settled', seq: 2, from: 'indexing' });
    assert.ok(ask(second, 'title edited since')[0]?.startsWith('1000005 '));
    // Damage the entry now kept: the next start rebuilds and overwrites it.
    const [key, data] = [...store.entries][0];
    store.entries.set(key, data.slice(0, data.length / 2));
    const third = start(store);
    third.handle({ type: 'apply', seq: 1, removed: [], upserted: edited });
    assert.deepEqual(third.handle({ type: 'settle', seq: 2 }), { type: 'settled', seq: 2, from: 'indexing' });
    assert.ok(ask(third, 'title edited since')[0]?.startsWith('1000005 '));
    const fourth = start(store);
    fourth.handle({ type: 'apply', seq: 1, removed: [], upserted: edited });
    assert.equal((fourth.handle({ type: 'settle', seq: 2 }) as { from: string }).from, 'cache');
    // Bytes that read, under the right key, but are no kept index of this version: an
    // entry of the JSON era, a state of other fields, papers its index does not hold.
    const stored = entryInMemory(store.entries.get(key)!)!;
    const kept = keptCodec.decode(stored.head) as { key: string; library: KeptLibrary };
    const tail = stored.tail.read(0, stored.tail.length);
    const { offsets } = kept.library.papers;
    const papers = Array.from(kept.library.papers.ids, (_, i) => JSON.parse(new TextDecoder().decode(tail.subarray(offsets[i], offsets[i + 1]))) as Paper);
    const fewer = packPapers(papers.slice(1));
    const unlike = [
      new TextEncoder().encode(JSON.stringify({ key, library: lib })), // the JSON era
      v8Codec.encode({ key, library: lib }), // the Maps era: no header
      frameEntry(v8Codec.encode({ key, library: kept.library }), tail), // this index, its head written by V8's serializer alone
      frameEntry(keptCodec.encode({ key, library: { ...kept.library, frozen: { ...kept.library.frozen, fieldIds: { title: 0 } } } }), tail),
      frameEntry(keptCodec.encode({ key, library: { ...kept.library, papers: fewer.table } }), fewer.bytes),
      frameEntry(keptCodec.encode({ key, library: kept.library }), tail.slice(1)),
      frameEntry(keptCodec.encode({ key, library: kept.library }), tail.map((b) => (b === 0x7b ? 0x5b : b))),
      frameEntry(keptCodec.encode({ key, library: { ...kept.library, frozen: { ...kept.library.frozen, termText: new Uint8Array() } } }), tail),
      frameEntry(keptCodec.encode({ key, library: { format: 2, papers, state: {} } }), new Uint8Array()),
      frameEntry(keptCodec.encode({ key, library: kept.library }).slice(0, -8), tail), // its last array cut short
    ];
    for (const bytes of unlike) {
      store.entries.set(key, bytes);
      const again = start(store);
      again.handle({ type: 'apply', seq: 1, removed: [], upserted: edited });
      assert.equal((again.handle({ type: 'settle', seq: 2 }) as { from: string }).from, 'indexing');
      assert.ok(ask(again, 'title edited since')[0]?.startsWith('1000005 '));
    }
  });

  it('loads the latest entry while the host reads the libraries, and uses it only if it is the papers\' own', () => {
    const reads: string[] = [];
    const store = memory();
    const counted: IndexCache = { read: (k) => (reads.push(k), store.read(k)), write: (k, h, t) => store.write(k, h, t), latest: store.last };
    const first = start(counted);
    first.preload(); // nothing kept yet: nothing loaded
    first.handle({ type: 'apply', seq: 1, removed: [], upserted: extra });
    assert.equal((first.handle({ type: 'settle', seq: 2 }) as { from: string }).from, 'indexing');
    const answers = QUERIES.map((q) => ask(first, q));

    reads.length = 0;
    const second = start(counted);
    second.preload();
    second.handle({ type: 'apply', seq: 1, removed: [], upserted: extra });
    assert.equal((second.handle({ type: 'settle', seq: 2 }) as { from: string }).from, 'cache');
    assert.deepEqual(reads, [], 'the preloaded index served: the entry was not read again');
    assert.deepEqual(QUERIES.map((q) => ask(second, q)), answers);

    // Edited since: the preloaded index is not the papers' own; it is brought up to date (below).
    const edited = extra.map((p, i) => (i === 5 ? { ...p, title: 'A title edited since the last start' } : p));
    const third = start(counted);
    third.preload();
    third.handle({ type: 'apply', seq: 1, removed: [], upserted: edited });
    assert.equal((third.handle({ type: 'settle', seq: 2 }) as { from: string }).from, 'updated');
    assert.ok(ask(third, 'title edited since')[0]?.startsWith('1000005 '));

    // A damaged latest entry preloads nothing; the start indexes as without a cache.
    const [key, data] = [...store.entries][0];
    store.entries.set(key, data.slice(0, 1000));
    const fourth = start(counted);
    fourth.preload();
    fourth.handle({ type: 'apply', seq: 1, removed: [], upserted: edited });
    assert.equal((fourth.handle({ type: 'settle', seq: 2 }) as { from: string }).from, 'indexing');
    assert.ok(ask(fourth, 'title edited since')[0]?.startsWith('1000005 '));
  });

  it('where nothing was kept, indexes without looking the papers\' key up, and stores the index under the key a later start looks up', () => {
    const reads: string[] = [];
    const store = memory();
    const counted: IndexCache = { read: (k) => (reads.push(k), store.read(k)), write: (k, h, t) => store.write(k, h, t), latest: store.last };
    const first = start(counted);
    first.preload();
    const replaced = { ...extra[5], title: 'A title edited while the libraries were read' };
    first.handle({ type: 'apply', seq: 1, removed: [], upserted: extra.slice(0, 300) });
    first.handle({ type: 'apply', seq: 2, removed: [extra[9].id], upserted: [replaced, ...extra.slice(300)] });
    assert.equal((first.handle({ type: 'settle', seq: 3 }) as { from: string }).from, 'indexing');
    assert.deepEqual(reads, [], 'no key looked up: nothing was kept');
    const papers = extra.map((p, i) => (i === 5 ? replaced : p)).filter((_, i) => i !== 9);
    const freshStore = memory();
    const fresh = start(freshStore);
    fresh.handle({ type: 'apply', seq: 1, removed: [], upserted: papers });
    fresh.handle({ type: 'settle', seq: 2 });
    assert.deepEqual(QUERIES.map((q) => ask(first, q)), QUERIES.map((q) => ask(fresh, q)), 'as indexed from the final papers at once');
    assert.ok(ask(first, 'edited while the libraries')[0]?.startsWith('1000005 '));
    assert.deepEqual([...store.entries.keys()], [...freshStore.entries.keys()], 'stored under the key computed before indexing elsewhere');
    const second = start(counted);
    second.preload();
    second.handle({ type: 'apply', seq: 1, removed: [], upserted: [...papers].reverse() });
    assert.equal((second.handle({ type: 'settle', seq: 2 }) as { from: string }).from, 'cache');
  });

  it('hands every other batch of a large first start to a second thread, waits for its records at settle, and indexes as from the final papers', () => {
    // The second thread, played here (a new one each start): its records come back when the
    // test says, and it reads each title with a word added, so that the index shows whose
    // records it holds.
    const marked = (p: Paper): Paper => ({ ...p, title: `${p.title} apartmarker` });
    const out: [number, Tokenized][] = [];
    let started = 0;
    let stopped = 0;
    const tokenizer = () => {
      started++;
      const apart = new FrozenBuilder<Paper>(indexOptions(), processedTokens);
      return { tokenize: (seq: number, papers: readonly Paper[]) => out.push([seq, apart.tokenizeApart(structuredClone(papers).map(marked))]), stop: () => stopped++ };
    };
    const server = new IndexServer(lib, { store: memory(), codec: keptCodec, digest: sha256, salt: 'test', tokenizer, tokenizerFrom: 100 });
    server.preload();
    const replaced = { ...extra[150], title: 'A title edited while its old version was tokenized apart' };
    for (let b = 0; b < 4; b++) {
      server.handle({ type: 'apply', seq: 10 + b, removed: [], upserted: extra.slice(b * 100, b * 100 + 100) });
    }
    assert.equal(started, 1, 'started once a hundred papers had come');
    assert.deepEqual(
      out.map(([seq]) => seq),
      [11, 13],
      'every other batch from then on',
    );
    server.handle({ type: 'apply', seq: 14, removed: [extra[9].id], upserted: [replaced] });
    assert.ok(server.waiting(), 'a settle must wait: records are out');
    for (const [seq, records] of out.splice(0)) {
      server.tokenized(seq, structuredClone(records));
    }
    assert.ok(!server.waiting());
    assert.equal((server.handle({ type: 'settle', seq: 15 }) as { from: string }).from, 'indexing');
    assert.equal(stopped, 1, 'the thread is stopped once its work is done');

    // Batches 1 and 3 as the second thread read them; the paper replaced since, as it is now.
    const papers = extra.map((p, i) => (i === 150 ? replaced : Math.floor(i / 100) % 2 === 1 ? marked(p) : p)).filter((_, i) => i !== 9);
    const fresh = start(memory());
    fresh.handle({ type: 'apply', seq: 1, removed: [], upserted: papers });
    fresh.handle({ type: 'settle', seq: 2 });
    assert.deepEqual([...QUERIES, 'apartmarker'].map((q) => ask(server, q)), [...QUERIES, 'apartmarker'].map((q) => ask(fresh, q)));
    const found = server.handle({ type: 'search', seq: 16, query: 'apartmarker', limit: 500 });
    assert.equal(found.type === 'hits' ? found.hits.length : found.type, 199, 'the records of batches 1 and 3 but the replaced paper');
    assert.ok(ask(server, 'while its old version was tokenized apart')[0]?.startsWith('1000150 '));

    // A thread that fails: what it had is tokenized here, and no other is started.
    const failing = new IndexServer(lib, { store: memory(), codec: keptCodec, digest: sha256, salt: 'test', tokenizer, tokenizerFrom: 100 });
    failing.preload();
    for (let b = 0; b < 4; b++) {
      failing.handle({ type: 'apply', seq: 10 + b, removed: [], upserted: extra.slice(b * 100, b * 100 + 100) });
    }
    failing.tokenized(...out.shift()!);
    assert.ok(failing.waiting());
    failing.tokenizerFailed();
    assert.ok(!failing.waiting());
    failing.handle({ type: 'apply', seq: 14, removed: [], upserted: [] });
    failing.handle({ type: 'settle', seq: 15 });
    assert.equal(started, 2);
    const asRead = indexedAtOnce(extra.map((p, i) => (Math.floor(i / 100) === 1 ? marked(p) : p)));
    assert.deepEqual([...QUERIES, 'apartmarker'].map((q) => ask(failing, q)), [...QUERIES, 'apartmarker'].map((q) => ask(asRead, q)), 'batch 1 as the thread read it, batch 3 tokenized here');
  });

  it('with turns, answers batches at once and tokenizes them a turn at a time; a settle shares what still waits with a second thread started then, from the end', () => {
    const marked = (p: Paper): Paper => ({ ...p, title: `${p.title} apartmarker` });
    const out: [number, Tokenized][] = [];
    const asked: boolean[] = [];
    let stopped = 0;
    const tokenizer = (hostIdle: boolean) => {
      asked.push(hostIdle);
      if (!hostIdle) {
        return undefined; // (two cores: none while the host still sends)
      }
      const apart = new FrozenBuilder<Paper>(indexOptions(), processedTokens);
      return { tokenize: (seq: number, papers: readonly Paper[]) => out.push([seq, apart.tokenizeApart(structuredClone(papers).map(marked))]), stop: () => stopped++ };
    };
    const server = new IndexServer(lib, { store: memory(), codec: keptCodec, digest: sha256, salt: 'test', tokenizer, tokenizerFrom: 100, shareFrom: 200, turns: true });
    server.preload();
    for (let b = 0; b < 4; b++) {
      assert.equal(server.handle({ type: 'apply', seq: 10 + b, removed: [], upserted: extra.slice(b * 100, b * 100 + 100) }).type, 'applied');
    }
    assert.deepEqual(asked, [false], 'no second thread while the host sends (it would take a core of the host’s)');
    assert.equal(server.tokenizeTurn(), true, 'batch 0 tokenized, three wait');
    const replaced = { ...extra[250], title: 'A title edited while its old version waited for its turn' };
    server.handle({ type: 'apply', seq: 14, removed: [extra[320].id], upserted: [replaced] });

    server.settleComing();
    assert.deepEqual(asked, [false, true], 'started once the host has sent everything');
    assert.deepEqual(
      out.map(([seq]) => seq),
      [14, 13],
      'at most half of the 301 papers that wait: the last batches, from the end',
    );
    assert.ok(server.waiting(), 'the settle waits for its records');
    assert.equal(server.tokenizeTurn(), true, 'batch 1 here meanwhile');
    assert.equal(server.tokenizeTurn(), false, 'then batch 2 (but its paper replaced since): nothing waits any more');
    for (const [seq, records] of out.splice(0)) {
      server.tokenized(seq, structuredClone(records));
    }
    assert.equal(stopped, 1, 'the thread ends with its last records');
    assert.ok(!server.waiting());
    assert.equal((server.handle({ type: 'settle', seq: 15 }) as { from: string }).from, 'indexing');

    // Batch 3 and the replacement as the second thread read them, but the paper removed since.
    const papers = extra.map((p, i) => (i === 250 ? marked(replaced) : Math.floor(i / 100) === 3 ? marked(p) : p)).filter((_, i) => i !== 320);
    const fresh = start(memory());
    fresh.handle({ type: 'apply', seq: 1, removed: [], upserted: papers });
    fresh.handle({ type: 'settle', seq: 2 });
    assert.deepEqual([...QUERIES, 'apartmarker'].map((q) => ask(server, q)), [...QUERIES, 'apartmarker'].map((q) => ask(fresh, q)));
    const found = server.handle({ type: 'search', seq: 16, query: 'apartmarker', limit: 500 });
    assert.equal(found.type === 'hits' ? found.hits.length : found.type, 100, 'the records of batch 3 but the removed paper, and of the replacement');

    // Handed over as it goes: more from the end each time records come back, never more than half of what is left.
    const fed = new IndexServer(lib, { store: memory(), codec: keptCodec, digest: sha256, salt: 'test', tokenizer, tokenizerFrom: 1000, shareFrom: 50, turns: true });
    fed.preload();
    for (let b = 0; b < 10; b++) {
      fed.handle({ type: 'apply', seq: 20 + b, removed: [], upserted: extra.slice(b * 10, b * 10 + 10) });
    }
    fed.settleComing();
    assert.deepEqual(
      out.map(([seq]) => seq),
      [29, 28, 27, 26, 25],
      'half of the 100 waiting',
    );
    fed.tokenizeTurn(); // batch 20 here meanwhile
    for (const [seq, records] of out.splice(0)) {
      fed.tokenized(seq, structuredClone(records));
    }
    assert.deepEqual(
      out.map(([seq]) => seq),
      [24, 23],
      'then half of the 40 still waiting',
    );
    assert.equal(stopped, 1, 'it goes on');
    fed.tokenizeTurn();
    fed.tokenizeTurn();
    for (const [seq, records] of out.splice(0)) {
      fed.tokenized(seq, structuredClone(records));
    }
    assert.equal(stopped, 2, 'nothing left to hand over: it ends');
    assert.ok(!fed.hasTurns() && !fed.waiting());
    fed.handle({ type: 'settle', seq: 30 });
    const fedMarked = extra.slice(0, 100).map((p, i) => (i >= 30 ? marked(p) : p));
    const fedFresh = start(memory());
    fedFresh.handle({ type: 'apply', seq: 1, removed: [], upserted: fedMarked });
    fedFresh.handle({ type: 'settle', seq: 2 });
    assert.deepEqual([...QUERIES, 'apartmarker'].map((q) => ask(fed, q)), [...QUERIES, 'apartmarker'].map((q) => ask(fedFresh, q)));

    // Too few waiting to be worth a thread: none is asked for, the settle tokenizes what is left.
    const small = new IndexServer(lib, { store: memory(), codec: keptCodec, digest: sha256, salt: 'test', tokenizer, tokenizerFrom: 1000, shareFrom: 200, turns: true });
    small.preload();
    small.handle({ type: 'apply', seq: 1, removed: [], upserted: extra.slice(0, 150) });
    small.settleComing();
    assert.equal(asked.length, 3, "none asked for");
    assert.ok(small.hasTurns() && !small.waiting());
    assert.equal((small.handle({ type: 'settle', seq: 2 }) as { from: string }).from, 'indexing');
    assert.ok(!small.hasTurns(), 'nothing waits after the settle');
    const smallFresh = start(memory());
    smallFresh.handle({ type: 'apply', seq: 1, removed: [], upserted: extra.slice(0, 150) });
    smallFresh.handle({ type: 'settle', seq: 2 });
    assert.deepEqual(QUERIES.map((q) => ask(small, q)), QUERIES.map((q) => ask(smallFresh, q)));
  });

  it('makes what filter-only queries read ahead once an index answers, a step a turn, and warms the ranking up; not after a change', () => {
    const server = new IndexServer(lib, { store: memory(), codec: keptCodec, digest: sha256, salt: 'test', turns: true });
    const plain = start(memory());
    for (const s of [server, plain]) {
      s.preload();
      s.handle({ type: 'apply', seq: 1, removed: [], upserted: extra });
    }
    assert.ok(!server.hasIdleSteps(), 'none while the host still reads the libraries');
    for (const s of [server, plain]) {
      s.handle({ type: 'settle', seq: 2 });
    }
    const filterQueries = ['author:s', 'venue:iclr', 'year:2019-2021', 'author:smith graph'];
    const run = () => {
      let steps = 0;
      while (server.hasIdleSteps() && steps < 10_000) {
        server.idleStep();
        steps++;
      }
      assert.ok(!server.hasIdleSteps(), 'the steps end');
      return steps;
    };
    // (As many steps as the filters' table of the same papers takes.)
    const tableSteps = [...filtersInSteps(PaperIndex.build([...lib.papers, ...extra]))].length;
    const first = run();
    assert.ok(first > tableSteps + 5, `made in steps once the index answers (${tableSteps}), then the warm-up searches, a step each (${first} in all)`);
    assert.deepEqual(filterQueries.map((q) => ask(server, q)), filterQueries.map((q) => ask(plain, q)));
    assert.ok(!server.hasIdleSteps(), 'searches leave nothing to make');
    for (const s of [server, plain]) {
      s.handle({ type: 'apply', seq: 3, removed: [extra[0].id], upserted: [{ ...extra[1], authors: ['Zyx Wvutsr'] }] });
    }
    assert.ok(!server.hasIdleSteps(), 'the papers changed: left to the first filter, while the host reads the saved file');
    assert.deepEqual([...filterQueries, 'author:zyx'].map((q) => ask(server, q)), [...filterQueries, 'author:zyx'].map((q) => ask(plain, q)));
  });

  it('where the files changed since the kept index was made, tokenizes the papers as they come and indexes them afresh instead of patching it', () => {
    const store = memory();
    const latest: IndexCache = { read: (k) => store.read(k), write: (k, h, t) => store.write(k, h, t), latest: store.last };
    // Digests of papers (a key's runs hold each paper's indexed content as JSON), counted.
    let paperDigests = 0;
    const digest: typeof sha256 = (parts) => {
      const list = [...parts];
      paperDigests += list.some((part) => part.startsWith('[')) ? 1 : 0;
      return sha256(list);
    };
    // Storing waits until the test runs it (as the worker's does until quiet), and is counted apart.
    const tasks: (() => Generator<void, void>)[] = [];
    const stored = () => tasks.splice(0).forEach((task) => finish(task()));
    const withSources = () => new IndexServer(lib, { store: latest, codec: keptCodec, digest, salt: 'test', later: (task) => tasks.push(task) });
    const expect = (server: IndexServer, sources: string) => (server.handle({ type: 'expect', seq: 5, sources }) as { answering: boolean }).answering;
    const first = withSources();
    first.handle({ type: 'apply', seq: 1, removed: [], upserted: extra });
    first.handle({ type: 'settle', seq: 2, sources: 'refs.bib A' });
    stored();

    // An entry added at the top (every later id moves) and one edited, while closed.
    const inserted = { ...extra[0], id: 1_000_000, key: 'inserted2026', title: 'An entry inserted at the top since the last start' };
    const now = [inserted, ...extra.map((p) => ({ ...p, id: p.id + 1 }))];
    now[6] = { ...now[6], title: 'A title edited since the last start' };
    const second = withSources();
    second.preload();
    assert.equal(expect(second, 'refs.bib B'), false);
    second.handle({ type: 'apply', seq: 1, removed: [], upserted: now.slice(0, 200) });
    second.handle({ type: 'apply', seq: 2, removed: [], upserted: now.slice(200) });
    paperDigests = 0;
    assert.equal((second.handle({ type: 'settle', seq: 3, sources: 'refs.bib B' }) as { from: string }).from, 'indexing', 'indexed, not the kept index patched');
    assert.equal(paperDigests, 0, 'no key computed before answering: the kept papers differ from the first one on');
    stored();
    assert.deepEqual([...QUERIES, 'entry inserted at the top', 'title edited since'].map((q) => ask(second, q)), [...QUERIES, 'entry inserted at the top', 'title edited since'].map((q) => ask(indexedAtOnce(now), q)));
    const freshStore = memory();
    const fresh = start(freshStore);
    fresh.handle({ type: 'apply', seq: 1, removed: [], upserted: now });
    fresh.handle({ type: 'settle', seq: 2 });
    assert.deepEqual([...store.entries.keys()], [...freshStore.entries.keys()], 'stored under the papers\' key, computed when storing');
    // Kept with its sources: the next start with the same files answers early from it.
    const third = withSources();
    third.preload();
    assert.equal(expect(third, 'refs.bib B'), true);

    // Other files, the same papers (a comment edited): the kept index, as it is.
    const fourth = withSources();
    fourth.preload();
    assert.equal(expect(fourth, 'refs.bib C'), false);
    fourth.handle({ type: 'apply', seq: 1, removed: [], upserted: now });
    assert.equal((fourth.handle({ type: 'settle', seq: 2, sources: 'refs.bib C' }) as { from: string }).from, 'cache');
    stored();

    // The same number of papers, one of them edited last (the comparison reads every
    // kept paper before it finds it): indexed, and still no key before answering.
    const last = now.map((p, i) => (i === now.length - 1 ? { ...p, title: 'The last entry edited since the last start' } : p));
    const fifth = withSources();
    fifth.preload();
    assert.equal(expect(fifth, 'refs.bib D'), false);
    fifth.handle({ type: 'apply', seq: 1, removed: [], upserted: last });
    paperDigests = 0;
    assert.equal((fifth.handle({ type: 'settle', seq: 2, sources: 'refs.bib D' }) as { from: string }).from, 'indexing');
    assert.equal(paperDigests, 0);
    assert.ok(ask(fifth, 'last entry edited since')[0]?.startsWith(`${last.at(-1)!.id} `));
    stored();

    // The same papers, but the last kept one damaged on disk since (the first still
    // reads): the comparison stops there, and the papers are indexed afresh.
    const [key, bytes] = [...store.entries][0];
    const entry = entryInMemory(bytes)!;
    const kept = keptCodec.decode(entry.head) as { library: KeptLibrary };
    const tail = entry.tail.read(0, entry.tail.length).slice();
    tail[kept.library.papers.offsets.at(-2)!] = 0x78; // 'x' where the last paper's '{' was
    store.entries.set(key, frameEntry(entry.head, tail));
    const sixth = withSources();
    sixth.preload();
    assert.equal(expect(sixth, 'refs.bib E'), false);
    sixth.handle({ type: 'apply', seq: 1, removed: [], upserted: last });
    assert.equal((sixth.handle({ type: 'settle', seq: 2, sources: 'refs.bib E' }) as { from: string }).from, 'indexing');
    assert.ok(ask(sixth, 'last entry edited since')[0]?.startsWith(`${last.at(-1)!.id} `));
  });

  /** A server that indexed these papers at once. */
  const indexedAtOnce = (papers: readonly Paper[]) => {
    const server = start(memory());
    server.handle({ type: 'apply', seq: 1, removed: [], upserted: papers });
    server.handle({ type: 'settle', seq: 2 });
    return server;
  };

  it('brings a kept index of other papers up to date: an entry added at the top (every later id moves), one edited, one removed', () => {
    const store = memory();
    const latest: IndexCache = { read: (k) => store.read(k), write: (k, h, t) => store.write(k, h, t), latest: store.last };
    const first = start(latest);
    first.handle({ type: 'apply', seq: 1, removed: [], upserted: extra });
    assert.equal((first.handle({ type: 'settle', seq: 2 }) as { from: string }).from, 'indexing');

    const inserted = { ...extra[0], id: 1_000_000, key: 'inserted2026', title: 'An entry inserted at the top since the last start' };
    const now = [inserted, ...extra.map((p) => ({ ...p, id: p.id + 1 }))];
    now[6] = { ...now[6], title: 'A title edited since the last start' };
    const [gone] = now.splice(10, 1);
    const second = start(latest);
    second.preload();
    second.handle({ type: 'apply', seq: 1, removed: [], upserted: now });
    assert.equal((second.handle({ type: 'settle', seq: 2 }) as { from: string }).from, 'updated');
    assert.ok(ask(second, 'entry inserted at the top')[0]?.startsWith('1000000 '));
    assert.ok(ask(second, 'title edited since')[0]?.startsWith(`${now[6].id} `));
    assert.ok(!ask(second, gone.key).some((h) => h.startsWith(`${gone.id} `)), 'the removed entry is gone');
    for (const p of [now[1], now[200], now.at(-1)!]) {
      assert.ok(ask(second, p.key)[0]?.startsWith(`${p.id} `), `${p.key} answers under its new id ${p.id}`);
    }
    // What it answers matches an index built from scratch for the same papers (the top hit of each query).
    const fresh = new IndexServer(lib);
    fresh.handle({ type: 'apply', seq: 1, removed: [], upserted: now });
    const top = (server: IndexServer, q: string) => ask(server, q)[0]?.split(' ')[0];
    assert.deepEqual(QUERIES.map((q) => top(second, q)), QUERIES.map((q) => top(fresh, q)));
    // The updated index is kept: the next start loads it as it is.
    const third = start(latest);
    third.preload();
    third.handle({ type: 'apply', seq: 1, removed: [], upserted: now });
    assert.equal((third.handle({ type: 'settle', seq: 2 }) as { from: string }).from, 'cache');

    // Mostly other papers: indexed afresh rather than patched.
    const other = generateCorpus(400, lib.papers, 99).map((p, i) => ({ ...p, id: 2_000_000 + i, source: 'user' as const }));
    const fourth = start(latest);
    fourth.preload();
    fourth.handle({ type: 'apply', seq: 1, removed: [], upserted: other });
    assert.equal((fourth.handle({ type: 'settle', seq: 2 }) as { from: string }).from, 'indexing');
    // A small library where a large one was kept: most of the kept index would go, so it is not patched either.
    const fifth = start(latest);
    fifth.preload();
    fifth.handle({ type: 'apply', seq: 1, removed: [], upserted: other.slice(0, 5) });
    assert.equal((fifth.handle({ type: 'settle', seq: 2 }) as { from: string }).from, 'indexing');
    assert.ok(ask(fifth, other[3].key)[0]?.startsWith(`${other[3].id} `));
  });

  it('stores a new index after answering, under the key of the papers it holds when written', () => {
    const store = memory();
    const tasks: (() => Generator<void, void>)[] = [];
    const server = new IndexServer(lib, { store, codec: keptCodec, digest: sha256, salt: 'test', later: (task) => tasks.push(task) });
    server.handle({ type: 'apply', seq: 1, removed: [], upserted: extra });
    assert.equal((server.handle({ type: 'settle', seq: 2 }) as { from: string }).from, 'indexing');
    assert.equal(store.entries.size, 0, 'not written before the answer');
    assert.ok(ask(server, probe)[0]?.startsWith('1000007 '), 'searchable at once');
    // The storing is in steps; a message stops it (the worker drops the steps under way)…
    const underWay = tasks[0]();
    assert.equal(underWay.next().done, false, 'in steps');
    // …an entry removed meanwhile: what is written when storing starts again is the index with that change, keyed so.
    server.handle({ type: 'apply', seq: 3, removed: [extra[3].id], upserted: [] });
    assert.equal(store.entries.size, 0);
    tasks.forEach((task) => finish(task()));
    assert.equal(store.entries.size, 1);
    const next = start(store);
    next.handle({ type: 'apply', seq: 1, removed: [], upserted: extra.filter((_, i) => i !== 3) });
    assert.equal((next.handle({ type: 'settle', seq: 2 }) as { from: string }).from, 'cache');
    assert.ok(!ask(next, extra[3].key).some((h) => h.startsWith(`${extra[3].id} `)));
  });

  it('stores nothing, and answers, when the index cannot be serialised', () => {
    const store = memory();
    const failing = { encode: () => { throw new RangeError('Invalid array length'); }, decode: keptCodec.decode };
    const server = new IndexServer(lib, { store, codec: failing, digest: sha256, salt: 'test' });
    server.handle({ type: 'apply', seq: 1, removed: [], upserted: extra });
    assert.equal((server.handle({ type: 'settle', seq: 2 }) as { from: string }).from, 'indexing');
    assert.equal(store.entries.size, 0);
    assert.ok(ask(server, probe)[0]?.startsWith('1000007 '));
  });

  it('stores a waiting index at once when the host stops (flush)', () => {
    const store = memory();
    const tasks: (() => Generator<void, void>)[] = [];
    const server = new IndexServer(lib, { store, codec: keptCodec, digest: sha256, salt: 'test', later: (task) => tasks.push(task), flush: () => tasks.splice(0).forEach((t) => finish(t())) });
    server.handle({ type: 'apply', seq: 1, removed: [], upserted: extra });
    server.handle({ type: 'settle', seq: 2 });
    assert.equal(store.entries.size, 0);
    assert.deepEqual(server.handle({ type: 'flush', seq: 3 }), { type: 'flushed', seq: 3 });
    assert.equal(store.entries.size, 1);
    const next = start(store);
    next.handle({ type: 'apply', seq: 1, removed: [], upserted: extra });
    assert.equal((next.handle({ type: 'settle', seq: 2 }) as { from: string }).from, 'cache');
  });

  it('keeps an index changed in the session with the sources named after the change: the next start answers early from it, then indexes the papers it tokenized meanwhile', () => {
    const store = memory();
    const latest: IndexCache = { read: (k) => store.read(k), write: (k, h, t) => store.write(k, h, t), latest: store.last };
    const tasks: { task: () => Generator<void, void>; quietMs?: number }[] = [];
    const stored = () => tasks.splice(0).forEach(({ task }) => finish(task()));
    const server = () => new IndexServer(lib, { store: latest, codec: keptCodec, digest: sha256, salt: 'test', later: (task, quietMs) => tasks.push({ task, quietMs }) });
    const expect = (s: IndexServer, sources: string) => (s.handle({ type: 'expect', seq: 5, sources }) as { answering: boolean }).answering;
    const settle = (s: IndexServer, papers: readonly Paper[], sources: string) => {
      s.handle({ type: 'apply', seq: 1, removed: [], upserted: papers });
      return (s.handle({ type: 'settle', seq: 2, sources }) as { from: string }).from;
    };
    const first = server();
    assert.deepEqual(first.handle({ type: 'sources', seq: 1, sources: 'refs.bib A' }), { type: 'noted', seq: 1 });
    assert.equal(settle(first, extra, 'refs.bib A'), 'indexing');
    assert.equal(tasks.length, 1, 'sources before settle are the start’s business: only the start’s index waits');
    assert.equal(tasks[0].quietMs, undefined, 'a start’s index waits the default second');
    stored();
    first.handle({ type: 'sources', seq: 4, sources: 'refs.bib A' });
    assert.equal(tasks.length, 0, 'the same sources, nothing changed: nothing to store');

    // An entry edited and saved in the session: the host numbers its paper anew.
    const edited = { ...extra[9], id: 2_000_000, title: 'Wombat burrows as a model of retrieval' };
    first.handle({ type: 'apply', seq: 5, removed: [extra[9].id], upserted: [edited] });
    assert.equal(tasks.length, 0, 'a change alone is not stored: its sources are not known yet');
    const answers = [...QUERIES, 'wombat burrows'].map((q) => ask(first, q));
    first.handle({ type: 'sources', seq: 6, sources: 'refs.bib B' });
    assert.equal(tasks.length, 1);
    assert.equal(tasks[0].quietMs, 10_000, 'after changes in a session, a longer quiet');
    stored();

    // The next start numbers the papers in the file's order: the edited one where it was.
    const now = extra.map((p, i) => (i === 9 ? { ...edited, id: p.id } : p));
    const next = server();
    next.preload();
    assert.equal(expect(next, 'refs.bib B'), true, 'answers early from the index kept after the edit');
    assert.deepEqual([...QUERIES, 'wombat burrows'].map((q) => ask(next, q)), answers, 'as the session’s index answered');
    assert.equal(settle(next, now, 'refs.bib B'), 'indexing', 'the papers tokenized as they came, put together');
    assert.deepEqual([...QUERIES, 'wombat burrows'].map((q) => ask(next, q)), [...QUERIES, 'wombat burrows'].map((q) => ask(indexedAtOnce(now), q)));
    stored();
    const third = server();
    third.preload();
    assert.equal(expect(third, 'refs.bib B'), true);
    assert.equal(settle(third, now, 'refs.bib B'), 'cache', 'stored again under the start’s ids: loaded');

    // Changed back in the session and never named again: not stored, the kept index still B's.
    third.handle({ type: 'apply', seq: 3, removed: [], upserted: [extra[9]] });
    stored();
    const fourth = server();
    fourth.preload();
    assert.equal(expect(fourth, 'refs.bib B'), true, 'the kept index still answers for the files it was made from');
  });

  it('takes a change of nothing after settle (Zotero not running, a .bib saved unchanged) as nothing: not thawed, its sources still true', () => {
    const store = memory();
    const latest: IndexCache = { read: (k) => store.read(k), write: (k, h, t) => store.write(k, h, t), latest: store.last };
    const tasks: (() => Generator<void, void>)[] = [];
    const first = new IndexServer(lib, { store: latest, codec: keptCodec, digest: sha256, salt: 'test', later: (task) => tasks.push(task) });
    first.handle({ type: 'apply', seq: 1, removed: [], upserted: extra });
    assert.equal((first.handle({ type: 'settle', seq: 2, sources: 'refs.bib A' }) as { from: string }).from, 'indexing');
    const answers = ask(first, probe);
    first.handle({ type: 'apply', seq: 3, removed: [], upserted: [] });
    assert.ok((first as unknown as { reader?: unknown }).reader, 'still answering from the frozen index, not thawed');
    assert.deepEqual(ask(first, probe), answers);
    tasks.forEach((task) => finish(task()));
    // The next start answers early: the index was stored with its sources.
    const next = new IndexServer(lib, { store: latest, codec: keptCodec, digest: sha256, salt: 'test' });
    next.preload();
    assert.equal((next.handle({ type: 'expect', seq: 1, sources: 'refs.bib A' }) as { answering: boolean }).answering, true);
    assert.deepEqual(ask(next, probe), answers);
  });

  it('answers from the kept index before the papers arrive when the sources are the same, and settles it against the papers', () => {
    const store = memory();
    const latest: IndexCache = { read: (k) => store.read(k), write: (k, h, t) => store.write(k, h, t), latest: store.last };
    const withSalt = (salt: string) => new IndexServer(lib, { store: latest, codec: keptCodec, digest: sha256, salt });
    const expect = (server: IndexServer, sources: string) => (server.handle({ type: 'expect', seq: 5, sources }) as { answering: boolean }).answering;
    const hitsWithPapers = (server: IndexServer, query: string) => {
      const m = server.handle({ type: 'search', seq: 6, query, limit: 10, withPapers: true });
      return m.type === 'hits' ? m.hits : [];
    };
    const first = withSalt('test');
    first.handle({ type: 'apply', seq: 1, removed: [], upserted: extra });
    assert.equal((first.handle({ type: 'settle', seq: 2, sources: 'refs.bib A' }) as { from: string }).from, 'indexing');
    const answers = QUERIES.map((q) => ask(first, q));

    // Same sources: searchable before any paper arrives, with the papers the host lacks.
    const second = withSalt('test');
    second.preload();
    assert.equal(expect(second, 'refs.bib A'), true);
    const [top] = hitsWithPapers(second, probe);
    assert.equal(top?.id, extra[7].id);
    assert.equal(top?.paper?.title, extra[7].title, 'the hit carries its paper');
    assert.equal(ask(second, probe)[0], `${extra[7].id} ${top.score.toFixed(6)}`, 'and only when asked: the same hit without it');
    const plain = second.handle({ type: 'search', seq: 7, query: probe, limit: 1 });
    assert.ok(plain.type === 'hits' && plain.hits[0].paper === undefined);
    assert.deepEqual(QUERIES.map((q) => ask(second, q)), answers, 'answering early, exactly as the index it was kept from');
    second.handle({ type: 'apply', seq: 1, removed: [], upserted: extra });
    assert.equal((second.handle({ type: 'settle', seq: 2, sources: 'refs.bib A' }) as { from: string }).from, 'cache');
    assert.deepEqual(QUERIES.map((q) => ask(second, q)), answers);

    // Other sources, or an index kept by another version (salt): nothing early; bundled papers only until settle.
    for (const [server, sources] of [
      [withSalt('test'), 'refs.bib B'],
      [withSalt('another version'), 'refs.bib A'],
    ] as const) {
      server.preload();
      assert.equal(expect(server, sources), false);
      assert.ok(!ask(server, probe).some((h) => h.startsWith(`${extra[7].id} `)));
    }

    // The sources matched, but the papers the host read are not the kept ones (an entry
    // edited, so its digest was stale): settle brings the index up to date all the same.
    const edited = extra.map((p, i) => (i === 5 ? { ...p, title: 'A title edited since the last start' } : p));
    const third = withSalt('test');
    third.preload();
    assert.equal(expect(third, 'refs.bib A'), true);
    third.handle({ type: 'apply', seq: 1, removed: [], upserted: edited });
    assert.equal((third.handle({ type: 'settle', seq: 2, sources: 'refs.bib A2' }) as { from: string }).from, 'updated');
    assert.ok(ask(third, 'title edited since')[0]?.startsWith('1000005 '));

    // Entirely other papers: indexed from the bundled index, none of the kept papers left.
    const other = generateCorpus(30, lib.papers, 77).map((p, i) => ({ ...p, id: 3_000_000 + i, source: 'user' as const }));
    const fourth = withSalt('test');
    fourth.preload();
    assert.equal(expect(fourth, 'refs.bib A2'), true);
    fourth.handle({ type: 'apply', seq: 1, removed: [], upserted: other });
    assert.equal((fourth.handle({ type: 'settle', seq: 2, sources: 'other.bib' }) as { from: string }).from, 'indexing');
    assert.ok(!ask(fourth, probe).some((h) => h.startsWith(`${extra[7].id} `)), 'the kept papers are gone');
    assert.ok(ask(fourth, other[3].title)[0]?.startsWith(`${other[3].id} `));
    const fresh = new IndexServer(lib);
    fresh.handle({ type: 'apply', seq: 1, removed: [], upserted: other });
    assert.deepEqual(QUERIES.map((q) => ask(fourth, q)), QUERIES.map((q) => ask(fresh, q)), 'as an index built for these papers alone');
  });

  it('keeps the sources with an index only while they are true; an index kept without them learns them at the next start', () => {
    const store = memory();
    const tasks: (() => Generator<void, void>)[] = [];
    const latest: IndexCache = { read: (k) => store.read(k), write: (k, h, t) => store.write(k, h, t), latest: store.last };
    const server = (later?: (task: () => Generator<void, void>) => void) => new IndexServer(lib, { store: latest, codec: keptCodec, digest: sha256, salt: 'test', later });
    const expect = (s: IndexServer, sources: string) => (s.handle({ type: 'expect', seq: 5, sources }) as { answering: boolean }).answering;
    // Stored after an edit made once the start was settled: the sources no longer describe the papers.
    const first = server((task) => tasks.push(task));
    first.handle({ type: 'apply', seq: 1, removed: [], upserted: extra });
    first.handle({ type: 'settle', seq: 2, sources: 'refs.bib A' });
    first.handle({ type: 'apply', seq: 3, removed: [extra[3].id], upserted: [] });
    tasks.splice(0).forEach((t) => finish(t()));
    const second = server();
    second.preload();
    assert.equal(expect(second, 'refs.bib A'), false, 'kept without sources');
    second.handle({ type: 'apply', seq: 1, removed: [], upserted: extra.filter((_, i) => i !== 3) });
    assert.equal((second.handle({ type: 'settle', seq: 2, sources: 'refs.bib A3' }) as { from: string }).from, 'cache');
    // That start stored the same index again, now with its sources: the next one answers early.
    const third = server();
    third.preload();
    assert.equal(expect(third, 'refs.bib A3'), true);
  });

  it('a worker stopped right after indexing has stored its index first: the next start loads it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperscope-index-flush-'));
    const first = new WorkerFullText(startNodeIndexWorker(WORKER, LIBRARY, { dir, version: 'test' }), pause);
    await first.apply({ removed: [], upserted: extra });
    assert.equal(await first.settle(), 'indexing');
    first.dispose(); // at once: the worker's own wait for a quiet second has not passed
    await keptSince(dir, 0, 10_000);
    const second = new WorkerFullText(startNodeIndexWorker(WORKER, LIBRARY, { dir, version: 'test' }), pause);
    try {
      await second.apply({ removed: [], upserted: extra });
      assert.equal(await second.settle(), 'cache');
    } finally {
      second.dispose();
    }
  });

  it('keeps an entry in one file: the head read at once, the tail a range at a time, even once the file is replaced', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperscope-entry-'));
    const cache = folderCache(dir, 4);
    const write = (key: string, h: Uint8Array, t: Uint8Array) => {
      const steps = cache.write(key, h, t);
      if (steps) {
        finish(steps);
      }
    };
    const head = new TextEncoder().encode('head bytes');
    const tail = new TextEncoder().encode('0123456789abcdef');
    // Written in steps (four bytes each here): given up midway, nothing is left behind.
    const givenUp = cache.write('k0', head, tail)!;
    givenUp.next();
    givenUp.next();
    assert.deepEqual(readdirSync(dir), ['index-k0.bin.tmp']);
    givenUp.return();
    assert.deepEqual(readdirSync(dir), []);
    write('k1', head, tail);
    const entry = cache.read('k1')!;
    assert.deepEqual([...entry.head], [...head]);
    assert.equal(entry.tail.length, tail.length);
    assert.equal(new TextDecoder().decode(entry.tail.read(10, 16)), 'abcdef');
    // Another window stores another index: this one's file goes, but what is open reads on (POSIX).
    write('k2', head, new TextEncoder().encode('other'));
    assert.deepEqual(readdirSync(dir), ['index-k2.bin']);
    if (process.platform !== 'win32') {
      assert.equal(new TextDecoder().decode(entry.tail.read(0, 4)), '0123');
    }
    entry.close();
    assert.throws(() => entry.tail.read(0, 4), /closed/);
    assert.equal(new TextDecoder().decode(cache.latest!()!.tail.read(0, 5)), 'other');
    // Files of earlier formats (no header) and cut short are not entries.
    writeFileSync(join(dir, 'index-k2.bin'), v8Codec.encode({ key: 'k2', library: {} }));
    assert.equal(cache.read('k2'), undefined);
    writeFileSync(join(dir, 'index-k2.bin'), frameEntry(head, tail).subarray(0, 12));
    assert.equal(cache.read('k2'), undefined);
    assert.equal(cache.read('missing'), undefined);
  });

  it('gives back the kept indexes of workspaces not opened for months, never the current one', () => {
    const root = mkdtempSync(join(tmpdir(), 'paperscope-prune-'));
    const day = 24 * 3600 * 1000;
    const now = Date.now();
    const folder = (name: string, ageDays: number) => {
      mkdirSync(join(root, name));
      writeFileSync(join(root, name, 'index-x.bin'), 'x');
      const when = new Date(now - ageDays * day);
      utimesSync(join(root, name, 'index-x.bin'), when, when);
      utimesSync(join(root, name), when, when);
    };
    folder('old', 200);
    folder('recent', 10);
    folder('current', 400);
    folder('readdaily', 300); // its index only read since it was written, and opened today
    markUsed(join(root, 'readdaily'), new Date(now));
    assert.deepEqual(pruneFolders(root, 'current', 90 * day, now), ['old']);
    assert.deepEqual(readdirSync(root).sort(), ['current', 'readdaily', 'recent']);
    assert.deepEqual(pruneFolders(join(root, 'missing'), 'current', 90 * day, now), [], 'never throws');
  });

  it('works across real worker threads with a cache folder, a second thread tokenizing half of the first start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperscope-index-cache-'));
    const run = async () => {
      const worker = new WorkerFullText(startNodeIndexWorker(WORKER, LIBRARY, { dir, version: 'test', tokenizerFrom: 50, tokenizerCores: 1 }), pause);
      try {
        const papers = extra.map((p) => ({ ...p, origin: { file: 'file:///x.bib', line: 1, bibtex: '' } }));
        await Promise.all([0, 1, 2, 3].map((b) => worker.apply({ removed: [], upserted: papers.slice(b * 100, b * 100 + 100) })));
        const since = Date.now();
        const from = await worker.settle();
        const hits = ((await worker.search(probe, { limit: 3 })) ?? []).map((h) => h.id);
        if (from !== 'cache') {
          await keptSince(dir, since - 1000); // stored after the answer
        }
        return { from, hits };
      } finally {
        worker.dispose();
      }
    };
    const first = await run();
    const second = await run();
    assert.equal(first.from, 'indexing');
    assert.equal(second.from, 'cache');
    assert.deepEqual(second.hits, first.hits);
    assert.equal(first.hits[0], 1_000_007);
    assert.deepEqual(first.hits, ask(indexedAtOnce(extra), probe).slice(0, 3).map((h) => Number(h.split(' ')[0])));
    assert.equal(readdirSync(dir).filter((f) => f.startsWith('index-')).length, 1);
  });

  it('across real worker threads, shares what still waits at settle with a second thread and indexes as in one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperscope-index-cache-'));
    // No second thread while papers come; from one paper waiting at settle (the batches
    // and the settle are posted together, so most of them still wait).
    const worker = new WorkerFullText(startNodeIndexWorker(WORKER, LIBRARY, { dir, version: 'test', tokenizerFrom: 1e9, tokenizerCores: 2, shareFrom: 1 }), pause);
    try {
      const papers = extra.map((p) => ({ ...p, origin: { file: 'file:///x.bib', line: 1, bibtex: '' } }));
      const applied = Promise.all([0, 1, 2, 3].map((b) => worker.apply({ removed: [], upserted: papers.slice(b * 100, b * 100 + 100) })));
      const from = await worker.settle();
      await applied;
      assert.equal(from, 'indexing');
      for (const probe of [extra[42], extra[377]]) {
        const hits = ((await worker.search(probe.title, { limit: 3 })) ?? []).map((h) => h.id);
        assert.deepEqual(hits, ask(indexedAtOnce(extra), probe.title).slice(0, 3).map((h) => Number(h.split(' ')[0])));
      }
    } finally {
      worker.dispose();
    }
  });
});
