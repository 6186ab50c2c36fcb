import * as vscode from 'vscode';
import { Commands, DOCUMENT_SELECTOR } from '../../constants';
import { existingKeyFor } from '../../core/bib/edit';
import type { BibEntry } from '../../core/bib/parser';
import type { CitationMention } from '../../core/detect/detect';
import { bibliographyTarget, displayName } from '../citations/bibliography';
import { documentKind } from '../documents';
import type { Library } from '../library';
import type { DocumentScanner } from '../scanner';

export const DiagnosticCodes = {
  unknownKey: 'unknown-key',
  missingEntry: 'missing-bib-entry',
} as const;

const DEBOUNCE_MS = 300;

export interface DiagnosticsDeps {
  readonly library: Library;
  readonly scanner: DocumentScanner;
  readonly isKnownKey: (key: string) => boolean;
  /** The entries of a .bib file (BibFiles.entriesOf). */
  readonly bibEntries: (uri: vscode.Uri) => Promise<readonly BibEntry[] | undefined>;
  /** Fires when workspace .bib files change. */
  readonly onDidChangeBibs: vscode.Event<void>;
}

/** Warnings for unknown keys, information for bundled papers missing from the document's .bib. */
export class CitationDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('paperscope');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly deps: DiagnosticsDeps) {
    this.disposables = [
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) {
          this.schedule(e.document, DEBOUNCE_MS);
        }
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        clearTimeout(this.timers.get(d.uri.toString()));
        this.collection.delete(d.uri);
      }),
      deps.library.onDidChange(() => this.refreshAll()),
      deps.scanner.onDidChange(() => this.refreshAll()),
      deps.onDidChangeBibs(() => this.refreshAll()),
    ];
    this.refreshAll();
  }

  /** The diagnostics currently shown for a document (for tests). */
  get(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  refreshAll(): void {
    vscode.workspace.textDocuments.forEach((d) => this.schedule(d, 0));
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!documentKind(doc)) {
      return;
    }
    const id = doc.uri.toString();
    clearTimeout(this.timers.get(id));
    this.timers.set(
      id,
      setTimeout(() => {
        this.timers.delete(id);
        void this.update(doc);
      }, delay),
    );
  }

  /** Recomputes a document's diagnostics now. */
  async update(doc: vscode.TextDocument): Promise<void> {
    if (doc.isClosed) {
      return;
    }
    const version = doc.version;
    const citations = this.deps.scanner.scan(doc).filter((m): m is CitationMention => m.kind === 'citation');
    const bib = bibliographyTarget(doc);
    const bibEntries = bib ? await this.deps.bibEntries(bib) : undefined;
    if (doc.isClosed || doc.version !== version) {
      return; // a newer run is scheduled
    }
    const index = this.deps.library.index;
    const diagnostics: vscode.Diagnostic[] = [];
    for (const m of citations) {
      const range = new vscode.Range(doc.positionAt(m.start), doc.positionAt(m.end));
      const paper = index.byKey(m.key);
      if (!paper && !this.deps.isKnownKey(m.key)) {
        if (m.syntax === 'pandoc' && !m.bracketed) {
          continue; // a bare @word in prose may be a handle; only [@key] is surely a citation
        }
        const d = new vscode.Diagnostic(range, `Unknown citation key '${m.key}'`, vscode.DiagnosticSeverity.Warning);
        d.code = DiagnosticCodes.unknownKey;
        d.source = 'Paperscope';
        diagnostics.push(d);
      } else if (paper && bib && bibEntries && existingKeyFor(bibEntries, paper) !== paper.key) {
        const d = new vscode.Diagnostic(
          range,
          `'${m.key}' is not in ${displayName(bib)}`,
          vscode.DiagnosticSeverity.Information,
        );
        d.code = DiagnosticCodes.missingEntry;
        d.source = 'Paperscope';
        diagnostics.push(d);
      }
    }
    this.collection.set(doc.uri, diagnostics);
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.disposables.forEach((d) => d.dispose());
  }
}

/** Quick fixes: search for an unknown key; add a missing entry to the bibliography file. */
export function registerCitationCodeActions(): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    DOCUMENT_SELECTOR,
    {
      provideCodeActions(doc, _range, context) {
        const actions: vscode.CodeAction[] = [];
        for (const d of context.diagnostics) {
          if (d.source !== 'Paperscope') {
            continue;
          }
          const key = doc.getText(d.range);
          if (d.code === DiagnosticCodes.unknownKey) {
            const action = new vscode.CodeAction(`Search papers for '${key}'`, vscode.CodeActionKind.QuickFix);
            action.command = { title: action.title, command: Commands.searchPapers, arguments: [key] };
            action.diagnostics = [d];
            actions.push(action);
          } else if (d.code === DiagnosticCodes.missingEntry) {
            const bib = bibliographyTarget(doc);
            const action = new vscode.CodeAction(
              `Add BibTeX entry to ${bib ? displayName(bib) : 'the bibliography'}`,
              vscode.CodeActionKind.QuickFix,
            );
            action.command = { title: action.title, command: Commands.addBibEntry, arguments: [doc.uri.toString(), key] };
            action.diagnostics = [d];
            action.isPreferred = true;
            actions.push(action);
          }
        }
        return actions;
      },
    },
    { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
  );
}
