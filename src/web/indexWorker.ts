// The search index's own thread in the browser build: a Web Worker that the browser's
// extension host starts (webIndexPort.ts). Its first message (`WebWorkerStart`) is the
// bundled library's text and where to keep indexes; it acknowledges it (READY) at once,
// and answers every later one (a ToIndex) in order — once its kept indexes are open
// (IndexedDB answers asynchronously; messages wait meanwhile). As the Node worker does,
// it keeps the index of the workspace's papers between sessions (browserCache.ts), and a
// first start's papers are collected and indexed together, in the frozen layout.
import { answerStoring, IndexServer, keptIndexSalt, type ToIndex } from '../core/search/fullText';
import { jsonKeptCodec } from '../core/search/blobCodec';
import { QuietSteps, timerClock } from '../core/search/quietSteps';
import type { SerializedLibrary } from '../core/search/searchIndex';
import { sha256Parts } from '../core/text/digest';
import { openBrowserCache } from './browserCache';
import { READY, type WebWorkerStart } from './ready';

/** What this file needs of a dedicated worker's global scope (the DOM library types `self` as a window). */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
};

/** A workspace not opened for this long gives its kept index back (as on the desktop). */
const KEPT_INDEX_MAX_AGE_MS = 90 * 24 * 3600 * 1000;
/** How long the kept indexes may take to open before the worker goes on without them. */
const OPEN_WITHIN_MS = 10_000;

// A new index is stored a second after the last change (ten after changes in a session),
// in steps (a chunk each) with searches answered between them (quietSteps.ts).
const storing = new QuietSteps(timerClock((run) => setTimeout(run, 0)));

let server: IndexServer | undefined;

/** The bundled library, parsed when first needed: until a search or a change, the bundled index is not loaded. */
const bundledOf = (text: string) => () => JSON.parse(text) as SerializedLibrary;

/** A server that keeps nothing (no IndexedDB, or it failed), collecting a first start's papers all the same. */
const withoutCache = (text: string) => new IndexServer(bundledOf(text), undefined, true);

/** Messages that came while the kept indexes were being opened. */
let waiting: ToIndex[] | undefined;

async function start({ bundled, kept }: WebWorkerStart): Promise<void> {
  const library = bundledOf(bundled);
  const store = kept
    ? await Promise.race([
        openBrowserCache({ factory: scope.indexedDB, keyRange: scope.IDBKeyRange }, kept.workspace, { maxAgeMs: KEPT_INDEX_MAX_AGE_MS }),
        new Promise<undefined>((resolve) => setTimeout(resolve, OPEN_WITHIN_MS)),
      ])
    : undefined;
  server = store
    ? new IndexServer(library, {
        store,
        codec: jsonKeptCodec,
        digest: sha256Parts,
        salt: keptIndexSalt(sha256Parts, bundled, kept!.version, 'json'),
        later: (write, quietMs) => storing.later(write, quietMs),
        flush: () => storing.flush(),
      })
    : withoutCache(bundled);
  server.preload();
  answerWaiting();
}

function answerWaiting(): void {
  for (const m of waiting?.splice(0) ?? []) {
    scope.postMessage(answerStoring(server!, storing, m));
  }
  waiting = undefined;
  idleAhead();
}

let stepping = false;
/** The work ahead once settled (the filters' table, a warm-up), a step a timer turn with messages answered between (IndexServer.idleStep). */
function idleAhead(): void {
  if (!stepping && server?.hasIdleSteps()) {
    stepping = true;
    setTimeout(() => {
      stepping = false;
      server?.idleStep();
      idleAhead();
    }, 0);
  }
}

scope.onmessage = ({ data }) => {
  if (server) {
    scope.postMessage(answerStoring(server, storing, data as ToIndex));
    idleAhead();
  } else if (waiting) {
    waiting.push(data as ToIndex);
  } else {
    waiting = [];
    scope.postMessage(READY);
    void start(data as WebWorkerStart).catch(() => {
      // Never without a server: without kept indexes, then.
      server = withoutCache((data as WebWorkerStart).bundled);
      answerWaiting();
    });
  }
};
