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
// A new index is stored (seconds of work at 20,000 papers) once no message has come for a
// second after the reply that made it searchable: typing goes first. It is stored in
// steps of about 20 ms; a message that comes meanwhile stops them (it may change the
// index), and the storing starts again once it is quiet.
const QUIET_MS = 1000;
const SLICE_MS = 20;
let waitingWrite: (() => Generator<void, void>) | undefined;
let running: Generator<void, void> | undefined;
let quietTimer: ReturnType<typeof setTimeout> | undefined;
/** Runs steps of the running write for a slice, then gives the thread back. */
const step = (): void => {
  const steps = running;
  if (!steps) {
    return;
  }
  for (const end = performance.now() + SLICE_MS; performance.now() < end; ) {
    if (steps.next().done) {
      running = undefined;
      waitingWrite = undefined;
      return;
    }
  }
  setImmediate(() => {
    if (running === steps) {
      step();
    }
  });
};
/** (Re)starts the wait for quiet, if a write is waiting; a write under way stops. */
const waitForQuiet = (): void => {
  clearTimeout(quietTimer);
  running = undefined;
  if (waitingWrite) {
    const write = waitingWrite;
    quietTimer = setTimeout(() => {
      running = write();
      step();
    }, QUIET_MS);
  }
};
/** Runs a waiting write to the end now: the host is stopping. */
const flush = (): void => {
  clearTimeout(quietTimer);
  const write = waitingWrite;
  waitingWrite = undefined;
  running = undefined;
  if (write) {
    finish(write());
  }
};
const whenQuiet = (write: () => Generator<void, void>): void => {
  waitingWrite = write;
  waitForQuiet();
};
const server = new IndexServer(bundled, cacheDir ? { store: folderCache(cacheDir), codec: v8Codec, digest, salt, later: whenQuiet, flush } : undefined);
parentPort?.on('message', (message: ToIndex) => {
  // Not quiet yet: a write under way stops, a waiting write waits again.
  waitForQuiet();
  parentPort?.postMessage(server.handle(message));
});
// While the host reads the workspace's .bib files (messages wait meanwhile).
server.preload();
