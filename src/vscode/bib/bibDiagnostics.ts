import * as vscode from 'vscode';
import type { BibEntry } from '../../core/bib/parser';
import { positionIn, type LineStarts } from '../../core/text/lines';
import type { BibFile, BibFiles } from './bibFiles';

/** What the diagnostics ask of the library. */
export interface BibDiagnosticsDeps {
  /** A macro defined by some workspace .bib file (BibTeX reads `\bibliography{macros,refs}` as one). */
  readonly macro: (name: string) => string | undefined;
  /** How many distinct papers answer to a key across the library. */
  readonly papersWithKey: (key: string) => number;
  /** Whether some workspace .bib file has an entry with this key (a crossref's parent may be in another file). */
  readonly hasEntry: (key: string) => boolean;
}

const DEBOUNCE_MS = 150;

function position(lineStarts: LineStarts, offset: number): vscode.Position {
  const p = positionIn(lineStarts, offset);
  return new vscode.Position(p.line, p.character);
}

/**
 * Parse problems of the workspace's .bib files, a key defined twice in one file, and a
 * key that names different papers in different files, as diagnostics on the files. An
 * identical copy of an entry in another file is expected (a document's own refs.bib
 * beside a shared library), so it is no conflict. Positions come from the parse's line
 * table: no rescans, the pass stays in milliseconds on a 20,000-entry file.
 */
export class BibDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('paperscope-bib');
  private readonly subscriptions: vscode.Disposable[];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly files: BibFiles,
    private readonly deps: BibDiagnosticsDeps,
    onDidChangeLibrary: vscode.Event<void>,
  ) {
    this.subscriptions = [files.onDidChange(() => this.schedule()), onDidChangeLibrary(() => this.schedule())];
    this.update();
  }

  get(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), DEBOUNCE_MS);
  }

  update(): void {
    clearTimeout(this.timer);
    const all = [...this.files.all().values()].sort((a, b) => a.uri.toString().localeCompare(b.uri.toString()));
    const firstSeen = new Map<string, { file: BibFile; entry: BibEntry }>();
    const next = new Map<string, vscode.Diagnostic[]>();
    for (const file of all) {
      const diagnostics: vscode.Diagnostic[] = [];
      const { lineStarts } = file.result;
      for (const err of file.result.errors) {
        if ((err.macro && this.deps.macro(err.macro) !== undefined) || (err.crossref && this.deps.hasEntry(err.crossref))) {
          continue; // defined in another .bib file of the workspace (BibTeX reads them together)
        }
        const at = position(lineStarts, err.offset);
        const d = new vscode.Diagnostic(
          new vscode.Range(at, at.translate(0, 1)),
          err.message,
          err.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
        );
        d.source = 'Paperscope';
        d.code = err.severity === 'error' ? 'bib-syntax' : err.macro ? 'undefined-macro' : 'bib-warning';
        diagnostics.push(d);
      }
      const name = vscode.workspace.asRelativePath(file.uri, false);
      const inThisFile = new Set<string>();
      for (const entry of file.result.entries) {
        const at = position(lineStarts, entry.keyStart);
        const range = new vscode.Range(at, at.translate(0, entry.key.length));
        if (inThisFile.has(entry.key)) {
          const d = new vscode.Diagnostic(range, `Key '${entry.key}' is defined twice in ${name}: BibTeX reports a repeated entry and uses the first.`, vscode.DiagnosticSeverity.Warning);
          d.source = 'Paperscope';
          d.code = 'duplicate-key';
          diagnostics.push(d);
          continue;
        }
        inThisFile.add(entry.key);
        const earlier = firstSeen.get(entry.key);
        if (!earlier) {
          firstSeen.set(entry.key, { file, entry });
        } else if (this.deps.papersWithKey(entry.key) > 1) {
          const other = vscode.workspace.asRelativePath(earlier.file.uri, false);
          const d = new vscode.Diagnostic(
            range,
            `Key '${entry.key}' names a different paper in ${other}, line ${earlier.entry.line}: citations of it are ambiguous. Give one of them another key.`,
            vscode.DiagnosticSeverity.Warning,
          );
          d.source = 'Paperscope';
          d.code = 'key-conflict';
          d.relatedInformation = [
            new vscode.DiagnosticRelatedInformation(
              new vscode.Location(earlier.file.uri, position(earlier.file.result.lineStarts, earlier.entry.keyStart)),
              `'${entry.key}' here`,
            ),
          ];
          diagnostics.push(d);
        }
      }
      if (diagnostics.length > 0) {
        next.set(file.uri.toString(), diagnostics);
      }
    }
    this.collection.clear();
    for (const file of all) {
      const diagnostics = next.get(file.uri.toString());
      if (diagnostics) {
        this.collection.set(file.uri, diagnostics);
      }
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscriptions.forEach((d) => d.dispose());
    this.collection.dispose();
  }
}
