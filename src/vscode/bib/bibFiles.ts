import * as vscode from 'vscode';
import { ConfigSection, Settings } from '../../constants';
import { parseBibtex, parseBibtexInSlices, type BibEntry, type BibParseResult, type OnRead } from '../../core/bib/parser';
import { reparseBibtexInSlices } from '../../core/bib/reparse';
import { matchesGlobs } from '../../core/text/glob';
import type { Notifier } from '../notifier';
import { decodeAgain } from '../../core/text/decode';
import type { PiecedText, TextLike } from '../../core/text/pieces';
import { documentLength, documentPieces, openDocument, readCurrentText } from './readText';
import { contentDigest, type ContentDigest } from '../../core/text/digest';
import { giveBack } from '../../core/text/slices';
import { findWorkspaceFiles } from '../workspaceFiles';

/** A parsed .bib file, or a skipped one. */
export interface BibFile {
  readonly uri: vscode.Uri;
  /** Its text as the parse keeps it: pieces (of the decoded file, or of an open document's lines). */
  readonly text: TextLike;
  readonly result: BibParseResult;
  /** The text as it was read, before the parse cut its pieces: a file read again is decoded again where its bytes changed (`decodeAgain`). */
  readonly readText?: PiecedText;
}

export type BibFileChange = { readonly uri: vscode.Uri; readonly file?: BibFile };

const DEFAULT_MAX_MB = 32;
/** Show a progress notification when reading the workspace's .bib files takes longer than this. */
const PROGRESS_AFTER_MS = 800;

/** A file read, not yet parsed. */
interface Read {
  readonly uri: vscode.Uri;
  readonly text: PiecedText;
  /** Which read of its file this is (a newer one makes it stale). */
  readonly read: number;
  /** SHA-256 of the content as read, when the platform has Web Crypto. */
  readonly digest: Promise<string | undefined>;
}

/** The .bib files of the workspace, parsed, kept current as they change on disk or in editors. */
export class BibFiles implements vscode.Disposable {
  private readonly files = new Map<string, BibFile>();
  private readonly changeEmitter = new vscode.EventEmitter<BibFileChange>();
  /** One event per file that changed (parsed again, or gone). */
  readonly onDidChangeFile = this.changeEmitter.event;
  private readonly allEmitter = new vscode.EventEmitter<void>();
  /** Fires after any change, once per batch. */
  readonly onDidChange = this.allEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly warnedTooLarge = new Set<string>();
  /** Reads of each file, so that a slow older read never overwrites a newer one. */
  private readonly reads = new Map<string, number>();
  /** Each parsed file's content digest as read (see `read`). */
  private readonly digests = new WeakMap<BibFile, Promise<string | undefined>>();
  /** Files skipped as too large, by URI string: `byStat` names them too. */
  private readonly tooLarge = new Map<string, vscode.Uri>();
  private generation = 0;
  /** Resolves when the first scan of the workspace is done. */
  readonly ready: Promise<void>;
  /**
   * What the first scan's files are, one per line in reading order: each file's URI and
   * its content's digest, resolved once every file is read and before any is parsed — or,
   * with `byStat`, its size and modification time, resolved before any is read. Undefined
   * when they cannot be told (a digest failed, a file open with unsaved changes under
   * `byStat`) or the scan was superseded. The same sources most likely give the same
   * papers, so an index kept from them can answer before they are parsed; the index
   * itself is checked against the papers once they are (IndexServer.settle).
   */
  readonly sources: Promise<string | undefined>;
  private sourcesRead: (sources: string | undefined) => void = () => undefined;

  private watcher: vscode.Disposable | undefined;

