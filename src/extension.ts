// Composition root: builds the services and registers each feature. No feature logic here.
import * as vscode from 'vscode';
import { Commands, ConfigSection, MAX_SCAN_CHARS, Settings } from './constants';
import { bibtexEntry, selfContainedEntry } from './core/bib/writer';
import { isCommandName } from './core/cite/citeCommands';
import { mentionAt } from './core/detect/detect';
import type { Paper } from './core/library/paper';
import { paperForMention } from './core/search/searchIndex';
import { withPatience } from './core/text/patience';
import { BibDiagnostics } from './vscode/bib/bibDiagnostics';
import { BibFiles, type SourceNaming } from './vscode/bib/bibFiles';
import { copyBibtex, paperFromArg } from './vscode/bibtexCommands';
import { AddedEntries } from './vscode/citations/addedEntries';
import { Bibliographies } from './vscode/citations/bibliography';
import { Citer } from './vscode/citations/citer';
import { registerCompletionProvider } from './vscode/citations/completion';
import { registerCitationCommands } from './vscode/citations/registerCitations';
import { DetailPanel, registerDetailPanel } from './vscode/detail/detailPanel';
import { CitationDiagnostics, registerCitationCodeActions } from './vscode/diagnostics/citationDiagnostics';
import { registerHoverProvider } from './vscode/hover/hoverProvider';
import { inProcessFullText, Library, parseBundledLibrary, readBundledLibrary } from './vscode/library';
import { giveBack } from './core/text/slices';
import { WorkerFullText, type FullText, type IndexPort } from './core/search/fullText';
import { Notifier } from './vscode/notifier';
import { DEFAULT_ENDPOINTS, Online, type Endpoints, type SearchProvider } from './vscode/online/online';
import { registerOnlineCommands, resolveIdentifier } from './vscode/online/onlineCommands';
import { OverviewPanel, registerOverviewPanel } from './vscode/overview/overviewPanel';
import { ResponseCache } from './vscode/online/responseCache';
import { FetchTransport } from './vscode/online/transport';
import { ZoteroLibrary } from './vscode/online/zoteroLibrary';
import { registerWalkthroughCommands } from './vscode/walkthrough';
import { registerPaperCommands } from './vscode/paperCommands';
import { DocumentScanner } from './vscode/scanner';
import { currentSearchPicker, pickPaper, registerSearchCommands, type SearchPickerDeps } from './vscode/search/searchPicker';
import { registerStatusBar } from './vscode/statusBar';
import { DocumentPapersTree, registerDocumentView } from './vscode/tree/documentView';
import { LibraryTree, registerLibraryView } from './vscode/tree/libraryView';
import { reportFileSearchTo } from './vscode/workspaceFiles';

/**
 * What activate returns. Internal: for Paperscope's own integration tests only,
 * not a public API; it may change in any release.
 */
export interface PaperscopeInternals {
  readonly library: Library;
  readonly detail: DetailPanel;
  readonly scanner: DocumentScanner;
  readonly diagnostics: CitationDiagnostics;
  readonly bibDiagnostics: BibDiagnostics;
  readonly bibFiles: BibFiles;
  readonly bibliographies: Bibliographies;
  readonly citer: Citer;
  readonly added: AddedEntries;
  readonly online: Online;
  readonly zotero: ZoteroLibrary;
  readonly notify: Notifier;
  /** Resolves when the workspace's .bib files are read and in the index. */
  readonly ready: () => Promise<void>;
  readonly libraryTree: LibraryTree;
  /** Which extension host runs this copy: Node.js, or the browser's web worker. */
  readonly host: ExtensionHostRuntime;
  readonly overview: OverviewPanel;
  readonly documentTree: DocumentPapersTree;
  /** The search picker on screen, if any. */
  readonly searchPicker: typeof currentSearchPicker;
}

export type ExtensionHostRuntime = 'node' | 'webworker';

/** How long the first index waits for Zotero's items once the .bib files are read. */
const ZOTERO_PATIENCE_MS = 10_000;

/**
 * What the host's entry point provides (src/node/extension.ts, src/web/extension.ts): each
 * starts the index in a worker of its own kind.
 */
export interface HostServices {
  /**
   * Starts the worker; `bundled` is the bundled library's bytes as this thread reads them
   * (the Node worker reads its own). Undefined, or a host with no worker to offer: the
   * index stays in this thread.
   */
  readonly startIndexWorker?: (bundled: Promise<Uint8Array>) => IndexPort | undefined;
  /** How the .bib files that a kept index was made from are named at start-up (BibFiles' `SourceNaming`). */
  readonly sources?: SourceNaming;
}

