import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { Paper } from '../../core/library/paper';
import { isValidKey } from '../../webview/protocol';
import { keyFromArg } from '../bibtexCommands';
import type { Library } from '../library';
import type { Notifier } from '../notifier';
import { pickPapersToCite, type SearchPickerDeps } from '../search/searchPicker';
import { bibliographyTarget, displayName, ensureBibEntries } from './bibliography';
import type { Citer } from './citer';

function papersFromArgs(library: Library, arg: unknown): Paper[] | undefined {
  const args = Array.isArray(arg) ? arg : arg === undefined ? undefined : [arg];
  if (!args) {
    return undefined;
  }
  const papers = args.map(keyFromArg).map((k) => (k === undefined ? undefined : library.index.byKey(k)));
  return papers.length > 0 && papers.every((p): p is Paper => p !== undefined) ? papers : [];
}

/** Adds one paper's entry to a document's bibliography file, reporting the outcome. */
async function addEntry(library: Library, notify: Notifier, docUri: unknown, key: unknown, quiet: boolean): Promise<void> {
  if (typeof docUri !== 'string' || !isValidKey(key)) {
    return;
  }
  const paper = library.index.byKey(key);
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === docUri);
  const bib = doc && bibliographyTarget(doc);
  if (!paper || !bib) {
    return;
  }
  try {
    const result = await ensureBibEntries(bib, [paper], doc);
    if (!quiet || result.added > 0) {
      vscode.window.setStatusBarMessage(
        result.added > 0 ? `$(check) Added ${paper.key} to ${displayName(bib)}` : `${displayName(bib)} already has ${paper.key}`,
        4000,
      );
    }
  } catch (err) {
    notify.error(`Paperscope: could not add ${paper.key} to ${displayName(bib)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Insert Citation (palette, hover, buttons) and the bibliography commands behind quick fixes and completion. */
export function registerCitationCommands(library: Library, citer: Citer, pickerDeps: SearchPickerDeps, notify: Notifier): vscode.Disposable {
  return vscode.Disposable.from(
    citer,
    vscode.commands.registerCommand(Commands.insertCitation, async (arg?: unknown) => {
      const given = papersFromArgs(library, arg);
      if (given && given.length === 0) {
        notify.warn('Paperscope: no paper with that key.');
        return;
      }
      const editor = citer.targetEditor();
      if (!editor) {
        notify.warn('Paperscope: open a LaTeX or Markdown file to insert a citation.');
        return;
      }
      const papers = given ?? (await pickPapersToCite(pickerDeps));
      if (papers.length > 0) {
        await citer.cite(papers);
      }
    }),
    vscode.commands.registerCommand(Commands.addBibEntry, (docUri?: unknown, key?: unknown) => addEntry(library, notify, docUri, key, false)),
    vscode.commands.registerCommand(Commands.ensureBibEntry, (docUri?: unknown, key?: unknown) => addEntry(library, notify, docUri, key, true)),
  );
}
