/** What the browser build's index worker sends once it has taken the bundled library: it runs. */
export const READY = { type: 'ready' } as const;

/**
 * How long the host waits for READY before it takes the worker for dead and searches in
 * its own thread: a worker a page's policy stops before its first line says nothing.
 */
export const READY_WITHIN_MS = 20_000;

/**
 * The browser build's index worker's first message: the bundled library's text, and
 * where its kept indexes go (none when absent): the workspace's id and the extension's
 * version, which is in their keys.
 */
export interface WebWorkerStart {
  readonly bundled: string;
  readonly kept?: { readonly workspace: string; readonly version: string };
}
