import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateCorpus } from '../../../bench/corpus';
import { IndexServer, InProcessFullText, WorkerFullText, type FullText, type IndexPort } from '../../../src/core/search/fullText';
import type { Paper } from '../../../src/core/library/paper';
import { PaperIndex, type SerializedLibrary } from '../../../src/core/search/searchIndex';
import { startNodeIndexWorker } from '../../../src/node/nodeIndexPort';
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
    const server = IndexServer.fromLibrary(bundled());
    const answer = server.handle({ type: 'related', seq: 3, paper: null as unknown as Paper, count: 2 });
    assert.equal(answer.type, 'failed');
    assert.equal(answer.seq, 3);
  });
});