export async function activateWith(context: vscode.ExtensionContext, services: HostServices): Promise<PaperscopeInternals> {
  const config = (scope?: vscode.Uri) => vscode.workspace.getConfiguration(ConfigSection, scope);
  // The same source runs in a Node.js extension host (desktop, code-server) and in the
  // browser's web-worker extension host (vscode.dev, github.dev): the log says which.
  const host: ExtensionHostRuntime = typeof process === 'object' && typeof process.versions?.node === 'string' ? 'node' : 'webworker';
  const log = vscode.window.createOutputChannel('Paperscope', { log: true });
  context.subscriptions.push(log, vscode.commands.registerCommand(Commands.showLog, () => log.show(true)));
  reportFileSearchTo((message) => log.warn(message));
  const started = Date.now();
  // The worker first: it reads its kept index while this thread loads the bundled library.
  let fullText: FullText | undefined;
  const bundledBytes = readBundledLibrary(context.extensionUri);
  try {
    const port = services.startIndexWorker?.(bundledBytes);
    fullText = port ? new WorkerFullText(port, giveBack) : undefined;
  } catch (err) {
    log.warn(`The search index worker did not start (${err instanceof Error ? err.message : String(err)}); searching in the extension host.`);
  }
  const bundled = parseBundledLibrary(await bundledBytes);
  const library = new Library(bundled, fullText ?? inProcessFullText(bundled), (message) => log.warn(message));
  stopFullText = () => library.stop();
  const indexIn = library.fullTextKind !== 'worker' ? 'in the extension host' : host === 'node' ? 'in a worker thread' : 'in a Web Worker';
  log.info(
    `Paperscope ${String(context.extension.packageJSON.version)} runs in the ${host === 'node' ? 'Node.js' : 'browser (web worker)'} extension host; ` +
      `bundled library of ${library.index.size} papers loaded in ${Date.now() - started} ms; search index ${indexIn}.` +
      (host === 'webworker' ? ' In the browser, arXiv (no CORS) and Zotero (on this computer) are not reachable; Crossref, DBLP, Semantic Scholar and OpenAlex are.' : ''),
  );
  const notify = new Notifier();
  // A workspace setting is data from the repository: only plain command names are used.
  const latexCommand = () => {
    const command = config().get<string>(Settings.latexCommand, 'cite');
    return typeof command === 'string' && /^[A-Za-z]{1,40}\*?$/.test(command) ? command : 'cite';
  };
  const extraCommands = (): ReadonlySet<string> => {
    const names = config().get<unknown>(Settings.citationCommands, []);
    return new Set(Array.isArray(names) ? names.filter(isCommandName).slice(0, 100) : []);
  };
  // The bundled corpus is searchable now; the workspace's .bib files join in the background.
  const bibFiles = new BibFiles(notify, services.sources, (uri) => library.readAhead(uri));
  const bibSubscription = vscode.Disposable.from(
    bibFiles.onDidChangeFile((change) => void library.applyBibChange(change)),
    // An index changed in this session (a .bib saved, Zotero's items read again) is kept
    // with the files' names as they are now: the next start answers from it early.
    library.onDidChange(() => void library.keepSources(() => bibFiles.currentSources()).catch(() => undefined)),
  );
  const scanner = new DocumentScanner(library, extraCommands, (doc) =>
    notify.info(
      `Paperscope: ${vscode.workspace.asRelativePath(doc.uri, false)} is larger than ${MAX_SCAN_CHARS / 1_000_000} million characters; hover cards, diagnostics and "In This Document" are off for it.`,
    ),
  );
  const bibliographies = new Bibliographies(
    context.workspaceState,
    (uri) => bibFiles.entriesOf(uri),
    (doc) => config(doc.uri).get<string>(Settings.bibliographyFile, ''),
  );
  const added = new AddedEntries(context.workspaceState, notify, extraCommands);
  // A paper from the user's .bib files goes into another file self-contained (macros
  // expanded, crossref inlined), under the key it is cited by; a bundled paper as we write it.
  const entryFor = (paper: Paper): string => {
    const origin = paper.origins?.find((o) => o.key === paper.key) ?? paper.origin;
    if (!origin) {
      return bibtexEntry(paper);
    }
    const text = selfContainedEntry(origin.bibtex, (name) => library.model.macro(name), (key) => library.model.entryByKey(key));
    return origin.key === paper.key ? text : text.replace(/^(@[\w-]+\s*[{(]\s*)[^,\s]*/, `$1${paper.key}`);
  };
  const citer = new Citer({ latexCommand, extraCommands, bibliographies, entryFor, added, notify });
  const detail = new DetailPanel(context.extensionUri, library, (papers) => citer.cite(papers));
  // Online settings are the user's (application scope): a workspace cannot redirect queries or read keys.
  const desktop = host === 'node';
  const online = new Online(
    {
      enabled: () => config().get<Partial<Record<SearchProvider, boolean>>>(Settings.onlineProviders, {}) ?? {},
      endpoints: () => {
        const set = config().get<Partial<Endpoints>>(Settings.onlineEndpoints, {}) ?? {};
        const out: Endpoints = { ...DEFAULT_ENDPOINTS };
        for (const k of Object.keys(out) as (keyof Endpoints)[]) {
          const v = set[k];
          if (typeof v === 'string' && /^https?:\/\/\S+$/i.test(v)) {
            out[k] = v;
          }
        }
        return out;
      },
      email: () => config().get<string>(Settings.onlineEmail, '')?.trim() || undefined,
      timeoutMs: () => Math.min(120, Math.max(1, config().get<number>(Settings.onlineTimeoutSeconds, 10))) * 1000,
    },
    context.secrets,
    new ResponseCache(vscode.Uri.joinPath(context.globalStorageUri, 'online-cache')),
    new FetchTransport(desktop),
    desktop ? 'desktop' : 'web',
    (message, level) =>
      level === 'warn'
        ? notify.warn(`Paperscope: ${message}`)
        : level === 'info'
          ? notify.info(`Paperscope: ${message}`)
          : vscode.window.setStatusBarMessage(`$(info) Paperscope: ${message}`, 8000),
  );
  const zotero = new ZoteroLibrary(online, library);
  const pickerDeps: SearchPickerDeps = {
    library,
    detail,
    maxResults: () => config().get<number>(Settings.maxResults, 50),
    cite: async (papers) => {
      await citer.cite(papers);
    },
    online,
    searchAsYouType: () => config().get<boolean>(Settings.onlineSearchAsYouType, false) === true,
    lookUp: (input) => resolveIdentifier({ online, library, notify }, input),
  };
  const abstractLength = () => config().get<number>(Settings.hoverAbstractLength, 400);
  const diagnostics = new CitationDiagnostics({ library, scanner, bibliographies, onDidChangeBibs: bibFiles.onDidChange });
  const bibDiagnostics = new BibDiagnostics(
    bibFiles,
    {
      macro: (name) => library.model.macro(name),
      papersWithKey: (key) => library.index.allByKey(key).length,
      hasEntry: (key) => library.model.entryByKey(key) !== undefined,
    },
    library.onDidChange,
  );
  const libraryTree = new LibraryTree(library, context.globalState);
  const overview = new OverviewPanel(context.extensionUri, library, libraryTree, extraCommands, log);
  const documentTree = new DocumentPapersTree(library, scanner);

  context.subscriptions.push(
    library,
    bibFiles,
    bibSubscription,
    bibDiagnostics,
    scanner,
    diagnostics,
    registerDetailPanel(detail, library),
    registerOverviewPanel(overview),
    registerSearchCommands(pickerDeps),
    registerCitationCommands({ library, citer, picker: pickerDeps, notify, bibliographies, entryFor, added }),
    vscode.commands.registerCommand(Commands.copyBibtex, async (key?: unknown) => {
      const paper =
        key !== undefined
          ? paperFromArg(library, key)
          : (paperAtCursor(library, scanner) ?? (await pickPaper(pickerDeps, 'Copy BibTeX of…')));
      if (paper) {
        await copyBibtex(paper);
      }
    }),
    registerHoverProvider({
      library,
      scanner,
      titlesEnabled: () => config().get<boolean>(Settings.hoverTitles, true),
      abstractLength,
      lookupOnHover: async (kind, id, token) => {
        if (config().get<boolean>(Settings.onlineLookupOnHover, false) !== true) {
          return undefined;
        }
        const work = await online.lookup(kind === 'arxiv' ? { kind: 'arxiv', id } : { kind: 'doi', doi: id }, token);
        return library.paperForWork(work);
      },
    }),
    registerOnlineCommands({ online, zotero, library, detail, citer, bibliographies, entryFor, added, notify }),
    zotero,
    registerCompletionProvider({ library, bibliographies, abstractLength, extraCommands }),
    registerCitationCodeActions({ library, bibliographies }),
    registerPaperCommands(library, pickerDeps),
    registerWalkthroughCommands(),
    registerLibraryView(libraryTree),
    registerDocumentView(documentTree),
    registerStatusBar(library),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${ConfigSection}.${Settings.citationCommands}`)) {
        scanner.invalidate();
      }
    }),
  );
  // Zotero's library joins when Zotero answers (one request to this machine, no retries).
  const zoteroReady = config().get<Partial<Record<SearchProvider, boolean>>>(Settings.onlineProviders, {})?.zotero === false ? Promise.resolve(0) : zotero.refresh().catch(() => 0);
  // A kept index made from the very same files answers while they are parsed (in the
  // worker): the files are named — digested as they are read, or in the browser by
  // their stat before they are read — before any is parsed.
  bibFiles.sources
    .then(async (sources) => {
      const read = Date.now() - started;
      if (sources && (await library.expectKept(sources))) {
        log.info(`Your libraries: searchable from the index kept at the last start ${Date.now() - started} ms after activation (the .bib files named after ${read} ms), while they are read and parsed.`);
      }
    })
    .catch((err: unknown) => log.warn(`The kept index could not answer early: ${err instanceof Error ? err.message : String(err)}`));
  // Once the workspace's .bib files are read, the full text indexes them — or, in the
  // worker, loads the index of exactly these papers kept from the last start (or that
  // index brought up to date when some entries changed since).
  const indexed = (async () => {
    let sources: string | undefined;
    try {
      await bibFiles.ready;
      // Zotero's items are indexed with the files when they come in time (a probe of this
      // machine, then one read): items that come after the index was made must change it
      // (about a second with 20,000 papers), and the kept index would no longer answer early
      // at the next start. Searches answer meanwhile (the kept index, or the bundled one).
      if ((await withPatience(zoteroReady, ZOTERO_PATIENCE_MS)) === undefined) {
        log.info(`Zotero's items did not come within ${ZOTERO_PATIENCE_MS / 1000} s of your .bib files: they join the index when they come.`);
      }
      sources = await bibFiles.sources;
    } catch (err) {
      // What was read is settled all the same: what waits for the start-up (the title
      // matcher: Library.readAndSettled) must not wait for the rest of the session.
      log.warn(`Reading your libraries failed (${err instanceof Error ? err.message : String(err)}); what was read is indexed.`);
    }
    const started = Date.now();
    const from = await library.settleFullText(sources);
    if (from !== 'nothing to index') {
      const how = { cache: 'from the index kept at the last start', updated: 'from the index kept at the last start, re-indexing only what changed since', indexing: 'after indexing' }[from];
      log.info(`Your libraries: ${library.index.size} papers searchable ${how} in ${Date.now() - started} ms.`);
    }
  })().catch((err: unknown) => log.warn(`Indexing your libraries failed: ${err instanceof Error ? err.message : String(err)}`));
  const ready = async () => {
    await indexed;
    await zoteroReady;
    await library.settled();
  };
  return {
    library,
    detail,
    scanner,
    diagnostics,
    bibDiagnostics,
    bibFiles,
    bibliographies,
    citer,
    added,
    online,
    zotero,
    libraryTree,
    host,
    overview,
    documentTree,
    ready,
    notify,
    searchPicker: currentSearchPicker,
  };
}

/** The paper mentioned under the cursor of the active editor, if any. */
function paperAtCursor(library: Library, scanner: DocumentScanner) {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    return undefined;
  }
  const m = mentionAt(scanner.scan(editor.document), editor.document.offsetAt(editor.selection.active));
  return m ? paperForMention(library.index, m) : undefined;
}

/** Set while active: stops the full text (a worker stores a waiting index first). */
let stopFullText: (() => Promise<void>) | undefined;

/**
 * Everything is disposed through context.subscriptions; VS Code waits (about 5 s at most)
 * for the promise returned here, so a worker can store the index it has just built.
 */
export function deactivate(): Promise<void> | undefined {
  const stop = stopFullText;
  stopFullText = undefined;
  return stop?.();
}
