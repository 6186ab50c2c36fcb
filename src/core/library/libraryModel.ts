// The library as distinct papers: the bundled corpus and every entry of the workspace's
// .bib files, grouped so that one paper is one paper however many keys and files name
// it. Two records are the same paper when they share an arXiv id, a DOI, the same key
// and title, or the same normalised title, year and first author. Files change one at
// a time; only the papers they touch are recomputed, and every change comes out as the
// ids to remove and the papers to (re)index, so an index — here or in a worker — follows.
import { parseName } from '../bib/names';
import { inheritFields, resolveMacros, type BibEntry } from '../bib/parser';
import { fold, normalizeTitle } from '../text/text';
import { FNV_BASIS, fnvOf, fnvStep } from '../text/fnv';
import { SLICE_MS, ticker } from '../text/slices';
import { ShardedMap, ShardedSet } from '../text/shardedMap';
import type { TextLike } from '../text/pieces';
import type { Paper, PaperOrigin } from './paper';
import { paperFromBibEntry, USER_ID_BASE } from './userPapers';

/** A parsed .bib file as the model takes it. */
export interface BibFileInput {
  /** URI of the file, as a string. */
  readonly file: string;
  readonly text: TextLike;
  readonly entries: readonly BibEntry[];
  /** The file's own `@string` macros (lower-case names). */
  readonly strings: Readonly<Record<string, string>>;
  /** The parser's table of the first entry of each key (lower case); made here when absent. */
  readonly byKey?: ReadonlyMap<string, BibEntry>;
}

/** What an index must do to follow the model. */
export interface LibraryChange {
  /** Paper ids that are gone (an upserted paper may reuse one). */
  readonly removed: number[];
  /** Papers new or changed, complete. */
  readonly upserted: Paper[];
}

/** Libraries larger than this index abstracts by their keywords (see searchIndex.ts). */
export const KEYWORD_ABSTRACTS_FROM = 5000;

interface Member {
  readonly id: number;
  /** Undefined for a bundled paper. */
  readonly file?: string;
  readonly paper: Paper;
  readonly identity: Identity;
}

/** A record's identity keys, each with its hash in MembersByIdentity. */
export interface Identity {
  readonly keys: readonly string[];
  readonly hashes: readonly number[];
}

interface FileState {
  readonly input: BibFileInput;
  /** Member ids of the file's entries, in file order. */
  memberIds: number[];
  /** Whether some entry uses a macro the file does not define (resolved from other files). */
  readonly unresolved: boolean;
  /** Crossref targets (lower case) that are not keys of the file: parents in other files. */
  readonly outsideRefs: ReadonlySet<string>;
}

/**
 * How a record is known: its arXiv id, DOI, key and title, and title + year + first
 * author's family name. Any shared identity makes two records one paper. Each key comes
 * with its hash in MembersByIdentity, made from the key's parts — each part read once
 * (the title serves two keys), the joined keys never read: the same parts give the same
 * hash, and keys are compared only where hashes match.
 */
export function identityOf(p: Pick<Paper, 'key' | 'title' | 'year' | 'authors' | 'arxiv' | 'doi'>): Identity {
  const keys: string[] = [];
  const hashes: number[] = [];
  if (p.arxiv) {
    keys.push(`arxiv:${p.arxiv}`);
    hashes.push(mixed(fnvStep(FNV_BASIS, fnvOf(p.arxiv))));
  }
  if (p.doi) {
    const doi = p.doi.toLowerCase();
    keys.push(`doi:${doi}`);
    hashes.push(mixed(fnvStep(fnvStep(FNV_BASIS, 1), fnvOf(doi))));
  }
  const title = p.title === '(untitled)' ? '' : normalizeTitle(p.title);
  if (title.length >= 8) {
    const titleHash = fnvOf(title);
    keys.push(`key:${p.key}|${title}`);
    hashes.push(mixed(fnvStep(fnvStep(fnvStep(FNV_BASIS, 2), fnvOf(p.key)), titleHash)));
    const first = p.authors.length > 0 ? fold(parseName(p.authors[0], false).last).replace(/[^a-z0-9]/g, '') : '';
    keys.push(`title:${title}|${p.year ?? ''}|${first}`);
    hashes.push(mixed(fnvStep(fnvStep(fnvStep(fnvStep(FNV_BASIS, 3), titleHash), p.year ?? -1), fnvOf(first))));
  }
  return { keys, hashes };
}

