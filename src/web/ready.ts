/** What the browser build's index worker sends once it has taken the bundled library: it runs. */
export const READY = { type: 'ready' } as const;

/**
 * How long the host waits for READY before it takes the worker for dead and searches in
 * its own thread: a worker a page's policy stops before its first line says nothing.
 */
export const READY_WITHIN_MS = 20_000;
