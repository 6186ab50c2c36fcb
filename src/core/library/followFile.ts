// One .bib file's change followed through: the model, the host's lookups, the full text.
// The extension's Library and the load bench both go through here.
import type { FullText } from '../search/fullText';
import { fullTextChange, type PaperIndex } from '../search/searchIndex';
import type { BibFileInput, LibraryModel } from './libraryModel';
import type { Paper } from './paper';
import { ShardedMap } from '../text/shardedMap';
import { ticker } from '../text/slices';

/** Papers sent at a time while the model makes them (see `early`): a few milliseconds of copying each. */
const EARLY_BATCH = 100;

export interface Followers {
  readonly model: LibraryModel;
  /** The host's papers by id, key, DOI and arXiv id. */
  readonly lookups: PaperIndex;
  /** Runs `f` on the full text (the Library falls back to this thread if a worker fails). */
  readonly fullText: <T>(f: (text: FullText) => Promise<T>) => Promise<T>;
}

/**
 * Applies a file's new content (or its removal, `input` undefined). With `early` (a
 * worker before `settle`, which only collects papers — and on a first start tokenizes
 * them as they come), each entry's paper is sent as the model makes it, while it still
 * reads the file, and afterwards only what the library holds differently under the ids
 * sent: gone (merged into another paper) or another paper (the group's).
 */
export async function followFile(to: Followers, file: string, input: BibFileInput | undefined, pause: () => Promise<void>, early = false): Promise<void> {
  const sent = new ShardedMap<number, Paper>();
  const sending: Promise<void>[] = [];
  let batch: Paper[] = [];
  const send = (): void => {
    if (batch.length > 0) {
      const upserted = batch;
      batch = [];
      // Sent once the model gives the thread back: a batch's copy does not lengthen its slice.
      sending.push(pause().then(() => to.fullText((t) => t.apply({ removed: [], upserted }))));
    }
  };
  const made = early
    ? (paper: Paper) => {
        sent.set(paper.id, paper);
        batch.push(paper);
        if (batch.length >= EARLY_BATCH) {
          send();
        }
      }
    : undefined;
  const delta = input ? await to.model.setFile(input, pause, undefined, made) : await to.model.removeFile(file, pause);
  send();
  let forText = await fullTextChange(to.lookups, delta, pause);
  await to.lookups.applyInSlices(delta, pause);
  if (sent.size > 0) {
    // A first start of 100,000 entries sent them all: one pass over them held the host 99 ms.
    const tick = ticker(pause);
    const removed: number[] = [];
    for (const id of forText.removed) {
      await tick();
      if (!sent.has(id)) {
        removed.push(id);
      }
    }
    const upserted: Paper[] = [];
    for (const p of forText.upserted) {
      await tick();
      if (!sent.has(p.id)) {
        upserted.push(p);
      }
    }
    for (const [id, paper] of sent) {
      await tick();
      const now = to.lookups.get(id);
      if (!now) {
        removed.push(id);
      } else if (now !== paper) {
        upserted.push(now);
      }
    }
    forText = { removed, upserted };
  }
  await Promise.all(sending);
  await to.fullText((t) => t.apply(forText));
}
