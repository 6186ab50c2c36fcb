// One .bib file's change followed through: the model, the host's lookups, the full text.
// The extension's Library and the load bench both go through here.
import type { BibEntry, OnRead } from '../bib/parser';
import type { FullText } from '../search/fullText';
import { fullTextChange, type LibraryChange, type PaperIndex } from '../search/searchIndex';
import type { BibFileInput, LibraryModel, RecordsAhead } from './libraryModel';
import type { Paper } from './paper';
import { ShardedMap } from '../text/shardedMap';
import type { TextLike } from '../text/pieces';
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
 * Papers sent to a worker before the library holds them (a worker before `settle` only
 * collects them), in batches, each once the thread was given back: a batch's copy does
 * not lengthen the slice that made it. What was sent is kept, to be put right afterwards.
 */
class EarlyPapers {
  /** Every paper sent, by id. */
  readonly sent = new ShardedMap<number, Paper>();
  private batch: Paper[] = [];
  private readonly sending: Promise<void>[] = [];

  constructor(
    private readonly to: Followers,
    private readonly pause: () => Promise<void>,
  ) {}

  add(paper: Paper): void {
    if (this.sent.get(paper.id) !== paper) {
      this.sent.set(paper.id, paper);
      this.batch.push(paper);
      if (this.batch.length >= EARLY_BATCH) {
        this.flush();
      }
    }
  }

  flush(): void {
    if (this.batch.length > 0) {
      const upserted = this.batch;
      this.batch = [];
      this.sending.push(this.pause().then(() => this.to.fullText((t) => t.apply({ removed: [], upserted }))));
    }
  }

  /** Once every batch is sent. */
  async done(): Promise<void> {
    this.flush();
    await Promise.all(this.sending);
  }
}

/**
 * A file's first read at start-up made into papers while it is still parsed (the parser's
 * `onRead`): the worker tokenizes them from the parse's first slices instead of waiting
 * for the whole parse (at 100,000 entries, three seconds of the host's). The records are
 * the model's (RecordsAhead), checked by `setFile` before it takes them; what was sent
 * is put right by `followFile` like anything else sent early. `canStart` says when the
 * model may be asked for the ids ahead (nothing else is being read into it); until then,
 * and once `close`d, a read does nothing.
 */
export class ReadAhead {
  private records: RecordsAhead | undefined;
  private started = false;
  private closed = false;
  /** Entries looked at. */
  private looked = 0;
  readonly papers: EarlyPapers;

  /** `earlier`: this file's previous read ahead, dropped for this one (what it sent is put right with this one's). */
  constructor(
    private readonly to: Followers,
    private readonly file: string,
    private readonly pause: () => Promise<void>,
    private readonly canStart: () => boolean,
    earlier?: ReadAhead,
  ) {
    earlier?.close();
    this.papers = earlier?.papers ?? new EarlyPapers(to, pause);
  }

  /** For `parseBibtexInSlices`. */
  readonly read: OnRead = async (entries: readonly BibEntry[], text: () => TextLike): Promise<void> => {
    if (!this.started && !this.closed && this.canStart()) {
      this.started = true;
      this.records = this.to.model.ahead(this.file);
    }
    const records = this.records;
    if (this.closed || !records || this.looked === entries.length || !records.canMake(entries.length)) {
      return;
    }
    const tick = ticker(this.pause);
    const read = text();
    for (; this.looked < entries.length; this.looked++) {
      await tick();
      if (this.closed) {
        return;
      }
      const paper = records.make(this.looked, entries[this.looked], read);
      if (paper) {
        this.papers.add(paper);
      }
    }
  };

  /** No more records: the file's change is being followed (or a newer read took over). */
  close(): RecordsAhead | undefined {
    this.closed = true;
    return this.records;
  }
}

/**
 * Applies a file's new content (or its removal, `input` undefined). With `early` (a
 * worker before `settle`, which only collects papers — and on a first start tokenizes
 * them as they come), each entry's paper is sent as the model makes it, while it still
 * reads the file, and afterwards only what the library holds differently under the ids
 * sent: gone (merged into another paper) or another paper (the group's). `ahead`: the
 * file's read ahead during its parse (its records are used, what it sent is put right).
 */
export async function followFile(to: Followers, file: string, input: BibFileInput | undefined, pause: () => Promise<void>, early = false, ahead?: ReadAhead): Promise<void> {
  const records = ahead?.close();
  const papers = ahead?.papers ?? new EarlyPapers(to, pause);
  const made = early ? (paper: Paper) => papers.add(paper) : undefined;
  const delta = input ? await to.model.setFile(input, pause, undefined, made, records) : await to.model.removeFile(file, pause);
  papers.flush();
  let forText = await fullTextChange(to.lookups, delta, pause);
  await to.lookups.applyInSlices(delta, pause);
  if (papers.sent.size > 0) {
    forText = await besidesSent(to.lookups, forText, papers.sent, pause);
  }
  await papers.done();
  await to.fullText((t) => t.apply(forText));
}

/** A read ahead whose file's change never came (its parse was dropped): what it sent is put right. */
export async function dropReadAhead(to: Followers, ahead: ReadAhead, pause: () => Promise<void>): Promise<void> {
  ahead.close();
  const forText = await besidesSent(to.lookups, { removed: [], upserted: [] }, ahead.papers.sent, pause);
  await ahead.papers.done();
  await to.fullText((t) => t.apply(forText));
}

/** What the full text must still do after `sent` went to it: the change's other papers, and the sent ones the library holds differently or not at all. */
async function besidesSent(lookups: PaperIndex, change: LibraryChange, sent: ShardedMap<number, Paper>, pause: () => Promise<void>): Promise<LibraryChange> {
  // A first start of 100,000 entries sent them all: one pass over them held the host 99 ms.
  const tick = ticker(pause);
  const removed: number[] = [];
  for (const id of change.removed) {
    await tick();
    if (!sent.has(id)) {
      removed.push(id);
    }
  }
  const upserted: Paper[] = [];
  for (const p of change.upserted) {
    await tick();
    if (!sent.has(p.id)) {
      upserted.push(p);
    }
  }
  for (const [id, paper] of sent) {
    await tick();
    const now = lookups.get(id);
    if (!now) {
      removed.push(id);
    } else if (now !== paper) {
      upserted.push(now);
    }
  }
  return { removed, upserted };
}
