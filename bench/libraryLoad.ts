// The user's path with a large .bib, as the extension host runs it (BibFiles, then
// Library.applyBibChange, then the title matcher's rebuild as DocumentScanner does it):
// decode the file's bytes → parse in slices → library model → host lookups → full text,
// then type a query, then edit one entry and wait until search sees it (the reopen
// scenario, benchReload, stops at searchable: no matcher). Measured with the index in a
// worker thread (the desktop: a first start, its folder for kept indexes empty, indexing
// at `settle`) and in the host's own thread (the fallback, and the browser build before
// its Web Worker), in one run, with the event-loop delay of the host thread sampled
// throughout.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseBibtexInSlices, type BibParseResult } from '../src/core/bib/parser';
import { reparseBibtexInSlices } from '../src/core/bib/reparse';
import { LibraryModel } from '../src/core/library/libraryModel';
import { InProcessFullText, WorkerFullText, type FullText } from '../src/core/search/fullText';
import { PaperIndex, type SerializedLibrary } from '../src/core/search/searchIndex';
import { followFile, ReadAhead } from '../src/core/library/followFile';
import { startNodeIndexWorker } from '../src/node/nodeIndexPort';
import { giveBack } from '../src/core/text/slices';
import { sha256InSlices } from '../src/node/contentHash';
import { decodeAgain, decodePieces } from '../src/core/text/decode';
import type { PiecedText } from '../src/core/text/pieces';
import { TitleMatcher } from '../src/core/detect/titleMatcher';

export type IndexPlace = 'worker' | 'in-process';

export interface LoadFigures {
  /** Opening the workspace → every entry searchable, ms. */
  readonly ready: number[];
  /** Opening the workspace → the host's title matcher built (titles found in documents), ms. */
  readonly titlesReady: number[];
  /** Keystroke → hits as papers on the host, ms (all keystrokes of all runs). */
  readonly keystrokes: number[];
  /** Saving an edited entry → search finds its new title word, ms. */
  readonly edit: number[];
  /** Longest and 99th-percentile event-loop delay of the host thread during load, typing and edit, ms. */
  readonly maxBlock: number[];
  readonly p99Block: number[];
  /** The longest delay of each phase, ms (where a long block happened). */
  readonly phaseMax: { load: number; typing: number; edit: number }[];
  /**
   * The bench process's heap once loaded and edited, after a full GC, MB: the host's, and
   * the few MB the bench itself holds there (its code, the bundled papers; the .bib's
   * bytes are outside the heap, and the generated papers gone: see run.ts, bibBytes).
   */
  readonly hostHeapMB: number[];
  /**
   * Of each run, the host's longest block (`blocksWatched`), ms: how long it held the
   * thread, and of that how long the thread ran and how long it waited for a core (Linux's
   * schedstat; absent elsewhere).
   */
  readonly longestSlice: { held: number; running: number; waiting: number; at: number }[];
}

/** The host thread's time on a core and waiting for one, ns (Linux), or undefined. */
function threadTimes(): [number, number] | undefined {
  try {
    const [running, waiting] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number);
    return Number.isFinite(running) && Number.isFinite(waiting) ? [running, waiting] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The host thread's longest block as a 5 ms timer sees it (the longest gap between two of
 * its ticks, so a block plus at most 5 ms), with how long the thread ran and how long it
 * waited for a core meanwhile: whatever held the event loop, our loops or not. Unlike
 * `monitorEventLoopDelay` it counts its first interval too, and the rest of a gap is the
 * thread asleep in a synchronous wait (a stopped worker's thread being joined: the
 * reopen scenario stops one per start).
 */
function blocksWatched(): { stop: () => { held: number; running: number; waiting: number; at: number } | undefined } {
  const start = performance.now();
  let last = start;
  let times = threadTimes();
  let longest: { held: number; running: number; waiting: number; at: number } | undefined;
  const timer = setInterval(() => {
    const now = performance.now();
    const nowTimes = threadTimes();
    if (nowTimes && times && now - last > (longest?.held ?? -1)) {
      longest = { held: now - last, running: (nowTimes[0] - times[0]) / 1e6, waiting: (nowTimes[1] - times[1]) / 1e6, at: last - start };
    }
    last = now;
    times = nowTimes;
  }, 5);
  return {
    stop: () => {
      clearInterval(timer);
      return longest;
    },
  };
}

const pause = giveBack;

