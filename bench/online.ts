// The online search as the picker runs it, against the recorded answers served on
// loopback by another process (so the network and the server cost nothing here and
// Paperscope's own overhead is what is measured): from "Search online" to the first
// results, to every service's answer, and how long the event loop was ever blocked
// meanwhile (parsing, merging against the library, making papers).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { LibraryModel } from '../src/core/library/libraryModel';
import type { Paper } from '../src/core/library/paper';
import { mergeWorks, paperFromWork } from '../src/core/online/papers';
import type { ProviderError, RemoteWork } from '../src/core/online/types';
import { Online, type SearchProvider } from '../src/vscode/online/online';
import { FetchTransport } from '../src/vscode/online/transport';

export interface OnlineFigures {
  readonly firstResults: number[];
  readonly allAnswered: number[];
  /** Longest event-loop delay seen during each search, ms. */
  readonly maxBlock: number[];
  readonly libraryPapers: number;
}

/** Starts the fixture server in a child process; resolves with its endpoints. */
async function startServer(root: string): Promise<{ endpoints: Record<string, string>; stop: () => void }> {
  const child = spawn(process.execPath, [join(root, 'out', 'bench', 'fixtureServer.js'), root], { stdio: ['ignore', 'pipe', 'inherit'] });
  const endpoints = await new Promise<Record<string, string>>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n')[0];
      if (buffered.includes('\n')) {
        resolve(JSON.parse(line) as Record<string, string>);
      }
    });
    child.on('exit', (code) => reject(new Error(`the fixture server exited (${code})`)));
  });
  return { endpoints, stop: () => child.kill() };
}

const noSecrets = {
  get: async () => undefined,
  store: async () => undefined,
  delete: async () => undefined,
  onDidChange: () => ({ dispose: () => undefined }),
};

export async function benchOnline(root: string, library: readonly Paper[], runs: number): Promise<OnlineFigures> {
  const server = await startServer(root);
  const model = new LibraryModel(library);
  const figures: OnlineFigures = { firstResults: [], allAnswered: [], maxBlock: [], libraryPapers: library.length };
  const delay = monitorEventLoopDelay({ resolution: 1 });
  try {
    for (let run = 0; run < runs + 1; run++) {
      // A fresh service object per run: its request gates (arXiv's 3 s spacing) start anew.
      const online = new Online(
        {
          enabled: () => ({ zotero: false }),
          endpoints: () => ({ ...(server.endpoints as Record<SearchProvider | 'doi', string>) }),
          email: () => undefined,
          timeoutMs: () => 10_000,
        },
        noSecrets as never,
        undefined,
        new FetchTransport(true),
        'desktop',
        () => undefined,
      );
      const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) };
      const results = new Map<SearchProvider, RemoteWork[] | ProviderError>();
      let first = 0;
      delay.reset();
      delay.enable();
      const t0 = performance.now();
      await online.search(`testing ${run}`, token as never, (p, result) => {
        results.set(p, result);
        // What the picker does on each answer: merge all answers so far against the
        // library and each other, and make papers of the new ones.
        const lists = [...results.values()].filter((r): r is RemoteWork[] => Array.isArray(r));
        const merged = mergeWorks(lists, (w) => model.findSame({ key: '', title: w.title, year: w.year, authors: w.authors, arxiv: w.arxiv, doi: w.doi }));
        const taken = new Set<string>();
        merged.works.forEach((w, i) => taken.add(paperFromWork(w, -1 - i, taken).key));
        if (!first && lists.some((l) => l.length > 0)) {
          first = performance.now() - t0;
        }
      });
      const all = performance.now() - t0;
      delay.disable();
      if (run > 0) {
        figures.firstResults.push(first);
        figures.allAnswered.push(all);
        figures.maxBlock.push(delay.max / 1e6);
      }
    }
  } finally {
    server.stop();
  }
  return figures;
}