  /** `readAhead`: what follows a file's first parse as it reads (Library.readAhead). */
  constructor(
    private readonly notify: Notifier,
    private readonly naming: SourceNaming = {},
    private readonly readAhead: (uri: vscode.Uri) => OnRead | undefined = () => undefined,
  ) {
    this.watch();
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && this.wanted(e.document.uri)) {
          this.schedule(e.document.uri);
        }
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${ConfigSection}.bibliography`)) {
          this.watch();
          void this.rescan();
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.rescan()),
    );
    this.sources = new Promise((resolve) => (this.sourcesRead = resolve));
    this.ready = this.rescan();
  }

  /**
   * Watches the include glob; every event goes through the same include/exclude test
   * as the start-up scan, so an excluded file stays out however it changes.
   */
  private watch(): void {
    this.watcher?.dispose();
    const watcher = vscode.workspace.createFileSystemWatcher(this.config().include || '**/*.bib');
    const changed = (uri: vscode.Uri): void => {
      if (this.wanted(uri)) {
        this.schedule(uri);
      }
    };
    this.watcher = vscode.Disposable.from(watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed), watcher.onDidDelete((uri) => this.remove(uri)));
  }

  /** Whether a file is one of the library's .bib files by the settings (inside a workspace folder, included, not excluded). */
  wanted(uri: vscode.Uri): boolean {
    if (!vscode.workspace.getWorkspaceFolder(uri)) {
      return false;
    }
    const { include, exclude } = this.config();
    return matchesGlobs(vscode.workspace.asRelativePath(uri, false), include, exclude);
  }

  /** Parsed files by URI string. */
  all(): ReadonlyMap<string, BibFile> {
    return this.files;
  }

  /**
   * The entries of a .bib file: the kept parse when the file is one of the workspace's
   * (kept current as it changes), else read and parsed now; undefined when it cannot
   * be read. Completion and diagnostics ask on every keystroke, so a large .bib is
   * not parsed again for each.
   */
  async entriesOf(uri: vscode.Uri): Promise<BibEntry[] | undefined> {
    const kept = this.files.get(uri.toString());
    if (kept) {
      return kept.result.entries;
    }
    try {
      return parseBibtex((await readCurrentText(uri)) ?? '').entries;
    } catch {
      return undefined;
    }
  }

  private config() {
    const config = vscode.workspace.getConfiguration(ConfigSection);
    return {
      include: config.get<string>(Settings.bibliographyInclude, '**/*.bib'),
      exclude: config.get<string>(Settings.bibliographyExclude, '**/node_modules/**'),
      maxBytes: Math.max(0.1, config.get<number>(Settings.bibliographyMaxFileSizeMB, DEFAULT_MAX_MB)) * 1024 * 1024,
    };
  }

  private async rescan(): Promise<void> {
    const generation = ++this.generation;
    const { include, exclude } = this.config();
    // In one order from start to start (a file search's order is its own): the same files
    // give the same papers under the same ids, and the same sources (see `sources`).
    const uris = (await findWorkspaceFiles(include, { exclude, max: 5000 })).sort(byUri);
    if (generation !== this.generation) {
      this.sourcesRead(undefined);
      return;
    }
    const wanted = new Set(uris.map((u) => u.toString()));
    for (const [id, file] of [...this.files]) {
      if (!wanted.has(id)) {
        this.files.delete(id);
        this.changeEmitter.fire({ uri: file.uri });
      }
    }
    for (const id of [...this.tooLarge.keys()].filter((id) => !wanted.has(id))) {
      this.tooLarge.delete(id);
    }
    const work = (async () => {
      const byStat = generation === 1 && this.naming.byStat ? await statSources(uris) : undefined;
      if (byStat !== undefined) {
        this.sourcesRead(byStat);
      }
      // Every file is read before any is parsed, so that the sources are known early.
      const reads: Read[] = [];
      for (const uri of uris) {
        const read = await this.read(uri, !this.naming.byStat || (generation === 1 && byStat === undefined));
        if (read) {
          reads.push(read);
        }
      }
      void Promise.all(reads.map((r) => r.digest)).then(
        (digests) => {
          const known = generation === this.generation && reads.length > 0 && digests.every((d) => d !== undefined);
          this.sourcesRead(known ? reads.map((r, i) => `${r.uri.toString()} ${digests[i]}`).join('\n') : undefined);
        },
        () => this.sourcesRead(undefined),
      );
      for (const read of reads) {
        await this.parse(read);
        await giveBack(); // let the editor breathe between files
      }
    })();
    const slow = setTimeout(() => {
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Paperscope: reading ${uris.length} .bib ${uris.length === 1 ? 'file' : 'files'}…` },
        () => work,
      );
    }, PROGRESS_AFTER_MS);
    await work;
    clearTimeout(slow);
    this.allEmitter.fire();
  }

  private schedule(uri: vscode.Uri): void {
    const id = uri.toString();
    clearTimeout(this.pending.get(id));
    this.pending.set(
      id,
      setTimeout(async () => {
        this.pending.delete(id);
        // (Not while an editor holds unsaved changes: typing in a large .bib would digest it
        // at every pause, and the index is named once the file is saved and read again.)
        const read = await this.read(uri, this.naming.byStat ? false : 'unless unsaved');
        if (read) {
          await this.parse(read);
        }
        this.allEmitter.fire();
      }, 300),
    );
  }

  /**
   * Reads one file (open document text wins) unless it is too large or gone; with
   * `digesting`, its content's digest is worked out meanwhile (with 'unless unsaved', not
   * for an editor's unsaved text).
   */
  private async read(uri: vscode.Uri, digesting: boolean | 'unless unsaved' = true): Promise<Read | undefined> {
    const id = uri.toString();
    const read = (this.reads.get(id) ?? 0) + 1;
    this.reads.set(id, read);
    const { maxBytes } = this.config();
    const digestOf = (content: Uint8Array | PiecedText) => (digesting ? (this.naming.digest ?? contentDigest)(content).catch(() => undefined) : Promise.resolve(undefined));
    try {
      const doc = openDocument(uri);
      if (doc) {
        const length = documentLength(doc);
        if (length > maxBytes) {
          this.skip(uri, length, maxBytes);
          return undefined;
        }
        const text = await documentPieces(doc);
        return { uri, text, read, digest: digesting === 'unless unsaved' && doc.isDirty ? Promise.resolve(undefined) : digestOf(text) };
      }
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > maxBytes) {
        this.skip(uri, stat.size, maxBytes);
        return undefined;
      }
      const bytes = await vscode.workspace.fs.readFile(uri);
      const digest = digestOf(bytes); // (off this thread where the platform hashes so, meanwhile)
      // A file read before is decoded again only where its bytes changed.
      return { uri, text: await decodeAgain(bytes, this.files.get(id)?.readText), read, digest };
    } catch {
      this.remove(uri, false);
      return undefined;
    }
  }

  /**
   * Parses a file read and files it, unless a newer read of it is under way. A file read
   * before is parsed again only around what changed (reparse.ts).
   */
  private async parse({ uri, text, read, digest }: Read): Promise<void> {
    const id = uri.toString();
    const before = this.files.get(id);
    let result: BibParseResult;
    try {
      result = before
        ? await reparseBibtexInSlices(before.text, before.result, text, giveBack).catch(() => parseBibtexInSlices(text, giveBack))
        : await parseBibtexInSlices(text, giveBack, {}, this.readAhead(uri));
    } catch (err) {
      // The parser never throws by design; should it, this file is skipped, the others are read.
      this.remove(uri, false);
      this.notify.warn(`Paperscope could not read ${vscode.workspace.asRelativePath(uri, false)}: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (this.reads.get(id) !== read) {
      return; // a newer read of this file is under way
    }
    const file: BibFile = { uri, text: result.text, result, readText: text };
    this.files.set(id, file);
    this.digests.set(file, digest);
    this.changeEmitter.fire({ uri, file });
  }

  private skip(uri: vscode.Uri, size: number, maxBytes: number): void {
    this.remove(uri, false);
    const id = uri.toString();
    this.tooLarge.set(id, uri);
    if (this.warnedTooLarge.has(id)) {
      return;
    }
    this.warnedTooLarge.add(id);
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    this.notify.warn(
      `Paperscope skipped ${vscode.workspace.asRelativePath(uri, false)} (${mb(size)} MB): it is larger than paperscope.bibliography.maxFileSizeMB (${mb(maxBytes)} MB).`,
    );
  }

  /**
   * What `sources` would be if the workspace opened now: the files as they are parsed
   * now, named as the first scan names them — each one's content digest as it was last
   * read, or with `byStat` its size and modification time. Undefined when they cannot be
   * told: a digest failed, an editor holds a file's unsaved changes (the next start would
   * most likely read the file as saved), or there is no file.
   * After the libraries changed in a session, the index is kept with these, so that the
   * next start answers early from it (Library.keepSources).
   */
  async currentSources(): Promise<string | undefined> {
    const parsed = [...this.files.values()].sort((a, b) => byUri(a.uri, b.uri));
    if (this.naming.byStat) {
      // As the first scan: every file found, those too large to read too.
      return statSources([...parsed.map((f) => f.uri), ...[...this.tooLarge.values()].filter((uri) => this.wanted(uri))].sort(byUri));
    }
    const digests = await Promise.all(parsed.map((f) => this.digests.get(f)));
    return parsed.length > 0 && digests.every((d) => d !== undefined) ? parsed.map((f, i) => `${f.uri.toString()} ${digests[i]}`).join('\n') : undefined;
  }

  private remove(uri: vscode.Uri, fireAll = true): void {
    this.tooLarge.delete(uri.toString());
    if (this.files.delete(uri.toString())) {
      this.changeEmitter.fire({ uri });
      if (fireAll) {
        this.allEmitter.fire();
      }
    }
  }

  dispose(): void {
    this.watcher?.dispose();
    this.pending.forEach((t) => clearTimeout(t));
    this.disposables.forEach((d) => d.dispose());
    this.changeEmitter.dispose();
    this.allEmitter.dispose();
  }
}

/** URIs in the order of their strings: the files' reading order, and the sources'. */
function byUri(a: vscode.Uri, b: vscode.Uri): number {
  const [x, y] = [a.toString(), b.toString()];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** How `BibFiles.sources` names the files a kept index was made from. */
export interface SourceNaming {
  /** Digests a file's content (SHA-256, hex): `contentDigest`, unless the host has a faster one (Node.js). */
  readonly digest?: ContentDigest;
  /**
   * Names each file by its size and modification time instead, before reading it: where
   * reading is slow — a browser reads the workspace over the network (a 32 MB .bib took
   * code-server's web host 8 s), and the kept index could answer only after it.
   */
  readonly byStat?: boolean;
}

/** Each file's URI, size and modification time, one per line; undefined for none, for a file open with unsaved changes, or where a stat fails. */
async function statSources(uris: readonly vscode.Uri[]): Promise<string | undefined> {
  if (uris.length === 0 || uris.some((uri) => openDocument(uri)?.isDirty)) {
    return undefined;
  }
  try {
    const stats = await Promise.all(uris.map((uri) => vscode.workspace.fs.stat(uri)));
    return uris.map((uri, i) => `${uri.toString()} ${stats[i].size} ${stats[i].mtime}`).join('\n');
  } catch {
    return undefined;
  }
}