export async function benchLibraryLoad(root: string, bytes: Buffer, keystrokes: readonly string[], place: IndexPlace, runs: number): Promise<LoadFigures> {
  const libraryPath = join(root, 'dist', 'library.json');
  const figures: LoadFigures = { ready: [], titlesReady: [], keystrokes: [], edit: [], maxBlock: [], p99Block: [], hostHeapMB: [], phaseMax: [], longestSlice: [] };
  // The file's bytes, and its bytes after one entry's title is edited (made before
  // anything is measured): the host decodes them as it reads them. The bench keeps no
  // text of its own, so the host's heap holds the one text the extension would.
  const at = bytes.indexOf('title');
  const edited = Buffer.concat([bytes.subarray(0, at), Buffer.from('title = {Zyxwvut quibbles},\n  old'), bytes.subarray(at)]);
  // The .bib's sources as BibFiles gives them (its URI and the digest of its bytes, made as it is read).
  const file = 'file:///workspace/library.bib';
  const sources = `${file} ${await sha256InSlices(bytes)}`;
  for (let run = 0; run < runs; run++) {
    (globalThis as { gc?: () => void }).gc?.();
    const monitor = monitorEventLoopDelay({ resolution: 5 });
    monitor.enable();
    const phase = monitorEventLoopDelay({ resolution: 5 });
    phase.enable();
    const phaseMax = { load: 0, typing: 0, edit: 0 };
    const endPhase = (name: keyof typeof phaseMax) => {
      phaseMax[name] = phase.max / 1e6;
      phase.reset();
    };
    // A first start on the desktop: the worker keeps its index in a folder, empty so far.
    const dir = mkdtempSync(join(tmpdir(), 'paperscope-bench-cache-'));
    const watched = blocksWatched();
    let longest: ReturnType<typeof watched.stop>;
    const t0 = performance.now();
    const lib = JSON.parse(readFileSync(libraryPath, 'utf8')) as SerializedLibrary;
    const text: FullText =
      place === 'worker'
        ? new WorkerFullText(startNodeIndexWorker(join(root, 'dist', 'indexWorker.js'), libraryPath, { dir, version: 'bench' }), pause)
        : new InProcessFullText(PaperIndex.load(lib), pause);
    const host = PaperIndex.lookupsOnly(lib.papers);
    const model = new LibraryModel(host.papers);
    let last: BibParseResult | undefined;
    /** The text as last read, before the parse cut its pieces (BibFile.readText). */
    let lastRead: PiecedText | undefined;
    let settled = false;
    let titles: Promise<TitleMatcher> | undefined;
    const load = async (read: Uint8Array) => {
      // As BibFiles does: the bytes decoded, in pieces; a file read again is decoded and parsed again only around what changed.
      const source = await decodeAgain(read, lastRead, pause);
      lastRead = source;
      const followers = { model, lookups: host, fullText: <T>(f: (t: FullText) => Promise<T>) => f(text) };
      // As Library does: before `settle` a worker is sent each paper as it is read (a first read) or as the model makes it.
      const ahead = place === 'worker' && !settled && !last ? new ReadAhead(followers, file, pause, () => true) : undefined;
      const parsed = last ? await reparseBibtexInSlices(last.text, last, source, pause) : await parseBibtexInSlices(source, pause, {}, ahead?.read);
      last = parsed;
      const input = { file, text: parsed.text, entries: parsed.entries, strings: parsed.strings, byKey: parsed.byKey };
      await followFile(followers, file, input, pause, place === 'worker' && !settled, ahead);
    };
    // As DocumentScanner does once the library changed (and, at start-up, is searchable): a title matcher built, or updated where the papers changed, in slices.
    const matchTitles = () => (titles = titles ? titles.then((m) => m.updateInSlices(host.papers, pause)) : TitleMatcher.buildInSlices(host.papers, pause));
    try {
      await load(bytes);
      // As Library does once the workspace's files are read: the worker indexes what came.
      settled = true;
      await text.settle(sources);
      figures.ready.push(performance.now() - t0);
      await matchTitles();
      figures.titlesReady.push(performance.now() - t0);
      endPhase('load');
      for (const k of keystrokes) {
        // A person types between keystrokes: the event loop runs in between.
        await pause();
        const t = performance.now();
        const refs = (await text.search(k, { limit: 50 })) ?? [];
        refs.forEach((r) => host.get(r.id));
        figures.keystrokes.push(performance.now() - t);
      }
      endPhase('typing');
      // Edit one entry's title, as a save of the .bib does (the file is read again whole).
      const t1 = performance.now();
      await load(edited);
      matchTitles();
      const found = (await text.search('zyxwvut')) ?? [];
      figures.edit.push(performance.now() - t1);
      await titles;
      endPhase('edit');
      if (found.length !== 1) {
        throw new Error(`the edited entry is not found (${found.length} hits)`);
      }
      // What the host keeps once the library is up, not the garbage loading left behind
      // (the bench runs with --expose-gc); after the delay monitors have had their say.
      monitor.disable();
      phase.disable();
      longest = watched.stop();
      (globalThis as { gc?: () => void }).gc?.();
      figures.hostHeapMB.push(process.memoryUsage().heapUsed / 1024 / 1024);
      void host.size; // the host's index and model are what is measured: keep them alive until here
      void model;
    } finally {
      monitor.disable();
      phase.disable();
      longest ??= watched.stop();
      await text.stop(); // once the worker has stored its index, if it still had to
      rmSync(dir, { recursive: true, force: true });
    }
    figures.phaseMax.push(phaseMax);
    if (longest) {
      figures.longestSlice.push(longest);
    }
    figures.maxBlock.push(monitor.max / 1e6);
    figures.p99Block.push(monitor.percentile(99) / 1e6);
  }
  return figures;
}

