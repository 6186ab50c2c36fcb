import * as vscode from 'vscode';
import { isCommandName } from '../../core/cite/citeCommands';
import { citationInsertion } from '../../core/cite/citeContext';
import { documentCiteCommand } from '../../core/cite/citeStyle';
import type { Paper } from '../../core/library/paper';
import { documentKind } from '../documents';
import type { Notifier } from '../notifier';
import type { AddedEntries } from './addedEntries';
import { displayName, ensureBibEntries, type Bibliographies } from './bibliography';

/** Where a citation goes when it is not the cursor: right after a title mention a hover card was over. */
export interface CiteAt {
  readonly uri: string;
  readonly offset: number;
}

export interface CiterDeps {
  /** The LaTeX command setting (used when the document does not show its own way of citing). */
  readonly latexCommand: () => string;
  /** The user's own LaTeX citation commands (setting `paperscope.citation.commands`). */
  readonly extraCommands: () => ReadonlySet<string>;
  readonly bibliographies: Bibliographies;
  /** The entry to write for a paper into another file (self-contained). */
  readonly entryFor: (paper: Paper) => string;
  readonly added: AddedEntries;
  readonly notify: Notifier;
}

/** Inserts citations into the editor the user was last writing in, and keeps its .bib right. */
export class Citer implements vscode.Disposable {
  private lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private toldKeyOnly = false;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly deps: CiterDeps) {
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

  /** The LaTeX command a new citation in this document uses: the document's own habit, else its packages', else the setting. */
  citeCommandFor(doc: vscode.TextDocument): string {
    const setting = this.deps.latexCommand();
    return documentCiteCommand(doc.getText(), setting, this.deps.extraCommands());
  }

  /**
   * Cites the papers at every cursor of the target editor (after a selection, never in
   * place of it), or at `at`. In LaTeX and Markdown the entries are first ensured in the
   * document's bibliography, whose existing key wins when it already holds the paper;
   * elsewhere the keys are inserted alone.
   */
  async cite(papers: readonly Paper[], at?: CiteAt): Promise<boolean> {
    if (papers.length === 0) {
      return false;
    }
    const target = at ? this.editorFor(at.uri) : this.targetEditor();
    if (!target) {
      this.deps.notify.warn('Paperscope: open a LaTeX or Markdown file to insert a citation.');
      return false;
    }
    // Bring the editor back to the front (a detail panel may cover it).
    const editor = await vscode.window.showTextDocument(target.document, { viewColumn: target.viewColumn, preserveFocus: false });
    const doc = editor.document;
    const kind = documentKind(doc);
    let keys = papers.map((p) => p.key);
    let note = '';
    if (kind) {
      let bib: vscode.Uri | undefined;
      try {
        bib = await this.deps.bibliographies.writeTarget(doc);
      } catch (err) {
        this.deps.notify.info(`Paperscope: nothing cited — ${err instanceof Error ? err.message : String(err)}.`);
        return false;
      }
      if (bib) {
        try {
          const others = await this.deps.bibliographies.entriesFor(doc);
          const result = await ensureBibEntries(bib, papers, { citing: doc, entryFor: this.deps.entryFor, alsoRead: others });
          keys = result.keys;
          await this.deps.added.record(bib, result.addedKeys);
          note = result.added > 0 ? ` · added ${result.added} ${result.added === 1 ? 'entry' : 'entries'} to ${displayName(bib)}` : '';
        } catch (err) {
          this.deps.notify.error(
            `Paperscope: could not add the BibTeX ${papers.length === 1 ? 'entry' : 'entries'} to ${displayName(bib)}: ${err instanceof Error ? err.message : String(err)}`,
          );
        }
      } else {
        keys = papers.map((p) => p.key);
      }
    }
    const unique = [...new Set(keys)];
    const inserted = await this.insert(editor, kind, unique, at);
    if (inserted) {
      vscode.window.setStatusBarMessage(`$(check) Cited ${unique.join(', ')}${note}`, 5000);
      if (!kind && !this.toldKeyOnly) {
        this.toldKeyOnly = true;
        this.deps.notify.info(`Paperscope inserted the citation key alone: ${doc.languageId} files are neither LaTeX nor Markdown, so there is no citation syntax or bibliography to follow.`);
      }
    } else {
      this.deps.notify.error('Paperscope: the citation could not be inserted (the editor changed or is read-only).');
    }
    return inserted;
  }

  private editorFor(uri: string): vscode.TextEditor | undefined {
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri);
    if (visible) {
      return visible;
    }
    const last = this.targetEditor();
    return last?.document.uri.toString() === uri ? last : undefined;
  }

  private async insert(editor: vscode.TextEditor, kind: ReturnType<typeof documentKind>, keys: string[], at?: CiteAt): Promise<boolean> {
    const doc = editor.document;
    const text = doc.getText();
    const command = kind === 'latex' ? this.citeCommandFor(doc) : 'cite';
    const extra = this.deps.extraCommands();
    // A selection is the query that found the paper, never the place of the citation: cite after it.
    const offsets = at ? [at.offset] : editor.selections.map((sel) => doc.offsetAt(sel.isEmpty ? sel.active : sel.end));
    const plans = offsets.map((offset) => {
      if (!kind) {
        return { range: new vscode.Range(doc.positionAt(offset), doc.positionAt(offset)), text: keys.join(',') };
      }
      const ins = citationInsertion(text, offset, kind, keys, isCommandName(command.replace(/\*$/, '')) ? command : 'cite', extra);
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