/** A hash's bits mixed, so that its low ones pick a slot well. */
function mixed(h: number): number {
  const m = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return m ^ (m >>> 16);
}

/** A free slot of MembersByIdentity (ids are never negative). */
const EMPTY = -1;

/**
 * Member ids by identity key, in tables by the keys' 32-bit hashes (`identityOf`; open
 * addressing, linear probing, a slot per key and member): a key's ids are those of the
 * slots with its hash whose member has the key (`holds`, a string comparison only where
 * the hash matches). A Map by the keys themselves took most of a first read's model
 * time after the parse — 300,000 joined keys of ~80 characters at 100,000 entries, each
 * flattened, hashed and inserted into a growing table (see ARCHITECTURE.md, "The identity
 * table by hash"). Each key of a member is added once and deleted once: a slot is one
 * (key, id) pair, so two keys of a member with the same hash take two slots. The slots
 * are split in 64 by the hash's top bits, as ShardedMap splits its Maps: one table of
 * 300,000 keys took 17–37 ms to grow once, a 64th of it well under a millisecond.
 */
class MembersByIdentity {
  private readonly shards = Array.from({ length: 64 }, () => new HashSlots());

  /** `holds(id, key)`: whether member `id` has identity key `key`. */
  constructor(private readonly holds: (id: number, key: string) => boolean) {}

  /** The members with identity key `key`, whose hash is `hash`. */
  get(key: string, hash: number): number[] {
    const { hashes, ids } = this.shards[hash >>> 26];
    const mask = ids.length - 1;
    const found: number[] = [];
    for (let at = hash & mask; ids[at] !== EMPTY; at = (at + 1) & mask) {
      const id = ids[at];
      if (hashes[at] === hash && !found.includes(id) && this.holds(id, key)) {
        found.push(id);
      }
    }
    return found;
  }

  /**
   * Whether no member but `id` has any of its identity keys: `get`'s probe written out,
   * without its arrays (through `get`, a first read's `setFile` at 100k took 690 against
   * 580 ms, medians of three runs of three, out/tmp/modelBench.ts).
   */
  alone(id: number, identity: Identity): boolean {
    for (let k = 0; k < identity.keys.length; k++) {
      const hash = identity.hashes[k];
      const { hashes, ids } = this.shards[hash >>> 26];
      const mask = ids.length - 1;
      for (let at = hash & mask; ids[at] !== EMPTY; at = (at + 1) & mask) {
        if (hashes[at] === hash && ids[at] !== id && this.holds(ids[at], identity.keys[k])) {
          return false;
        }
      }
    }
    return true;
  }

  add(hash: number, id: number): void {
    this.shards[hash >>> 26].add(hash, id);
  }

  delete(hash: number, id: number): void {
    this.shards[hash >>> 26].delete(hash, id);
  }
}

/** One 64th of MembersByIdentity's slots: hashes and member ids, at most half full. */
class HashSlots {
  /** Slot → the key's hash and the member's id (EMPTY: a free slot). */
  hashes = new Int32Array(64);
  ids = new Int32Array(64).fill(EMPTY);
  private count = 0;

  add(hash: number, id: number): void {
    if (++this.count * 2 > this.ids.length) {
      this.grow();
    }
    const { hashes, ids } = this;
    const mask = ids.length - 1;
    let at = hash & mask;
    while (ids[at] !== EMPTY) {
      at = (at + 1) & mask;
    }
    hashes[at] = hash;
    ids[at] = id;
  }

  delete(hash: number, id: number): void {
    const { hashes, ids } = this;
    const mask = ids.length - 1;
    let at = hash & mask;
    while (ids[at] !== EMPTY && (ids[at] !== id || hashes[at] !== hash)) {
      at = (at + 1) & mask;
    }
    if (ids[at] === EMPTY) {
      return;
    }
    this.count--;
    // Backward shift: the entries after the hole that probed past it move up into it, so
    // that no probe stops early there.
    for (let next = (at + 1) & mask; ids[next] !== EMPTY; next = (next + 1) & mask) {
      const home = hashes[next] & mask;
      // The entry may move to `at` if its home slot is not cyclically within (at, next].
      if (at <= next ? home <= at || home > next : home <= at && home > next) {
        hashes[at] = hashes[next];
        ids[at] = ids[next];
        at = next;
      }
    }
    ids[at] = EMPTY;
  }