export interface ReloadFigures {
  /** First start: open → searchable, with the index built and kept, ms. */
  readonly first: number;
  /** Later starts: open → searchable, the index loaded from what was kept, ms. */
  readonly reload: number[];
  /**
   * Later starts: open → a search finds the .bib's papers, answered from the kept index
   * while the host still parses the .bib (Library.expectKept), ms.
   */
  readonly early: number[];
  /** Of a reload, the host's own part: parse and model, ms. */
  readonly hostPart: number[];
  /** Longest event-loop delay of the host during the reloads, ms. */
  readonly maxBlock: number;
  /** The reloads' longest host block, as `LoadFigures.longestSlice` (absent where not measured). */
  readonly longestSlice?: { held: number; running: number; waiting: number };
  /** A start after the .bib changed while closed (an entry added at the top, one edited): open → searchable, ms. */
  readonly changed: number;
  /**
   * A start after the last session saved an edited entry (its index kept with the files'
   * names after the edit): open → a search finds the .bib's papers, and → every entry
   * searchable, ms; and where its index came from.
   */
  readonly afterSessionEdit: { early?: number; total: number; from: string };
}

/** The .bib with one entry in its middle edited, as a person saves it in a session. */
export function editedInSession(bib: Buffer): Buffer {
  const brace = bib.indexOf('title = {', Math.floor(bib.length / 2)) + 'title = {'.length;
  return Buffer.concat([bib.subarray(0, brace), Buffer.from('Revised in the session: '), bib.subarray(brace)]);
}

/** The .bib as the user changed it while VS Code was closed: an entry added at the top (every later entry's id moves), the first title edited. */
export function changedWhileClosed(bib: Buffer): Buffer {
  // The generated entries write `title = {`.
  const brace = bib.indexOf('title = {') + 'title = {'.length;
  const added = '@article{added2026closed,\n  title = {An Entry Added While the Editor Was Closed},\n  author = {Doe, Jane},\n  year = {2026}\n}\n\n';
  return Buffer.concat([Buffer.from(added), bib.subarray(0, brace), Buffer.from('Revised: '), bib.subarray(brace)]);
}

/** Resolves once the worker has stored an index in `dir` (written after `since`, ms since the epoch). */
export async function keptSince(dir: string, since: number, timeoutMs = 300_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; ) {
    if (readdirSync(dir).some((f) => /^index-.*\.bin$/.test(f) && statSync(join(dir, f)).mtimeMs >= since)) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the worker did not store its index');
}

