import { Worker } from 'node:worker_threads';
import { portFailure, type FromIndex, type IndexPort, type ToIndex } from '../core/search/fullText';

/**
 * Starts the index worker (dist/indexWorker.js) on the bundled library at `libraryPath`;
 * with `cacheDir` it keeps the index of the workspace's papers there between sessions
 * (`tokenizerFrom`: see TOKENIZER_FROM; `tokenizerCores`: see TOKENIZER_CORES; `shareFrom`:
 * see SHARE_FROM — tests set them low to run the second thread here).
 */
export function startNodeIndexWorker(
  workerPath: string,
  libraryPath: string,
  cache?: { dir: string; version: string; tokenizerFrom?: number; tokenizerCores?: number; shareFrom?: number },
): IndexPort {
  const worker = new Worker(workerPath, {
    workerData: { libraryPath, cacheDir: cache?.dir, version: cache?.version, tokenizerFrom: cache?.tokenizerFrom, tokenizerCores: cache?.tokenizerCores, shareFrom: cache?.shareFrom },
    name: 'Paperscope index',
  });
  // The extension host may exit while the worker idles.
  worker.unref();
  const failure = portFailure();
  worker.on('error', (err) => failure.fail(err instanceof Error ? err : new Error(String(err))));
  worker.on('exit', (code) => failure.fail(new Error(`the index worker exited (code ${code})`)));
  return {
    postMessage: (m: ToIndex) => worker.postMessage(m),
    onMessage: (listener: (m: FromIndex) => void) => worker.on('message', listener),
    onError: failure.onError,
    terminate: () => {
      failure.stopping();
      void worker.terminate();
    },
  };
}