  /** Twice the slots, each entry placed again by its hash (no key is read again). */
  private grow(): void {
    const { hashes, ids } = this;
    this.hashes = new Int32Array(hashes.length * 2);
    this.ids = new Int32Array(ids.length * 2).fill(EMPTY);
    const mask = this.ids.length - 1;
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] !== EMPTY) {
        let at = hashes[i] & mask;
        while (this.ids[at] !== EMPTY) {
          at = (at + 1) & mask;
        }
        this.hashes[at] = hashes[i];
        this.ids[at] = ids[i];
      }
    }
  }
}

/**
 * A file's records made while it is still parsed, for its first read (`LibraryModel.ahead`):
 * a worker then gets papers from the parse's first slices on, instead of from the model's
 * after the whole parse (followFile.ts, ReadAhead). A record is made only where it is
 * certainly the one `setFile` will make — an entry with no crossref and no macro from
 * another file, under the id it will get (the model's next one plus its index, as nothing
 * else is read meanwhile), with abstracts as keywords (known once the file alone takes
 * the library past KEYWORD_ABSTRACTS_FROM) — and `setFile` checks each before taking it:
 * if anything was read meanwhile, it makes its own.
 */
export class RecordsAhead {
  private readonly records: (Member | undefined)[] = [];
  private readonly entries: (BibEntry | undefined)[] = [];

  constructor(
    readonly file: string,
    private readonly firstId: number,
    /** Entries from which the library indexes abstracts as keywords whatever the file's length. */
    private readonly keywordsFrom: number,
  ) {}

  /** Whether records can be made once `count` entries are read (the abstracts' mode is known). */
  canMake(count: number): boolean {
    return count >= this.keywordsFrom;
  }

  /** The paper of the file's `index`th entry, `text` the text read so far; undefined where `setFile` must make it. */
  make(index: number, entry: BibEntry, text: TextLike): Paper | undefined {
    if (entry.unresolved || entry.fields.crossref !== undefined) {
      return undefined;
    }
    const id = this.firstId + index;
    const paper = paperFromBibEntry(entry, text, this.file, id, 'keywords');
    this.records[index] = { id, file: this.file, paper, identity: identityOf(paper) };
    this.entries[index] = entry;
    return paper;
  }

  /** The record made for `entry` at `index`, if it is what `setFile` would make now (see the class). */
  take(index: number, entry: BibEntry, id: number, keywords: boolean): Member | undefined {
    const record = this.records[index];
    return record && keywords && this.entries[index] === entry && record.id === id ? record : undefined;
  }
}

/** The bundled corpus plus the workspace's .bib entries, as distinct papers. */
export class LibraryModel {
  private readonly members = new ShardedMap<number, Member>();
  private readonly byIdentity = new MembersByIdentity((id, key) => this.members.get(id)?.identity.keys.includes(key) === true);
  /** Member id → the paper id it is part of. */
  private readonly paperOf = new ShardedMap<number, number>();
  /** Paper id → its member ids. */
  private readonly membersOf = new ShardedMap<number, number[]>();
  private readonly papers = new Map<number, Paper>();
  private readonly files = new Map<string, FileState>();
  /** Each file's entries by key (lower case, the first of each key), made when first needed. */
  private readonly entriesByKey = new WeakMap<BibFileInput, Map<string, BibEntry>>();
  private fileOrder: string[] = [];
  private strings = new Map<string, string>();
  private nextId = USER_ID_BASE;
  private userEntries = 0;

  constructor(bundled: readonly Paper[]) {
    for (const p of bundled) {
      this.addMember({ id: p.id, paper: p, identity: identityOf(p) });
      this.papers.set(p.id, p);
      this.paperOf.set(p.id, p.id);
      this.membersOf.set(p.id, [p.id]);
    }
  }

  /** Distinct papers. */
  get size(): number {
    return this.papers.size;
  }

  /** Every paper, bundled ones first then in the order they came. */
  allPapers(): Paper[] {
    return [...this.papers.values()];
  }

  paper(id: number): Paper | undefined {
    return this.papers.get(id);
  }

  /** How the count breaks down: papers only bundled, only in .bib files, in both; and .bib entries in all. */
  counts(): { papers: number; bundledOnly: number; userOnly: number; both: number; entries: number } {
    let bundledOnly = 0;
    let userOnly = 0;
    let both = 0;
    for (const [id, members] of this.membersOf) {
      const hasBundled = id < USER_ID_BASE && members.some((m) => m === id);
      const hasUser = members.some((m) => m >= USER_ID_BASE);
      if (hasBundled && hasUser) {
        both++;
      } else if (hasUser) {
        userOnly++;
      } else {
        bundledOnly++;
      }
    }
    return { papers: this.papers.size, bundledOnly, userOnly, both, entries: this.userEntries };
  }

