// The second thread of a large first indexing: tokenizes the batches of papers the index
// worker hands it and sends back their records (FrozenBuilder.tokenizeApart), in order.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Paper } from '../core/library/paper';
import { FrozenBuilder } from '../core/search/frozenBuild';
import { indexOptions, processedTokens } from '../core/search/searchIndex';
import { asBackgroundThread } from './threadPriority';

asBackgroundThread();

// Records go back on their own port (see indexWorker.ts).
const { records } = workerData as { records: MessagePort };
const builder = new FrozenBuilder<Paper>(indexOptions(), processedTokens);
parentPort?.on('message', ({ batch, papers }: { batch: number; papers: readonly Paper[] }) => {
  const tokenized = builder.tokenizeApart(papers);
  records.postMessage({ batch, tokenized }, [tokenized.records.buffer as ArrayBuffer]);
});
