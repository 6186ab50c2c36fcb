import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { Paper } from '../../core/library/paper';
import { isValidKey } from '../../webview/protocol';
import { keyFromArg } from '../bibtexCommands';
import type { Library } from '../library';
import type { Notifier } from '../notifier';
import { pickPapersToCite, type SearchPickerDeps } from '../search/searchPicker';
import type { AddedEntries } from './addedEntries';
import { displayName, ensureBibEntries, type Bibliographies } from './bibliography';
import type { CiteAt, Citer } from './citer';

function papersFromArgs(library: Library, arg: unknown): Paper[] | undefined {
  const args = Array.isArray(arg) ? arg : arg === undefined ? undefined : [arg];
  if (!args) {
    return undefined;
  }
  const papers = args.map(keyFromArg).map((k) => (k === undefined ? undefined : library.resolve(k)));
  return papers.length > 0 && papers.every((p): p is Paper => p !== undefined) ? papers : [];
}

/** A location argument from a hover card: `{ uri, offset }` of where the citation goes. */
function citeAtFromArg(arg: unknown): CiteAt | undefined {
  if (typeof arg !== 'object' || arg === null) {
    return undefined;
  }
  const { uri, offset } = arg as Record<string, unknown>;
  return typeof uri === 'string' && uri.length < 2000 && typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 ? { uri, offset } : undefined;
}

export interface CitationCommandDeps {
  readonly library: Library;
  readonly citer: Citer;
  readonly picker: SearchPickerDeps;
  readonly notify: Notifier;
  readonly bibliographies: Bibliographies;
  readonly entryFor: (paper: Paper) => string;
  readonly added: AddedEntries;
}

/** Adds one paper's entry, under the key as cited, to a document's bibliography file, reporting the outcome. */
async function addEntry(deps: CitationCommandDeps, docUri: unknown, key: unknown, quiet: boolean): Promise<void> {
  if (typeof docUri !== 'string' || !isValidKey(key)) {
    return;
  }
  const found = deps.library.resolve(key);
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === docUri);
  if (!found || !doc) {
    return;
  }
  let bib: vscode.Uri | undefined;
  try {
    bib = await deps.bibliographies.writeTarget(doc);
  } catch {
    return; // the user chose nothing
  }
  if (!bib) {
    return; // this document cites keys only
  }
  // The entry goes in under the key the document cites (an alias of the paper, maybe).
  const paper = found.key === key ? found : { ...found, key };
  try {
    const result = await ensureBibEntries(bib, [paper], {
      citing: doc,
      entryFor: deps.entryFor,
      alsoRead: await deps.bibliographies.entriesFor(doc),
    });
    await deps.added.record(bib, result.addedKeys);
    if (!quiet || result.added > 0) {
      vscode.window.setStatusBarMessage(
        result.added > 0 ? `$(check) Added ${key} to ${displayName(bib)}` : `${displayName(bib)} already has ${result.keys[0]} for this paper`,
        4000,
      );
    }
  } catch (err) {
    deps.notify.error(`Paperscope: could not add ${key} to ${displayName(bib)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Insert Citation (palette, hover, buttons) and the bibliography commands behind quick fixes and completion. */
export function registerCitationCommands(deps: CitationCommandDeps): vscode.Disposable {
  const { library, citer, notify } = deps;
  return vscode.Disposable.from(
    citer,
    vscode.commands.registerCommand(Commands.insertCitation, async (arg?: unknown, where?: unknown) => {
      const given = papersFromArgs(library, arg);
      if (given && given.length === 0) {
        notify.warn('Paperscope: no paper with that key.');
        return;
      }
      const editor = citer.targetEditor();
      if (!editor) {
        notify.warn('Paperscope: open a file to insert a citation into.');
        return;
      }
      const papers = given ?? (await pickPapersToCite(deps.picker));
      if (papers.length > 0) {
        await citer.cite(papers, citeAtFromArg(where));
      }
    }),
    vscode.commands.registerCommand(Commands.addBibEntry, (docUri?: unknown, key?: unknown) => addEntry(deps, docUri, key, false)),
    vscode.commands.registerCommand(Commands.ensureBibEntry, (docUri?: unknown, key?: unknown) => addEntry(deps, docUri, key, true)),
    vscode.commands.registerCommand(Commands.removeUnusedEntries, () => deps.added.removeUnused()),
  );
}