  /**
   * The paper the library already has for a record found elsewhere (online): the same
   * arXiv id, DOI, or title, year and first author. The key identity is not used: a
   * stranger's key says nothing.
   */
  findSame(p: Pick<Paper, 'key' | 'title' | 'year' | 'authors' | 'arxiv' | 'doi'>): Paper | undefined {
    const { keys, hashes } = identityOf(p);
    for (let k = 0; k < keys.length; k++) {
      if (keys[k].startsWith('key:')) {
        continue;
      }
      for (const member of this.byIdentity.get(keys[k], hashes[k])) {
        const paperId = this.paperOf.get(member);
        const paper = paperId === undefined ? undefined : this.papers.get(paperId);
        if (paper) {
          return paper;
        }
      }
    }
    return undefined;
  }

  /** The workspace's `@string` macros (the first file in path order that defines a name wins). */
  macro(name: string): string | undefined {
    return this.strings.get(name.toLowerCase());
  }

  /** The files with entries in the library, in path order. */
  fileNames(): string[] {
    return [...this.fileOrder];
  }

  /**
   * Records of a file to make while it is parsed (see RecordsAhead), when this is its
   * first read; undefined otherwise.
   */
  ahead(file: string): RecordsAhead | undefined {
    return this.files.has(file) ? undefined : new RecordsAhead(file, this.nextId, KEYWORD_ABSTRACTS_FROM + 1 - this.userEntries - this.papers.size);
  }

  /**
   * Replaces a file's entries. `pause` is awaited whenever `sliceMs` have passed (checked
   * every 16 entries) so a large file never holds the thread. Returns what the index must do.
   * `made` is told each entry's own paper as it is made, before papers are grouped: most
   * are the papers the change will hold (an entry alone is its paper), so a search worker
   * may start on them early. `ahead`: records made while the file was parsed, taken where
   * they are still right.
   */
  async setFile(input: BibFileInput, pause?: () => Promise<void>, sliceMs = SLICE_MS, made?: (paper: Paper) => void, ahead?: RecordsAhead): Promise<LibraryChange> {
    const tick = ticker(pause, sliceMs);
    const touched = new Set<number>();
    // An entry whose text is unchanged keeps its id (and so its paper's id): saving a file
    // with one entry edited changes one paper, not all of them.
    // Its record is kept too unless something it was read with changed (the workspace's
    // @strings, a crossref, the abstract mode): only its line is updated.
    const previous = this.files.get(input.file);
    const reusable = await this.reusable(previous, input, tick);
    const othersRefer = this.othersCrossrefOutside(input.file);
    const previousKeys = previous && othersRefer ? await this.keysInSlices(previous.input, tick) : undefined;
    this.files.delete(input.file);
    this.userEntries -= previous?.memberIds.length ?? 0;
    const { outsideRefs, unresolved } = await this.surveyFile(input, tick);
    this.files.set(input.file, { input, memberIds: [], unresolved, outsideRefs });
    this.fileOrder = [...this.files.keys()].sort();
    const stringsChanged = this.rebuildStrings();
    const parentsChanged = othersRefer && this.holdsParentsOfOthers(input.file, [await this.keysInSlices(input, tick), previousKeys]);
    const state = this.files.get(input.file)!;
    const keywords = this.userEntries + input.entries.length + this.papers.size > KEYWORD_ABSTRACTS_FROM;
    const keep = new Set<number>();
    for (let i = 0; i < input.entries.length; i++) {
      await tick();
      const old = reusable[i];
      if (old && !stringsChanged && !input.entries[i].fields.crossref && (old.paper.abstractIndex === 'keywords') === keywords) {
        keep.add(old.id);
      }
    }
    // The previous read's other records go (and the papers they were part of); the kept
    // ones stay where they are, in their papers, under the same identities: a save does
    // not take apart and regroup every entry of the file (2.4 s of the host's time at
    // 100,000 entries), only those it changed.
    await this.dropMembers(previous?.memberIds ?? [], keep, touched, tick);
    for (let i = 0; i < input.entries.length; i++) {
      await tick();
      const entry = input.entries[i];
      const old = reusable[i];
      const id = old?.id ?? this.nextId++;
      let member: Member;
      if (old && keep.has(id)) {
        member = old;
        if (movedTo(old, entry.line) && !this.alone(id)) {
          touched.add(id); // (a paper of several records: its origins, in line order, made again)
        }
      } else {
        member = (previous === undefined && ahead?.file === input.file ? ahead.take(i, entry, id, keywords) : undefined) ?? this.memberFor(id, input, entry, keywords, previous !== undefined);
        this.addMember(member);
        touched.add(id);
      }
      made?.(member.paper);
      state.memberIds.push(id);
    }
    this.userEntries += input.entries.length;
    if (stringsChanged || parentsChanged) {
      await this.reresolve(input.file, touched, keywords, tick);
    }
    return this.regroup(touched, tick);
  }

