import * as vscode from 'vscode';
import { citationInsertion } from '../../core/cite/citeContext';
import type { Paper } from '../../core/library/paper';
import { documentKind } from '../documents';
import type { Notifier } from '../notifier';
import { bibliographyTarget, displayName, ensureBibEntries } from './bibliography';

/** Inserts citations into the editor the user was last writing in, and keeps its .bib right. */
export class Citer implements vscode.Disposable {
  private lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private toldKeyOnly = false;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly latexCommand: () => string,
    private readonly notify: Notifier,
  ) {
    this.subscription = vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (editor) {
        this.lastEditor = editor;
      }
    });
  }

  /** The active text editor, or the last one when a webview or panel has focus. */
  targetEditor(): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (active) {
      return active;
    }
    const last = this.lastEditor;
    return last && !last.document.isClosed ? last : undefined;
  }

  /**
   * Cites the papers at every cursor of the target editor. In LaTeX and Markdown the
   * entries are first ensured in the bibliography file, whose existing key wins when it
   * already holds the paper; elsewhere the keys are inserted alone.
   */
  async cite(papers: readonly Paper[]): Promise<boolean> {
    if (papers.length === 0) {
      return false;
    }
    const target = this.targetEditor();
    if (!target) {
      this.notify.warn('Paperscope: open a LaTeX or Markdown file to insert a citation.');
      return false;
    }
    // Bring the editor back to the front (a detail panel may cover it).
    const editor = await vscode.window.showTextDocument(target.document, { viewColumn: target.viewColumn, preserveFocus: false });
    const doc = editor.document;
    const kind = documentKind(doc);
    let keys = papers.map((p) => p.key);
    let note = '';
    if (kind) {
      const bib = bibliographyTarget(doc);
      if (bib) {
        try {
          const result = await ensureBibEntries(bib, papers, doc);
          keys = result.keys;
          note = result.added > 0 ? ` · added ${result.added} ${result.added === 1 ? 'entry' : 'entries'} to ${displayName(bib)}` : '';
        } catch (err) {
          this.notify.error(
            `Paperscope: could not add the BibTeX ${papers.length === 1 ? 'entry' : 'entries'} to ${displayName(bib)}: ${err instanceof Error ? err.message : String(err)}`,
          );
        }
      }
    }
    const inserted = await this.insertAtCursors(editor, kind, [...new Set(keys)]);
    if (inserted) {
      vscode.window.setStatusBarMessage(`$(check) Cited ${[...new Set(keys)].join(', ')}${note}`, 5000);
      if (!kind && !this.toldKeyOnly) {
        this.toldKeyOnly = true;
        this.notify.info(`Paperscope inserted the citation key alone: ${doc.languageId} files are neither LaTeX nor Markdown.`);
      }
    } else {
      this.notify.error('Paperscope: the citation could not be inserted (the editor changed or is read-only).');
    }
    return inserted;
  }

  private async insertAtCursors(editor: vscode.TextEditor, kind: ReturnType<typeof documentKind>, keys: string[]): Promise<boolean> {
    const doc = editor.document;
    const text = doc.getText();
    const plans = editor.selections.map((sel) => {
      if (!kind) {
        return { range: sel, text: keys.join(',') };
      }
      // With a selection, the citation replaces it.
      const offset = doc.offsetAt(sel.active);
      const ins = sel.isEmpty
        ? citationInsertion(text, offset, kind, keys, this.latexCommand())
        : { start: doc.offsetAt(sel.start), end: doc.offsetAt(sel.end), text: citationInsertion(text, doc.offsetAt(sel.start), kind, keys, this.latexCommand()).text };
      return { range: new vscode.Range(doc.positionAt(ins.start), doc.positionAt(ins.end)), text: ins.text };
    });
    const snippetOf = (t: string) => new vscode.SnippetString().appendText(t);
    if (plans.every((p) => p.text === plans[0].text)) {
      return editor.insertSnippet(snippetOf(plans[0].text), plans.map((p) => p.range));
    }
    // Different text per cursor: insert from the last to the first, as one undo step.
    const ordered = [...plans].sort((a, b) => b.range.start.compareTo(a.range.start));
    for (let i = 0; i < ordered.length; i++) {
      const ok = await editor.insertSnippet(snippetOf(ordered[i].text), ordered[i].range, {
        undoStopBefore: i === 0,
        undoStopAfter: i === ordered.length - 1,
      });
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