/** Opening the same workspace again: the worker loads the index it kept instead of indexing. */
export async function benchReload(root: string, bib: Buffer, runs: number): Promise<ReloadFigures> {
  const libraryPath = join(root, 'dist', 'library.json');
  const dir = mkdtempSync(join(tmpdir(), 'paperscope-bench-cache-'));
  // The .bib's first key, as a user types it: found only when the .bib's papers are searchable.
  const probe = /@\w+\s*\{\s*([^,\s]+)/.exec(bib.subarray(0, 4096).toString('utf8'))?.[1] ?? '';
  // The file's bytes as the host reads them (the bench starts from its text; the host
  // decodes them, in slices, as timed here): made before the host is watched, as the
  // bench's own work.
  const sourcesOf = async (bytes: Uint8Array) => `file:///workspace/library.bib ${await sha256InSlices(bytes)}`;
  /** A window opened on `bytes`; with `session`, the .bib is then saved so and the window stays open until its index is kept. */
  const open = async (bytes: Uint8Array = Buffer.from(bib), session?: Buffer): Promise<{ total: number; host: number; from: string; early?: number }> => {
    const t0 = performance.now();
    // As the extension starts: the worker first, then the bundled library in this thread.
    const text = new WorkerFullText(startNodeIndexWorker(join(root, 'dist', 'indexWorker.js'), libraryPath, { dir, version: 'bench' }), pause);
    const lib = JSON.parse(readFileSync(libraryPath, 'utf8')) as SerializedLibrary;
    try {
      // As BibFiles does on the desktop: the file's bytes are digested as read, before parsing.
      const sources = await sourcesOf(bytes);
      const early = text.expect(sources).then(async (answering) => {
        const hits = answering ? ((await text.search(probe, { limit: 5, withPapers: true })) ?? []) : [];
        return hits.some((h) => h.paper?.source === 'user') ? performance.now() - t0 : undefined;
      });
      const host = PaperIndex.lookupsOnly(lib.papers);
      const model = new LibraryModel(host.papers);
      const file = 'file:///workspace/library.bib';
      const followers = { model, lookups: host, fullText: <T>(f: (t: FullText) => Promise<T>) => f(text) };
      const ahead = new ReadAhead(followers, file, pause, () => true);
      const read = await decodePieces(bytes, pause);
      const parsed = await parseBibtexInSlices(read, pause, {}, ahead.read);
      const follow = (p: BibParseResult, early: boolean, read?: ReadAhead) =>
        followFile(followers, file, { file, text: p.text, entries: p.entries, strings: p.strings, byKey: p.byKey }, pause, early, read);
      await follow(parsed, true, ahead);
      const hostDone = performance.now();
      const from = await text.settle(sources);
      if (((await text.search('zzzznothing')) ?? []).length !== 0) {
        throw new Error('unexpected hits');
      }
      const total = performance.now() - t0;
      if (from !== 'cache') {
        await keptSince(dir, Date.now() - total - 1000); // the worker stores a new index after it answers
      }
      if (session) {
        // As BibFiles and Library do at a save: read again, then the files named as they are now.
        const since = Date.now();
        await follow(await reparseBibtexInSlices(parsed.text, parsed, await decodeAgain(session, read, pause), pause), false);
        await text.keepWith(await sourcesOf(session));
        await keptSince(dir, since); // once the changes are quiet
      }
      return { total, host: hostDone - t0, from, early: await early };
    } finally {
      text.dispose();
    }
  };
  const first = await open();
  if (first.from !== 'indexing') {
    throw new Error(`first start: ${first.from}`);
  }
  const reload: number[] = [];
  const early: number[] = [];
  const hostPart: number[] = [];
  let maxBlock = 0;
  let longestSlice: ReloadFigures['longestSlice'];
  for (let i = 0; i < runs; i++) {
    const bytes = Buffer.from(bib);
    (globalThis as { gc?: () => void }).gc?.();
    // Watched from after the bench's own collection, which is no part of a reload.
    const monitor = monitorEventLoopDelay({ resolution: 5 });
    monitor.enable();
    const watched = blocksWatched();
    const r = await open(bytes);
    monitor.disable();
    maxBlock = Math.max(maxBlock, monitor.max / 1e6);
    const slice = watched.stop();
    if (slice && slice.held > (longestSlice?.held ?? -1)) {
      longestSlice = slice;
    }
    if (r.from !== 'cache') {
      throw new Error(`reload ${i}: ${r.from}`);
    }
    reload.push(r.total);
    hostPart.push(r.host);
    if (r.early === undefined) {
      throw new Error(`reload ${i}: the kept index did not answer before the .bib was parsed`);
    }
    early.push(r.early);
  }
  const changedBib = changedWhileClosed(bib); // made before it is measured
  (globalThis as { gc?: () => void }).gc?.();
  const changed = await open(changedBib);
  // The files changed since: indexed afresh from the papers tokenized as they came.
  if (changed.from !== 'indexing') {
    throw new Error(`start after a change: ${changed.from}`);
  }
  if (changed.early !== undefined) {
    throw new Error('the kept index answered early for a .bib changed since');
  }
  // A session that saves an edited entry, then the next start.
  const inSession = editedInSession(changedBib);
  await open(changedBib, inSession);
  (globalThis as { gc?: () => void }).gc?.();
  const next = await open(inSession);
  rmSync(dir, { recursive: true, force: true });
  return { first: first.total, reload, early, hostPart, maxBlock, longestSlice, changed: changed.total, afterSessionEdit: { early: next.early, total: next.total, from: next.from } };
}
