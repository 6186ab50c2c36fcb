// The search index's own thread (Node worker_threads): it loads the bundled index
// itself, then answers the extension host's messages one at a time, in order. With a
// cache folder it keeps whole indexes between sessions (see IndexServer).
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { changesIndex, IndexServer, type ToIndex } from '../core/search/fullText';
import { QuietSteps } from '../core/search/quietSteps';
import { folderCache, keptCodec, sha256 as digest } from './folderCache';
import { ABSTRACT_KEYWORDS, FULL_ABSTRACTS_UP_TO, LIBRARY_FORMAT, type SerializedLibrary } from '../core/search/searchIndex';

const { libraryPath, cacheDir, version } = workerData as { libraryPath: string; cacheDir?: string; version?: string };

const text = readFileSync(libraryPath, 'utf8');
const bundled = JSON.parse(text) as SerializedLibrary;
// Anything that changes what an index holds changes the key: the bundled library, the
// format, the indexing constants, the extension's version and the serializer's (V8's).
const salt = digest([text, String(LIBRARY_FORMAT), String(ABSTRACT_KEYWORDS), String(FULL_ABSTRACTS_UP_TO), version ?? '', process.versions.v8]);
// A new index is stored a second after the last change, in ~20 ms steps with searches
// answered between them (quietSteps.ts).
const storing = new QuietSteps({
  now: () => performance.now(),
  after: (ms, run) => {
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  },
  soon: (run) => setImmediate(run),
});
const server = new IndexServer(bundled, cacheDir ? { store: folderCache(cacheDir), codec: keptCodec, digest, salt, later: (write) => storing.later(write), flush: () => storing.flush() } : undefined);
parentPort?.on('message', (message: ToIndex) => {
  if (changesIndex(message)) {
    // The index may change: a write under way stops, a waiting one waits again.
    storing.changed();
  }
  parentPort?.postMessage(server.handle(message));
  if (message.type === 'search' || message.type === 'related') {
    // Someone is typing: storing steps under way let the next keystroke through first.
    storing.searched();
  }
});
// While the host reads the workspace's .bib files (messages wait meanwhile).
server.preload();
