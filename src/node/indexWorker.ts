// The search index's own thread (Node worker_threads): it loads the bundled index
// itself, then answers the extension host's messages one at a time, in order. With a
// cache folder it keeps whole indexes between sessions (see IndexServer); a large first
// indexing gets a second thread to tokenize part of its papers (dist/tokenizeWorker.js):
// every other batch where there are cores for three threads, and at settle what still
// waits for its turn (IndexServer.settleComing).
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, parentPort, receiveMessageOnPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import { answerStoring, IndexServer, keptIndexSalt, type Tokenizer, type ToIndex } from '../core/search/fullText';
import type { Tokenized } from '../core/search/frozenBuild';
import { QuietSteps, timerClock } from '../core/search/quietSteps';
import { folderCache, keptCodec, sha256 as digest } from './folderCache';
import { asBackgroundThread } from './threadPriority';
import type { SerializedLibrary } from '../core/search/searchIndex';

const { libraryPath, cacheDir, version, tokenizerFrom, tokenizerCores, shareFrom } = workerData as {
  libraryPath: string;
  cacheDir?: string;
  version?: string;
  tokenizerFrom?: number;
  tokenizerCores?: number;
  shareFrom?: number;
};

/**
 * Cores a second tokenizing thread needs while the host still sends papers: one each for
 * the extension host, this thread and it. On two cores it takes the host's: the load
 * bench's 100k first start (five runs each, alternating) had loading blocks of 105–186 ms
 * (median 105) with it against 78–107 ms (median 85) without, and was searchable after
 * 14.6–17.3 s (median 15.9) against 14.9–18.6 s (median 16.0). Once the host has sent
 * everything (IndexServer.settleComing) one core less is enough.
 */
const TOKENIZER_CORES = 3;

// Before anything else: the host gets a core first whenever it wants one (threadPriority.ts).
asBackgroundThread();

const text = readFileSync(libraryPath, 'utf8');
// Parsed when first needed (24–28 ms in a fresh worker thread): a reopen answered by its kept index waits only for the text's digest.
const bundled = (): SerializedLibrary => JSON.parse(text) as SerializedLibrary;
const salt = keptIndexSalt(digest, text, version ?? '', process.versions.v8);
// A new index is stored a second after the last change (ten after changes in a session),
// in ~20 ms steps with searches answered between them (quietSteps.ts).
const storing = new QuietSteps(timerClock((run) => setImmediate(run)));
const server = new IndexServer(
  bundled,
  cacheDir
    ? { store: folderCache(cacheDir), codec: keptCodec, digest, salt, later: (write, quietMs) => storing.later(write, quietMs), flush: () => storing.flush(), tokenizer: startTokenizer, tokenizerFrom, shareFrom, turns: true }
    : undefined,
);

/**
 * The second thread's records come on their own port, read before each message from the
 * host too: while the host sends papers faster than this thread takes them, its port is
 * never idle, and the records would wait until the host stopped.
 */
let records: MessagePort | undefined;

/** The second tokenizing thread, where there is a core for it. */
function startTokenizer(hostIdle: boolean): Tokenizer | undefined {
  if (availableParallelism() < (tokenizerCores ?? TOKENIZER_CORES) - (hostIdle ? 1 : 0)) {
    return undefined;
  }
  const { port1, port2 } = new MessageChannel();
  const thread = new Worker(join(__dirname, 'tokenizeWorker.js'), { name: 'Paperscope tokenizer', workerData: { records: port2 }, transferList: [port2] });
  let stopped = false;
  const stop = (): void => {
    if (!stopped) {
      stopped = true;
      records = undefined;
      port1.close();
      void thread.terminate();
    }
  };
  const failed = (): void => {
    if (!stopped) {
      server.tokenizerFailed(); // (stops it)
      answer();
    }
  };
  thread.on('error', failed);
  thread.on('exit', failed);
  port1.on('message', (m: TokenizedBatch) => {
    take(m);
    answer();
  });
  records = port1;
  return { tokenize: (batch, papers) => thread.postMessage({ batch, papers }), stop };
}

/** A batch's records, as the second thread sends them. */
interface TokenizedBatch {
  readonly batch: number;
  readonly tokenized: Tokenized;
}

function take({ batch, tokenized }: TokenizedBatch): void {
  try {
    server.tokenized(batch, tokenized);
  } catch {
    server.tokenizerFailed(); // (stops the thread; what it had is tokenized here)
  }
}

/** Takes the records the second thread has sent and this thread not yet received. */
function takeRecords(): void {
  for (let m = records && receiveMessageOnPort(records); m; m = records && receiveMessageOnPort(records)) {
    take(m.message as TokenizedBatch);
  }
}

// Messages are answered in order; a settle waits while the second thread still has
// papers (the messages after it wait with it). Papers that came to be tokenized ahead
// are tokenized a batch a turn, between messages (IndexServer.turns); once none waits,
// the work ahead once settled (the filters' table, a warm-up) runs a step a turn
// (IndexServer.idleStep).
const queue: ToIndex[] = [];
let turning = false;
function answer(): void {
  takeRecords();
  while (queue.length > 0 && !(queue[0].type === 'settle' && server.waiting())) {
    parentPort?.postMessage(answerStoring(server, storing, queue.shift()!));
    takeRecords();
  }
  if (!turning && (server.hasTurns() || server.hasIdleSteps())) {
    turning = true;
    setImmediate(turn);
  }
}
function turn(): void {
  turning = false;
  if (server.hasTurns()) {
    server.tokenizeTurn();
  } else {
    server.idleStep();
  }
  answer();
}
parentPort?.on('message', (message: ToIndex) => {
  if (message.type === 'settle') {
    server.settleComing();
  }
  queue.push(message);
  answer();
});
// While the host reads the workspace's .bib files (messages wait meanwhile).
server.preload();