  /** Whether record `id` is a paper of its own. */
  private alone(id: number): boolean {
    return this.paperOf.get(id) === id && this.membersOf.get(id)?.length === 1;
  }

  /**
   * For each entry of a file read again, the record of its previous read with the same
   * text, if any. A re-parse around an edit (reparse.ts) hands over the entries before and
   * after what it read again with their very fields, in order: those are matched from both
   * ends, and only the entries between by their text (cutting out and hashing every
   * entry's text took most of a save's model time; a Map from each old entry's fields,
   * 100,000 of them, held the host in collections of 20–31 ms, profiled). At a first read
   * nothing is reused; a file parsed whole is matched by text throughout.
   */
  private async reusable(previous: FileState | undefined, input: BibFileInput, tick: () => Promise<void>): Promise<(Member | undefined)[]> {
    const found: (Member | undefined)[] = new Array<Member | undefined>(input.entries.length);
    if (!previous || previous.input.entries.length === 0) {
      return found;
    }
    const old = previous.input.entries;
    const now = input.entries;
    const ids = previous.memberIds;
    let head = 0;
    while (head < now.length && head < old.length && now[head].fields === old[head].fields) {
      await tick();
      found[head] = this.members.get(ids[head]);
      head++;
    }
    let tailNow = now.length;
    let tailOld = old.length;
    while (tailNow > head && tailOld > head && now[tailNow - 1].fields === old[tailOld - 1].fields) {
      await tick();
      found[--tailNow] = this.members.get(ids[--tailOld]);
    }
    if (tailNow === head) {
      return found;
    }
    const byText = new Map<string, Member[]>();
    for (let j = head; j < tailOld; j++) {
      await tick();
      const member = this.members.get(ids[j]);
      if (member) {
        const text = previous.input.text.slice(old[j].start, old[j].end);
        byText.set(text, [...(byText.get(text) ?? []), member]);
      }
    }
    for (let i = head; i < tailNow; i++) {
      await tick();
      const e = now[i];
      found[i] = byText.get(input.text.slice(e.start, e.end))?.shift();
    }
    return found;
  }

  /** Takes a file's entries out; bundled papers they were merged with stand alone again. */
  async removeFile(file: string, pause?: () => Promise<void>, sliceMs = SLICE_MS): Promise<LibraryChange> {
    const tick = ticker(pause, sliceMs);
    const touched = new Set<number>();
    const state = this.files.get(file);
    const keys = state && this.othersCrossrefOutside(file) ? await this.keysInSlices(state.input, tick) : undefined;
    await this.dropFile(file, touched, tick);
    this.fileOrder = [...this.files.keys()].sort();
    const parentsChanged = keys !== undefined && this.holdsParentsOfOthers(file, [keys]);
    if (this.rebuildStrings() || parentsChanged) {
      await this.reresolve(undefined, touched, this.papers.size > KEYWORD_ABSTRACTS_FROM, tick);
    }
    return this.regroup(touched, tick);
  }

  /** `again`: the file was read before (a save), so the record keeps its own copy of its text (see paperFromBibEntry). */
  private memberFor(id: number, input: BibFileInput, raw: BibEntry, keywords: boolean, again = false): Member {
    const entry = this.resolveEntry(input, raw);
    const paper = paperFromBibEntry(entry, input.text, input.file, id, keywords ? 'keywords' : undefined, again);
    return { id, file: input.file, paper, identity: identityOf(paper) };
  }

