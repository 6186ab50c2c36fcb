// Keeps the user's .bib entries in the same index as the bundled papers, one file at a
// time: a changed file replaces only its own entries; nothing is rebuilt.
import type { BibEntry } from '../bib/parser';
import type { Paper } from './paper';
import { FULL_ABSTRACTS_UP_TO, type PaperIndex } from '../search/searchIndex';
import { BundledMatcher, mergeWithBundled, paperFromBibEntry, USER_ID_BASE } from './userPapers';

/** How often a long file yields while its entries go into the index. */
const CHUNK = 100;

export class UserLibrary {
  private readonly files = new Map<string, number[]>();
  private readonly bundled = new Map<number, Paper>();
  private readonly matcher: BundledMatcher;
  /** Bundled ids currently replaced by a user's entry, and by which file. */
  private readonly merged = new Map<number, string>();
  private nextId = USER_ID_BASE;
  private count = 0;

  constructor(private readonly index: PaperIndex) {
    for (const p of index.papers) {
      this.bundled.set(p.id, p);
    }
    this.matcher = new BundledMatcher(index.papers);
  }

  /** Number of the user's entries in the index (merged ones included). */
  get size(): number {
    return this.count;
  }

  get bundledSize(): number {
    return this.bundled.size;
  }

  /** Files with entries in the index. */
  fileNames(): string[] {
    return [...this.files.keys()];
  }

  /**
   * Replaces a file's entries. `pause` is awaited every hundred entries (a few tens of
   * milliseconds of indexing) so that a large file does not hold the thread.
   */
  async setFile(file: string, entries: readonly BibEntry[], text: string, pause?: () => Promise<void>): Promise<void> {
    this.removeFile(file);
    const ids: number[] = [];
    this.files.set(file, ids);
    for (let i = 0; i < entries.length; i++) {
      if (pause && i > 0 && i % CHUNK === 0) {
        await pause();
        if (this.files.get(file) !== ids) {
          return; // a newer version of the file took over meanwhile
        }
      }
      const parsed = paperFromBibEntry(entries[i], text, file, this.nextId++);
      // Whole abstracts while the library is small; keywords once it is large.
      const paper = this.count + entries.length > FULL_ABSTRACTS_UP_TO ? { ...parsed, abstractIndex: 'keywords' as const } : parsed;
      const twin = this.matcher.match(paper);
      if (twin && !this.merged.has(twin.id)) {
        this.merged.set(twin.id, file);
        this.index.upsert(mergeWithBundled(paper, twin));
        ids.push(twin.id);
      } else {
        this.index.upsert(paper);
        ids.push(paper.id);
      }
      this.count++;
    }
  }

  /** Takes a file's entries out; bundled papers it had replaced come back. */
  removeFile(file: string): void {
    const ids = this.files.get(file);
    if (!ids) {
      return;
    }
    this.files.delete(file);
    for (const id of ids) {
      const original = this.bundled.get(id);
      if (original && this.merged.get(id) === file) {
        this.merged.delete(id);
        this.index.upsert(original);
      } else if (!original) {
        this.index.remove(id);
      }
      this.count--;
    }
  }
}
