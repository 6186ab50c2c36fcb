import * as vscode from 'vscode';
import { portFailure, type FromIndex, type IndexPort, type ToIndex } from '../core/search/fullText';
import { READY, READY_WITHIN_MS, type WebWorkerStart } from './ready';

/**
 * Starts the browser build's index worker (a Web Worker running dist/web/indexWorker.js)
 * on the bundled library's bytes, keeping indexes for `kept` (see `WebWorkerStart`);
 * undefined where the host has no `Worker`.
 *
 * The script is read through `workspace.fs` and started from a blob: URL, because an
 * extension's files are not always at a URL a worker may load (code-server serves a
 * remote extension's files as vscode-remote: URIs, which VS Code's worker host refuses to
 * start a worker from). Messages sent before the worker is up wait, in order. If the
 * script cannot be read, the worker fails, or it does not say READY in time, `onError`
 * is told once and the library falls back to this thread.
 */
export function startWebIndexWorker(script: vscode.Uri, bundled: Promise<Uint8Array>, kept?: WebWorkerStart['kept']): IndexPort | undefined {
  const Constructor = (globalThis as { Worker?: typeof Worker }).Worker;
  if (typeof Constructor !== 'function') {
    return undefined;
  }
  const waiting: ToIndex[] = [];
  let worker: Worker | undefined;
  let url: string | undefined;
  let stopped = false;
  let listener: ((m: FromIndex) => void) | undefined;
  const failure = portFailure();
  let silent: ReturnType<typeof setTimeout> | undefined;
  void (async () => {
    const [code, text] = await Promise.all([vscode.workspace.fs.readFile(script), bundled]);
    if (stopped) {
      return;
    }
    url = URL.createObjectURL(new Blob([new TextDecoder().decode(code)], { type: 'text/javascript' }));
    const started = new Constructor(url, { name: 'Paperscope index' });
    silent = setTimeout(() => failure.fail(new Error(`the index worker did not start in ${READY_WITHIN_MS / 1000} s`)), READY_WITHIN_MS);
    started.onmessage = (event: MessageEvent<FromIndex | typeof READY>) => {
      if (event.data.type === READY.type) {
        clearTimeout(silent);
      } else {
        listener?.(event.data);
      }
    };
    started.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      failure.fail(new Error(`the index worker failed (${event.message || 'no message'})`));
    };
    started.onmessageerror = () => failure.fail(new Error('the index worker sent a message that could not be read'));
    started.postMessage({ bundled: new TextDecoder().decode(text), kept } satisfies WebWorkerStart);
    waiting.splice(0).forEach((m) => started.postMessage(m));
    worker = started;
  })().catch((err: unknown) => failure.fail(new Error(`the index worker did not start (${err instanceof Error ? err.message : String(err)})`)));
  return {
    postMessage: (m) => (worker ? worker.postMessage(m) : waiting.push(m)),
    onMessage: (l) => (listener = l),
    onError: failure.onError,
    terminate: () => {
      failure.stopping();
      stopped = true;
      clearTimeout(silent);
      worker?.terminate();
      if (url) {
        URL.revokeObjectURL(url);
      }
    },
  };
}