  /** An entry with other files' `@string`s filled in and a crossref to another file inherited. */
  private resolveEntry(input: BibFileInput, raw: BibEntry): BibEntry {
    let entry = raw.unresolved ? resolveMacros(raw, (name) => this.strings.get(name)) : raw;
    const ref = entry.fields.crossref;
    if (ref && !this.keysOf(input).has(ref.toLowerCase())) {
      const parent = this.entryByKey(ref, input.file);
      if (parent) {
        const fields = Object.assign(Object.create(null) as Record<string, string>, entry.fields);
        inheritFields(fields, parent.fields);
        entry = { ...entry, fields };
      }
    }
    return entry;
  }

  /** The first entry with this key in any .bib file other than `except` (crossref parents, self-contained copies). */
  entryByKey(key: string, except?: string): BibEntry | undefined {
    const wanted = key.toLowerCase();
    for (const file of this.fileOrder) {
      if (file !== except) {
        const state = this.files.get(file);
        const found = state && this.keysOf(state.input).get(wanted);
        if (found) {
          return found;
        }
      }
    }
    return undefined;
  }

  /**
   * A file's entries by key (lower case, the first of each key): crossrefs are looked up
   * per entry, so not by a scan of the file. The parser's table when it came with the
   * file, else made once per file.
   */
  private keysOf(input: BibFileInput): ReadonlyMap<string, BibEntry> {
    let keys = input.byKey ?? this.entriesByKey.get(input);
    if (!keys) {
      const made = new Map<string, BibEntry>();
      for (const e of input.entries) {
        addKey(made, e);
      }
      this.entriesByKey.set(input, made);
      keys = made;
    }
    return keys;
  }

  /** The same table, made in slices (a large file's takes tens of milliseconds) where the model can yield. */
  private async keysInSlices(input: BibFileInput, tick: () => Promise<void>): Promise<ReadonlyMap<string, BibEntry>> {
    if (!input.byKey && !this.entriesByKey.has(input)) {
      const keys = new Map<string, BibEntry>();
      for (const e of input.entries) {
        await tick();
        addKey(keys, e);
      }
      this.entriesByKey.set(input, keys);
    }
    return this.keysOf(input);
  }

  /**
   * What a file needs from the others, in one pass in slices (a pass over 100,000
   * entries is tens of milliseconds): the crossref targets that are not keys of the file,
   * and whether some entry uses a macro the file does not define.
   */
  private async surveyFile(input: BibFileInput, tick: () => Promise<void>): Promise<{ outsideRefs: Set<string>; unresolved: boolean }> {
    const outsideRefs = new Set<string>();
    let unresolved = false;
    let keys: ReadonlyMap<string, BibEntry> | undefined;
    for (const e of input.entries) {
      await tick();
      unresolved ||= e.unresolved !== undefined;
      const ref = e.fields.crossref?.toLowerCase();
      if (ref) {
        keys ??= await this.keysInSlices(input, tick);
        if (!keys.has(ref)) {
          outsideRefs.add(ref);
        }
      }
    }
    return { outsideRefs, unresolved };
  }

  /** Whether another file crossrefs outside itself: only then can `file` hold their parents. */
  private othersCrossrefOutside(file: string): boolean {
    return [...this.files].some(([other, state]) => other !== file && state.outsideRefs.size > 0);
  }

  /**
   * Whether entries of other files crossref a key among `keySets` (a file's keys now and
   * before): those entries must be read again, whichever file was read first.
   */
  private holdsParentsOfOthers(file: string, keySets: readonly (ReadonlyMap<string, BibEntry> | undefined)[]): boolean {
    for (const [other, state] of this.files) {
      if (other !== file && [...state.outsideRefs].some((ref) => keySets.some((keys) => keys?.has(ref)))) {
        return true;
      }
    }
    return false;
  }

  /** Rebuilds the workspace macro table; true when it changed. */
  private rebuildStrings(): boolean {
    const next = new Map<string, string>();
    for (const file of this.fileOrder) {
      for (const [name, value] of Object.entries(this.files.get(file)!.input.strings)) {
        if (!next.has(name)) {
          next.set(name, value);
        }
      }
    }
    const changed = next.size !== this.strings.size || [...next].some(([k, v]) => this.strings.get(k) !== v);
    this.strings = next;
    return changed;
  }

