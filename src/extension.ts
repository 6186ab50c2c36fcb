// Composition root: builds the services and registers each feature. No feature logic here.
import * as vscode from 'vscode';
import { Commands, ConfigSection, MAX_SCAN_CHARS, Settings } from './constants';
import { mentionAt } from './core/detect/detect';
import { paperForMention } from './core/search/searchIndex';
import { BibDiagnostics } from './vscode/bib/bibDiagnostics';
import { BibFiles } from './vscode/bib/bibFiles';
import { copyBibtex, paperFromArg } from './vscode/bibtexCommands';
import { Citer } from './vscode/citations/citer';
import { registerCompletionProvider } from './vscode/citations/completion';
import { registerCitationCommands } from './vscode/citations/registerCitations';
import { DetailPanel, registerDetailPanel } from './vscode/detail/detailPanel';
import { CitationDiagnostics, registerCitationCodeActions } from './vscode/diagnostics/citationDiagnostics';
import { registerHoverProvider } from './vscode/hover/hoverProvider';
import { Library, loadBundledIndex } from './vscode/library';
import { DocumentScanner } from './vscode/scanner';
import { registerPaperCommands } from './vscode/paperCommands';
import { pickPaper, registerSearchCommands, type SearchPickerDeps } from './vscode/search/searchPicker';
import { Notifier } from './vscode/notifier';
import { registerStatusBar } from './vscode/statusBar';
import { DocumentPapersTree, registerDocumentView } from './vscode/tree/documentView';
import { LibraryTree, registerLibraryView } from './vscode/tree/libraryView';

/**
 * What activate returns. Internal: for Paperscope's own integration tests only,
 * not a public API; it may change in any release.
 */
export interface PaperscopeInternals {
  readonly library: Library;
  readonly detail: DetailPanel;
  readonly scanner: DocumentScanner;
  readonly diagnostics: CitationDiagnostics;
  readonly bibFiles: BibFiles;
  readonly notify: Notifier;
  /** Resolves when the workspace's .bib files are read and in the index. */
  readonly ready: () => Promise<void>;
  readonly libraryTree: LibraryTree;
  readonly documentTree: DocumentPapersTree;
}

export async function activate(context: vscode.ExtensionContext): Promise<PaperscopeInternals> {
  const config = () => vscode.workspace.getConfiguration(ConfigSection);
  const library = new Library(await loadBundledIndex(context.extensionUri));
  const notify = new Notifier();
  // The bundled corpus is searchable now; the workspace's .bib files join in the background.
  const bibFiles = new BibFiles(notify);
  const bibSubscription = bibFiles.onDidChangeFile((change) => void library.applyBibChange(change));
  const scanner = new DocumentScanner(library, (doc) =>
    notify.info(
      `Paperscope: ${vscode.workspace.asRelativePath(doc.uri, false)} is larger than ${MAX_SCAN_CHARS / 1_000_000} million characters; hover cards, diagnostics and "In This Document" are off for it.`,
    ),
  );
  const citer = new Citer(() => {
    // A workspace setting is data from the repository: only a plain command name is used.
    const command = config().get<string>(Settings.latexCommand, 'cite');
    return typeof command === 'string' && /^[A-Za-z]{1,40}\*?$/.test(command) ? command : 'cite';
  }, notify);
  const detail = new DetailPanel(context.extensionUri, library, (papers) => citer.cite(papers));
  const pickerDeps: SearchPickerDeps = {
    library,
    detail,
    maxResults: () => config().get<number>(Settings.maxResults, 50),
    cite: async (papers) => {
      await citer.cite(papers);
    },
  };
  const isKnownKey = (key: string) => library.index.byKey(key) !== undefined;
  const abstractLength = () => config().get<number>(Settings.hoverAbstractLength, 400);
  const diagnostics = new CitationDiagnostics({
    library,
    scanner,
    isKnownKey,
    bibEntries: (uri) => bibFiles.entriesOf(uri),
    onDidChangeBibs: bibFiles.onDidChange,
  });
  const libraryTree = new LibraryTree(library, context.globalState);
  const documentTree = new DocumentPapersTree(library, scanner, isKnownKey);

  context.subscriptions.push(
    library,
    bibFiles,
    bibSubscription,
    new BibDiagnostics(bibFiles),
    scanner,
    diagnostics,
    registerDetailPanel(detail, library),
    registerSearchCommands(pickerDeps),
    registerCitationCommands(library, citer, pickerDeps, notify),
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
      isKnownKey,
      titlesEnabled: () => config().get<boolean>(Settings.hoverTitles, true),
      abstractLength,
    }),
    registerCompletionProvider({ library, abstractLength, bibEntries: (uri) => bibFiles.entriesOf(uri) }),
    registerCitationCodeActions(),
    registerPaperCommands(library, pickerDeps),
    registerLibraryView(libraryTree),
    registerDocumentView(documentTree),
    registerStatusBar(library),
  );
  const ready = async () => {
    await bibFiles.ready;
    await library.settled();
  };
  return { library, detail, scanner, diagnostics, bibFiles, libraryTree, documentTree, ready, notify };
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

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
