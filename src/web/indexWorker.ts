// The search index's own thread in the browser build: a Web Worker that the browser's
// extension host starts (webIndexPort.ts). Its first message is the bundled library's
// text, which it acknowledges (READY); it answers every later one (a ToIndex) at once, in
// order. No cache here yet: papers that come before `settle` are collected and indexed
// together, in the frozen layout, as the Node worker does on a first start.
import { IndexServer, type ToIndex } from '../core/search/fullText';
import type { SerializedLibrary } from '../core/search/searchIndex';
import { READY } from './ready';

/** What this file needs of a dedicated worker's global scope (the DOM library types `self` as a window). */
const scope = self as unknown as { onmessage: ((event: MessageEvent) => void) | null; postMessage(message: unknown): void };

let server: IndexServer | undefined;
scope.onmessage = ({ data }) => {
  if (server) {
    scope.postMessage(server.handle(data as ToIndex));
    return;
  }
  const text = String(data);
  // Parsed when first needed: until a search or a change, the bundled index is not loaded.
  server = new IndexServer(() => JSON.parse(text) as SerializedLibrary, undefined, true);
  server.preload();
  scope.postMessage(READY);
};
