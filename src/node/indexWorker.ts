// The search index's own thread (Node worker_threads): it loads the bundled index
// itself, then answers the extension host's messages one at a time, in order. With a
// cache folder it keeps whole indexes between sessions (see IndexServer).
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { IndexServer, type ToIndex } from '../core/search/fullText';
import { folderCache, sha256 as digest, v8Codec } from './folderCache';
import { ABSTRACT_KEYWORDS, FULL_ABSTRACTS_UP_TO, LIBRARY_FORMAT, type SerializedLibrary } from '../core/search/searchIndex';

const { libraryPath, cacheDir, version } = workerData as { libraryPath: string; cacheDir?: string; version?: string };

const text = readFileSync(libraryPath, 'utf8');
const bundled = JSON.parse(text) as SerializedLibrary;
// Anything that changes what an index holds changes the key: the bundled library, the
// format, the indexing constants, the extension's version and the serializer's (V8's).
const salt = digest([text, String(LIBRARY_FORMAT), String(ABSTRACT_KEYWORDS), String(FULL_ABSTRACTS_UP_TO), version ?? '', process.versions.v8]);
// A new index is stored (seconds of work at 20,000 papers) once no message has come for a
// second after the reply that made it searchable: typing goes first.
const QUIET_MS = 1000;
let waitingWrite: (() => void) | undefined;
let quietTimer: ReturnType<typeof setTimeout> | undefined;
/** Runs a waiting write now: once quiet, or when the host is stopping. */
const flush = (): void => {
  clearTimeout(quietTimer);
  const write = waitingWrite;
  waitingWrite = undefined;
  write?.();
};
/** (Re)starts the wait for quiet, if a write is waiting. */
const waitForQuiet = (): void => {
  clearTimeout(quietTimer);
  if (waitingWrite) {
    quietTimer = setTimeout(flush, QUIET_MS);
  }
};
const whenQuiet = (task: () => void): void => {
  waitingWrite = task;
  waitForQuiet();
};
const server = new IndexServer(bundled, cacheDir ? { store: folderCache(cacheDir), codec: v8Codec, digest, salt, later: whenQuiet, flush } : undefined);
parentPort?.on('message', (message: ToIndex) => {
  // Not quiet yet: a waiting write waits again.
  waitForQuiet();
  parentPort?.postMessage(server.handle(message));
});
// While the host reads the workspace's .bib files (messages wait meanwhile).
server.preload();