  /** After the macro table or a file holding crossref parents changed: entries of other files that use missing macros or crossref are read again. */
  private async reresolve(except: string | undefined, touched: Set<number>, keywords: boolean, tick: () => Promise<void>): Promise<void> {
    for (const [file, state] of this.files) {
      if (file === except || (!state.unresolved && state.outsideRefs.size === 0)) {
        continue;
      }
      const ids = state.memberIds;
      for (let i = 0; i < ids.length; i++) {
        await tick();
        const raw = state.input.entries[i];
        if (!raw.unresolved && !raw.fields.crossref) {
          continue;
        }
        this.markForRegroup(ids[i], touched);
        this.removeMember(ids[i]);
        touched.delete(ids[i]);
        ids[i] = this.nextId++;
        this.addMember(this.memberFor(ids[i], state.input, raw, keywords));
        touched.add(ids[i]);
      }
    }
  }

  private async dropFile(file: string, touched: Set<number>, tick: () => Promise<void>): Promise<void> {
    const state = this.files.get(file);
    if (!state) {
      return;
    }
    this.files.delete(file);
    this.userEntries -= state.memberIds.length;
    await this.dropMembers(state.memberIds, new Set(), touched, tick);
  }

  /** Takes records out (all but `keep`); the papers they were part of are regrouped. */
  private async dropMembers(ids: readonly number[], keep: ReadonlySet<number>, touched: Set<number>, tick: () => Promise<void>): Promise<void> {
    for (const id of ids) {
      await tick();
      if (!keep.has(id)) {
        this.markForRegroup(id, touched);
        this.removeMember(id);
        touched.delete(id);
      }
    }
  }

  /** Puts every other member of `id`'s paper up for regrouping. */
  private markForRegroup(id: number, touched: Set<number>): void {
    const paperId = this.paperOf.get(id);
    if (paperId === undefined) {
      return;
    }
    for (const m of this.membersOf.get(paperId) ?? []) {
      if (m !== id) {
        touched.add(m);
      }
    }
    touched.add(-1 - paperId); // remember the old paper id to remove (encoded below zero)
  }

  private addMember(m: Member): void {
    this.members.set(m.id, m);
    for (const h of m.identity.hashes) {
      this.byIdentity.add(h, m.id);
    }
  }

  private removeMember(id: number): void {
    const m = this.members.get(id);
    if (!m) {
      return;
    }
    this.members.delete(id);
    for (const h of m.identity.hashes) {
      this.byIdentity.delete(h, id);
    }
    this.paperOf.delete(id);
  }

  /**
   * Recomputes the papers of the touched members: their old papers go, the connected
   * groups of records they now belong to come back as papers.
   */
  private async regroup(touched: Set<number>, tick: () => Promise<void>): Promise<LibraryChange> {
    const removed = new Set<number>();
    const seeds: number[] = [];
    for (const t of touched) {
      await tick();
      if (t < 0) {
        removed.add(-1 - t);
      } else if (this.members.has(t)) {
        seeds.push(t);
        const old = this.paperOf.get(t);
        if (old !== undefined) {
          removed.add(old);
          for (const m of this.membersOf.get(old) ?? []) {
            if (this.members.has(m)) {
              seeds.push(m);
            }
          }
        }
      }
    }
    // The papers as they were: one regrouped into the very same paper is no change.
    const before = new ShardedMap<number, Paper>();
    for (const id of removed) {
      await tick();
      const paper = this.papers.get(id);
      if (paper) {
        before.set(id, paper);
      }
      this.papers.delete(id);
      this.membersOf.delete(id);
    }
    const regrouped: Paper[] = [];
    const done = new ShardedSet<number>();
    for (const seed of seeds) {
      await tick();
      if (done.has(seed)) {
        continue;
      }
      const member = this.members.get(seed)!;
      if (this.paperOf.get(seed) === undefined && this.byIdentity.alone(member.id, member.identity)) {
        // A new record that shares no identity (most of a first read): a paper of its own.
        // (Marked done: a seed may come twice, when a record made again keeps its id.)
        done.add(seed);
        this.paperOf.set(seed, member.paper.id);
        this.membersOf.set(member.paper.id, [seed]);
        this.papers.set(member.paper.id, member.paper);
        regrouped.push(member.paper);
        continue;
      }
      // The connected group of records around the seed, through shared identities.
      const group: number[] = [];
      const queue = [seed];
      done.add(seed);
      while (queue.length > 0) {
        const id = queue.pop()!;
        group.push(id);
        const { keys, hashes } = this.members.get(id)!.identity;
        for (let k = 0; k < keys.length; k++) {
          for (const other of this.byIdentity.get(keys[k], hashes[k])) {
            if (!done.has(other)) {
              done.add(other);
              queue.push(other);
            }
          }
        }
      }
      // A group may absorb papers not touched so far: they are replaced too.
      for (const id of group) {
        const old = this.paperOf.get(id);
        if (old !== undefined && !removed.has(old) && this.papers.has(old)) {
          removed.add(old);
          before.set(old, this.papers.get(old)!);
          this.papers.delete(old);
          this.membersOf.delete(old);
        }
      }
      const paper = this.paperFor(group);
      for (const id of group) {
        this.paperOf.set(id, paper.id);
      }
      this.membersOf.set(paper.id, group);
      this.papers.set(paper.id, paper);
      regrouped.push(paper);
    }
    const upserted: Paper[] = [];
    for (const p of regrouped) {
      await tick();
      if (before.size === 0 || before.get(p.id) !== p) {
        upserted.push(p); // (saving a file whose other entries did not move changes only the edited one)
      }
    }
    const gone: number[] = [];
    if (removed.size > 0) {
      const kept = new ShardedSet<number>();
      for (const p of regrouped) {
        await tick();
        kept.add(p.id);
      }
      for (const id of removed) {
        await tick();
        if (!kept.has(id)) {
          gone.push(id);
        }
      }
    }
    return { removed: gone, upserted };
  }

