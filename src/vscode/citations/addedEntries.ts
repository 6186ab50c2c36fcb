import * as vscode from 'vscode';
import { parseBibtex } from '../../core/bib/parser';
import { decodeText } from '../../core/text/decode';
import { openDocument } from '../bib/readText';
import type { Notifier } from '../notifier';
import { workspaceCitations } from './workspaceCitations';

const STATE = 'paperscope.addedEntries';

/**
 * The entries Paperscope appended to .bib files, remembered per workspace so that the
 * ones nothing cites any more (a completion accepted, then the key changed) can be
 * offered for removal — never removed silently.
 */
export class AddedEntries {
  constructor(
    private readonly state: vscode.Memento,
    private readonly notify: Notifier,
    private readonly extraCommands: () => ReadonlySet<string>,
  ) {}

  private all(): Record<string, string[]> {
    return this.state.get<Record<string, string[]>>(STATE) ?? {};
  }

  /** Remembers entries just appended to a .bib file. */
  async record(bib: vscode.Uri, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) {
      return;
    }
    const all = { ...this.all() };
    all[bib.toString()] = [...new Set([...(all[bib.toString()] ?? []), ...keys])];
    await this.state.update(STATE, all);
  }

  /** Whether Paperscope added this key to this .bib file. */
  added(bib: vscode.Uri, key: string): boolean {
    return (this.all()[bib.toString()] ?? []).includes(key);
  }

  /**
   * Finds the entries Paperscope added that no document cites, lets the user check which
   * to remove, and removes those as one edit per file (each undoable).
   */
  async removeUnused(): Promise<number> {
    const cited = await workspaceCitations(this.extraCommands());
    type Item = vscode.QuickPickItem & { readonly bib: vscode.Uri; readonly key: string };
    const items: Item[] = [];
    for (const [file, keys] of Object.entries(this.all())) {
      const bib = vscode.Uri.parse(file);
      const doc = openDocument(bib);
      let text: string;
      try {
        text = doc ? doc.getText() : await decodeText(await vscode.workspace.fs.readFile(bib));
      } catch {
        continue; // the file is gone
      }
      if (cited.wholeFiles.has(bib.toString())) {
        continue; // a document cites every entry of this file (\nocite{*})
      }
      for (const entry of parseBibtex(text).entries) {
        if (keys.includes(entry.key) && !cited.counts.has(entry.key)) {
          items.push({
            label: entry.key,
            description: vscode.workspace.asRelativePath(bib, false),
            detail: (entry.fields.title ?? '').replace(/[{}]/g, ''),
            picked: true,
            bib,
            key: entry.key,
          });
        }
      }
    }
    if (items.length === 0) {
      this.notify.info('Paperscope: every entry it added is still cited.');
      return 0;
    }
    const chosen = await vscode.window.showQuickPick(items, {
      canPickMany: true,
      title: 'Remove entries Paperscope added that nothing cites',
      placeHolder: 'Uncheck the entries to keep, then press Enter',
    });
    if (!chosen || chosen.length === 0) {
      return 0;
    }
    const edit = new vscode.WorkspaceEdit();
    const clean: vscode.TextDocument[] = [];
    for (const item of chosen) {
      // Positions from the text as it is now (the file may have changed while the list was open).
      const doc = openDocument(item.bib) ?? (await vscode.workspace.openTextDocument(item.bib));
      if (!doc.isDirty && !clean.includes(doc)) {
        clean.push(doc);
      }
      const text = doc.getText();
      const entry = parseBibtex(text).entries.find((e) => e.key === item.key);
      if (!entry) {
        continue;
      }
      // The entry and the blank lines before it.
      let start = entry.start;
      while (start > 0 && /[ \t\r\n]/.test(text[start - 1])) {
        start--;
      }
      edit.delete(item.bib, new vscode.Range(doc.positionAt(start), doc.positionAt(entry.end)));
    }
    if (!(await vscode.workspace.applyEdit(edit))) {
      this.notify.error('Paperscope: the entries could not be removed (a file changed or is read-only).');
      return 0;
    }
    // Files that had no unsaved changes are saved, as when entries are added; the user's own unsaved work is left alone.
    await Promise.all(clean.map((d) => d.save()));
    const all = { ...this.all() };
    for (const item of chosen) {
      all[item.bib.toString()] = (all[item.bib.toString()] ?? []).filter((k) => k !== item.key);
    }
    await this.state.update(STATE, all);
    vscode.window.setStatusBarMessage(`$(check) Removed ${chosen.length} unused ${chosen.length === 1 ? 'entry' : 'entries'}`, 5000);
    return chosen.length;
  }
}
