import * as vscode from 'vscode';
import type { BibFiles } from './bibFiles';

/** 0-based position of an offset in a text. */
function positionIn(text: string, offset: number): vscode.Position {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return new vscode.Position(line, offset - lineStart);
}

/** Parse errors of the workspace's .bib files, and keys defined twice, as diagnostics on the files. */
export class BibDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('paperscope-bib');
  private readonly subscription: vscode.Disposable;

  constructor(private readonly files: BibFiles) {
    this.subscription = files.onDidChange(() => this.update());
    this.update();
  }

  get(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  update(): void {
    this.collection.clear();
    const all = [...this.files.all().values()].sort((a, b) => a.uri.toString().localeCompare(b.uri.toString()));
    const firstSeen = new Map<string, { file: string; line: number }>();
    for (const file of all) {
      const diagnostics: vscode.Diagnostic[] = [];
      for (const err of file.result.errors) {
        const pos = positionIn(file.text, err.offset);
        const line = Math.min(pos.line, Math.max(0, file.text.split('\n', pos.line + 1).length - 1));
        const d = new vscode.Diagnostic(
          new vscode.Range(line, pos.character, line, pos.character + 1),
          err.message,
          err.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
        );
        d.source = 'Paperscope';
        d.code = err.severity === 'error' ? 'bib-syntax' : 'bib-warning';
        diagnostics.push(d);
      }
      const name = vscode.workspace.asRelativePath(file.uri, false);
      for (const entry of file.result.entries) {
        const earlier = firstSeen.get(entry.key);
        if (earlier) {
          const start = positionIn(file.text, entry.keyStart);
          const d = new vscode.Diagnostic(
            new vscode.Range(start, start.translate(0, entry.key.length)),
            `Duplicate key '${entry.key}': also in ${earlier.file}, line ${earlier.line}. Both entries are kept; citations resolve to the first.`,
            vscode.DiagnosticSeverity.Warning,
          );
          d.source = 'Paperscope';
          d.code = 'duplicate-key';
          diagnostics.push(d);
        } else {
          firstSeen.set(entry.key, { file: name, line: entry.line });
        }
      }
      if (diagnostics.length > 0) {
        this.collection.set(file.uri, diagnostics);
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}
