// The search index's own thread (Node worker_threads): it loads the bundled index
// itself, then answers the extension host's messages one at a time, in order.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { IndexServer, type ToIndex } from '../core/search/fullText';
import type { SerializedLibrary } from '../core/search/searchIndex';

const { libraryPath } = workerData as { libraryPath: string };
const server = IndexServer.fromLibrary(JSON.parse(readFileSync(libraryPath, 'utf8')) as SerializedLibrary);
parentPort?.on('message', (message: ToIndex) => {
  parentPort?.postMessage(server.handle(message));
});
