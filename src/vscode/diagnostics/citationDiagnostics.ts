import * as vscode from 'vscode';
import { Commands, DOCUMENT_SELECTOR } from '../../constants';
import { keyToCite } from '../../core/bib/edit';
import type { BibEntry } from '../../core/bib/parser';
import { keyAsQuery } from '../../core/cite/citationKey';
import { isSurelyCitation, type CitationMention } from '../../core/detect/detect';
import type { Bibliographies } from '../citations/bibliography';
import { displayName } from '../citations/bibliography';
import { documentKind } from '../documents';
import type { Library } from '../library';
import type { DocumentScanner } from '../scanner';

export const DiagnosticCodes = {
  unknownKey: 'unknown-key',
  missingEntry: 'missing-bib-entry',
} as const;

const DEBOUNCE_MS = 300;
/** A key on the line being typed is judged only after the typing has paused this long. */
const TYPING_MS = 1500;

export interface DiagnosticsDeps {
  readonly library: Library;
  readonly scanner: DocumentScanner;
  readonly bibliographies: Bibliographies;
  /** Fires when workspace .bib files change. */
  readonly onDidChangeBibs: vscode.Event<void>;
}

/**
 * Warnings for keys no paper answers to; information for a key as written that the
 * bibliography files the document reads do not define. Both are about the key as
 * written and the files that document actually uses.
 */
export class CitationDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('paperscope');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The lines last edited in each document, and when. */
  private readonly editing = new Map<string, { readonly lines: ReadonlySet<number>; readonly at: number }>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly deps: DiagnosticsDeps) {
    this.disposables = [
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) {
          const lines = new Set<number>();
          for (const c of e.contentChanges) {
            const added = c.text.split(/\r\n|\r|\n/).length - 1;
            for (let l = c.range.start.line; l <= c.range.start.line + added; l++) {
              lines.add(l);
            }
          }
          this.editing.set(e.document.uri.toString(), { lines, at: Date.now() });
          this.schedule(e.document, DEBOUNCE_MS);
        }
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        clearTimeout(this.timers.get(d.uri.toString()));
        this.editing.delete(d.uri.toString());
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
    const files = this.deps.bibliographies.filesOf(doc);
    const entries = files.length > 0 ? await this.deps.bibliographies.entriesFor(doc) : [];
    if (doc.isClosed || doc.version !== version) {
      return; // a newer run is scheduled
    }
    const defined = new Set(entries.map((e) => e.key));
    const index = this.deps.library.index;
    const typing = this.editing.get(doc.uri.toString());
    const stillTyping = typing && Date.now() - typing.at < TYPING_MS ? typing : undefined;
    let held = false;
    const diagnostics: vscode.Diagnostic[] = [];
    for (const m of citations) {
      const range = new vscode.Range(doc.positionAt(m.start), doc.positionAt(m.end));
      const paper = index.byKey(m.key);
      if (!paper) {
        if (!isSurelyCitation(m)) {
          continue; // a bare @word in prose may be a handle; only [@key] is surely a citation
        }
        if (stillTyping?.lines.has(range.start.line)) {
          held = true; // the key is probably still being typed
          continue;
        }
        const d = new vscode.Diagnostic(range, `Unknown citation key '${m.key}': no paper in the library has it`, vscode.DiagnosticSeverity.Warning);
        d.code = DiagnosticCodes.unknownKey;
        d.source = 'Paperscope';
        diagnostics.push(d);
      } else if (files.length > 0 && !defined.has(m.key)) {
        const names = files.map(displayName).join(', ');
        const d = new vscode.Diagnostic(range, `'${m.key}' is not in ${names}`, vscode.DiagnosticSeverity.Information);
        d.code = DiagnosticCodes.missingEntry;
        d.source = 'Paperscope';
        diagnostics.push(d);
      }
    }
    this.collection.set(doc.uri, diagnostics);
    if (held && stillTyping) {
      this.schedule(doc, TYPING_MS - (Date.now() - stillTyping.at) + 20);
    }
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.disposables.forEach((d) => d.dispose());
  }
}

/** The quick fixes' view of the library and the document's bibliography. */
export interface CodeActionDeps {
  readonly library: Library;
  readonly bibliographies: Bibliographies;
}

/**
 * Quick fixes. A key missing from the bibliography: cite the key the bibliography has
 * for the same paper, or add the entry. An unknown key: use the key the bibliography
 * has for the paper the key reads as (`schulman2017proximal` → the PPO entry), or search
 * for it with its name, year and words apart.
 */
export function registerCitationCodeActions(deps: CodeActionDeps): vscode.Disposable {
  const replace = (doc: vscode.TextDocument, d: vscode.Diagnostic, key: string, title: string): vscode.CodeAction => {
    const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    action.edit = new vscode.WorkspaceEdit();
    action.edit.replace(doc.uri, d.range, key);
    action.diagnostics = [d];
    action.isPreferred = true;
    return action;
  };
  return vscode.languages.registerCodeActionsProvider(
    DOCUMENT_SELECTOR,
    {
      async provideCodeActions(doc, _range, context) {
        const actions: vscode.CodeAction[] = [];
        let entries: BibEntry[] | undefined;
        const bibEntries = async () => (entries ??= await deps.bibliographies.entriesFor(doc));
        for (const d of context.diagnostics) {
          if (d.source !== 'Paperscope') {
            continue;
          }
          const key = doc.getText(d.range);
          if (d.code === DiagnosticCodes.unknownKey) {
            const query = keyAsQuery(key);
            const hits = (await deps.library.search(query, { limit: 3 })) ?? [];
            const top = hits[0]?.paper;
            const existing = top ? keyToCite(await bibEntries(), top) : undefined;
            if (top && existing && existing !== key) {
              actions.push(replace(doc, d, existing, `Cite '${existing}' (${top.title.slice(0, 60)}) instead`));
            }
            const search = new vscode.CodeAction(`Search papers for “${query}”`, vscode.CodeActionKind.QuickFix);
            search.command = { title: search.title, command: Commands.searchPapers, arguments: [query] };
            search.diagnostics = [d];
            actions.push(search);
          } else if (d.code === DiagnosticCodes.missingEntry) {
            const paper = deps.library.index.byKey(key);
            const existing = paper ? keyToCite(await bibEntries(), paper) : undefined;
            if (existing && existing !== key) {
              actions.push(replace(doc, d, existing, `Cite '${existing}' instead (the bibliography's key for this paper)`));
            }
            const target = await deps.bibliographies.writeTarget(doc).catch(() => undefined);
            const action = new vscode.CodeAction(
              `Add the BibTeX entry for '${key}' to ${target ? displayName(target) : 'the bibliography'}`,
              vscode.CodeActionKind.QuickFix,
            );
            action.command = { title: action.title, command: Commands.addBibEntry, arguments: [doc.uri.toString(), key] };
            action.diagnostics = [d];
            action.isPreferred = !existing;
            actions.push(action);
          }
        }
        return actions;
      },
    },
    { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
  );
}