  /** The one paper a group of records makes: the first .bib entry speaks, the others fill gaps. */
  private paperFor(group: readonly number[]): Paper {
    const order = (file: string | undefined) => (file === undefined ? Infinity : this.fileOrder.indexOf(file));
    const members = group
      .map((id) => this.members.get(id)!)
      .sort((a, b) => order(a.file) - order(b.file) || (a.paper.origin?.line ?? 0) - (b.paper.origin?.line ?? 0) || a.id - b.id);
    const bundled = members.find((m) => m.file === undefined);
    if (members.length === 1) {
      // A record is made with its origin as its only one (see paperFromBibEntry).
      return members[0].paper;
    }
    const primary = members[0].paper;
    const all = members.map((m) => m.paper);
    const first = <T>(pick: (p: Paper) => T | undefined, ok: (v: T) => boolean = () => true): T | undefined => {
      for (const p of all) {
        const v = pick(p);
        if (v !== undefined && ok(v)) {
          return v;
        }
      }
      return undefined;
    };
    const origins: PaperOrigin[] = members
      .filter((m) => m.paper.origin)
      .map((m) => (bundled ? { ...m.paper.origin!, bundledId: bundled.id } : m.paper.origin!));
    const keys = [...new Set(all.map((p) => p.key))];
    return {
      ...primary,
      id: bundled ? bundled.id : primary.id,
      title: first((p) => p.title, (t) => t !== '(untitled)') ?? primary.title,
      authors: first((p) => p.authors, (a) => a.length > 0) ?? [],
      year: first((p) => p.year),
      venue: first((p) => p.venue),
      arxiv: first((p) => p.arxiv),
      doi: first((p) => p.doi),
      url: first((p) => p.url),
      abstract: first((p) => p.abstract, (a) => a.trim() !== '') ?? '',
      source: origins.length > 0 ? 'user' : 'bundled',
      lowConfidence: origins.length > 0 ? undefined : primary.lowConfidence,
      aliases: keys.length > 1 ? keys.filter((k) => k !== primary.key) : undefined,
      origin: origins[0],
      origins,
    };
  }
}

/**
 * Moves a kept record's origin to the line its entry is at now, in place; whether it
 * moved. A line added near the top of a file moves every entry below it: making each
 * paper anew (and telling the lookups, the full text and the title matcher of it) took
 * 1.1–1.3 s of a 100,000-entry save and filled the young generation with records that
 * all survived, its collections of 25–31 ms landing in the save's slices. The line is
 * the one thing of a paper that changes so: the record's origin (the one of a paper of
 * its own, and the one its paper's `origins` lists — a paper of several records is made
 * again by regroup) is the library's own, the full text is sent papers without origins
 * (`indexedFields`), and whoever holds the paper (the lookups, an open detail pane) sees
 * where its entry is now.
 */
function movedTo(m: Member, line: number): boolean {
  const origin = m.paper.origin as { line: number } | undefined;
  if (!origin || origin.line === line) {
    return false;
  }
  origin.line = line;
  return true;
}

function addKey(keys: Map<string, BibEntry>, e: BibEntry): void {
  const key = e.key.toLowerCase();
  if (!keys.has(key)) {
    keys.set(key, e);
  }
}
