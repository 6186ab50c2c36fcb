// The search index's own thread (Node worker_threads): it loads the bundled index
// itself, then answers the extension host's messages one at a time, in order. With a
// cache folder it keeps whole indexes between sessions (see IndexServer).
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { IndexServer, type ToIndex } from '../core/search/fullText';
import { finish } from '../core/search/frozenIndex';
import { folderCache, sha256 as digest, v8Codec } from './folderCache';
import { ABSTRACT_KEYWORDS, FULL_ABSTRACTS_UP_TO, LIBRARY_FORMAT, type SerializedLibrary } from '../core/search/searchIndex';

const { libraryPath, cacheDir, version } = workerData as { libraryPath: string; cacheDir?: string; version?: string };

const text = readFileSync(libraryPath, 'utf8');
const bundled = JSON.parse(text) as SerializedLibrary;
// Anything that changes what an index holds changes the key: the bundled library, the
// format, the indexing constants, the extension's version and the serializer's (V8's).
const salt = digest([text, String(LIBRARY_FORMAT), String(ABSTRACT_KEYWORDS), String(FULL_ABSTRACTS_UP_TO), version ?? '', process.versions.v8]);
// A new index is stored (seconds of work at 20,000 papers) once no change has come for a
// second after the reply that made it searchable, in steps of about 20 ms with searches
// answered between them (typing goes on; a window reloaded soon after still finds it). A
// change that comes meanwhile stops the steps (the index must not change under them),
// and the storing starts again a second after the last change.
const QUIET_MS = 1000;
const SLICE_MS = 20;
type Write = () => Generator<void, void>;
let waitingWrite: Write | undefined;
/** The write under way, and its steps. */
let running: { readonly write: Write; readonly steps: Generator<void, void> } | undefined;
let quietTimer: ReturnType<typeof setTimeout> | undefined;
/** Runs steps of the running write for a slice, then gives the thread back. */
const step = (): void => {
  const run = running;
  if (!run) {
    return;
  }
  for (const end = performance.now() + SLICE_MS; performance.now() < end; ) {
    if (run.steps.next().done) {
      running = undefined;
      if (waitingWrite === run.write) {
        waitingWrite = undefined;
      }
      return;
    }
  }
  setImmediate(() => {
    if (running === run) {
      step();
    }
  });
};
/** (Re)starts the wait for a second without changes, if a write is waiting and none is under way. */
const waitForQuiet = (): void => {
  clearTimeout(quietTimer);
  if (waitingWrite && !running) {
    const write = waitingWrite;
    quietTimer = setTimeout(() => {
      running = { write, steps: write() };
      step();
    }, QUIET_MS);
  }
};
/** Runs a waiting write to the end now, from where it is if under way: the host is stopping. */
const flush = (): void => {
  clearTimeout(quietTimer);
  const write = waitingWrite;
  const run = running;
  waitingWrite = undefined;
  running = undefined;
  if (write) {
    finish(run?.write === write ? run.steps : write());
  }
};
const whenQuiet = (write: Write): void => {
  waitingWrite = write;
  running = undefined; // a newer index to store supersedes one being stored
  waitForQuiet();
};
const server = new IndexServer(bundled, cacheDir ? { store: folderCache(cacheDir), codec: v8Codec, digest, salt, later: whenQuiet, flush } : undefined);
parentPort?.on('message', (message: ToIndex) => {
  if (message.type === 'apply' || message.type === 'settle') {
    // The index may change: a write under way stops, a waiting one waits again.
    running = undefined;
    waitForQuiet();
  }
  parentPort?.postMessage(server.handle(message));
});
// While the host reads the workspace's .bib files (messages wait meanwhile).
server.preload();
