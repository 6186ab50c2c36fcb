import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { Paper } from '../../core/library/paper';
import { parseIdentifierInput, type IdentifierInput } from '../../core/online/papers';
import { PROVIDER_NAMES, ProviderError } from '../../core/online/types';
import { isValidKey } from '../../webview/protocol';
import type { AddedEntries } from '../citations/addedEntries';
import { displayName, ensureBibEntries, type Bibliographies } from '../citations/bibliography';
import type { Citer } from '../citations/citer';
import type { DetailPanel } from '../detail/detailPanel';
import { documentKind } from '../documents';
import type { Library } from '../library';
import type { Notifier } from '../notifier';
import { KEYED, type Online } from './online';
import type { ZoteroLibrary } from './zoteroLibrary';
import { findWorkspaceFiles } from '../workspaceFiles';

export interface OnlineCommandDeps {
  readonly online: Online;
  readonly zotero: ZoteroLibrary;
  readonly library: Library;
  readonly detail: DetailPanel;
  readonly citer: Citer;
  readonly bibliographies: Bibliographies;
  readonly entryFor: (paper: Paper) => string;
  readonly added: AddedEntries;
  readonly notify: Notifier;
}

/** A service's failure in words (always naming it), for messages. */
function describe(err: unknown): string {
  return err instanceof ProviderError ? err.message : err instanceof Error ? err.message : String(err);
}

/**
 * Adds a paper's entry to a bibliography: the one of the editor the user is writing in,
 * else a .bib file of the workspace the user picks. The same paper already in any of the
 * document's files under another key means nothing is added (that key is reported).
 */
export async function addToBibliography(deps: OnlineCommandDeps, paper: Paper): Promise<{ target: vscode.Uri; key: string; added: boolean } | undefined> {
  const editor = deps.citer.targetEditor();
  const doc = editor && documentKind(editor.document) ? editor.document : undefined;
  let target: vscode.Uri | undefined;
  if (doc) {
    try {
      target = await deps.bibliographies.writeTarget(doc);
    } catch {
      return undefined;
    }
  }
  if (!target) {
    const bibs = await findWorkspaceFiles('**/*.bib', { exclude: '**/node_modules/**', max: 200 });
    if (bibs.length === 0) {
      const folder = vscode.workspace.workspaceFolders?.[0];
      target = folder ? vscode.Uri.joinPath(folder.uri, 'references.bib') : undefined;
    } else {
      const picked = await vscode.window.showQuickPick(
        bibs.map((uri) => ({ label: vscode.workspace.asRelativePath(uri, false), uri })),
        { title: `Add “${paper.title.slice(0, 60)}” to which .bib file?` },
      );
      target = picked?.uri;
    }
  }
  if (!target) {
    return undefined;
  }
  try {
    const result = await ensureBibEntries(target, [paper], { citing: doc, entryFor: deps.entryFor, alsoRead: doc ? await deps.bibliographies.entriesFor(doc) : [] });
    await deps.added.record(target, result.addedKeys);
    vscode.window.setStatusBarMessage(
      result.added > 0 ? `$(check) Added ${result.keys[0]} to ${displayName(target)}` : `${displayName(target)} already has this paper as ${result.keys[0]}`,
      5000,
    );
    return { target, key: result.keys[0], added: result.added > 0 };
  } catch (err) {
    deps.notify.error(`Paperscope: could not add ${paper.key} to ${displayName(target)}: ${describe(err)}`);
    return undefined;
  }
}

/** Looks an identifier up and keeps the paper found (the library's own when it has the same one). */
export async function resolveIdentifier(deps: Pick<OnlineCommandDeps, 'online' | 'library' | 'notify'>, input: IdentifierInput): Promise<Paper | undefined> {
  try {
    const work = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Paperscope: looking it up online…' },
      () => deps.online.lookup(input),
    );
    return deps.library.paperForWork(work);
  } catch (err) {
    deps.notify.warn(`Paperscope: ${describe(err)}`);
    return undefined;
  }
}

type AddAction = 'add' | 'cite' | 'preview';

/** Add Paper by Identifier, Look Up Online, Add to Bibliography, keys and Zotero. */
export function registerOnlineCommands(deps: OnlineCommandDeps): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.addByIdentifier, async (input?: unknown, action?: unknown): Promise<Paper | undefined> => {
      const text =
        typeof input === 'string'
          ? input
          : await vscode.window.showInputBox({
              title: 'Add Paper by Identifier',
              prompt: 'A DOI, an arXiv id, a doi.org / arxiv.org / dblp.org / semanticscholar.org address, or a whole BibTeX entry',
              placeHolder: 'e.g. 10.1126/science.169.3946.635 or arXiv:2309.02214',
              ignoreFocusOut: true,
            });
      if (!text) {
        return undefined;
      }
      const parsed = parseIdentifierInput(text.slice(0, 100_000));
      if (!parsed) {
        deps.notify.warn('Paperscope: that is not a DOI, an arXiv id, a dblp.org / semanticscholar.org address or a BibTeX entry.');
        return undefined;
      }
      const paper = await resolveIdentifier(deps, parsed);
      if (!paper) {
        return undefined;
      }
      let chosen: AddAction | undefined = action === 'add' || action === 'cite' || action === 'preview' ? action : undefined;
      if (!chosen) {
        // The entry, previewed in the detail pane, then added (and cited) on the user's word.
        deps.detail.show(paper);
        const pick = await vscode.window.showQuickPick(
          [
            { label: '$(add) Add to the bibliography', action: 'add' as const },
            { label: '$(quote) Add and insert a citation', action: 'cite' as const },
            { label: '$(eye) Only look at it', action: 'preview' as const },
          ],
          { title: `${paper.title.slice(0, 80)} (${paper.source === 'online' ? `found on ${PROVIDER_NAMES[paper.provider as keyof typeof PROVIDER_NAMES] ?? paper.provider}` : 'already in your library'})` },
        );
        chosen = pick?.action;
      } else if (chosen === 'preview') {
        deps.detail.show(paper);
      }
      if (chosen === 'add') {
        await addToBibliography(deps, paper);
      } else if (chosen === 'cite') {
        await deps.citer.cite([paper]);
      }
      return paper;
    }),
    vscode.commands.registerCommand(Commands.lookupIdentifier, async (arg?: unknown) => {
      const parsed = typeof arg === 'string' ? parseIdentifierInput(arg.slice(0, 400)) : undefined;
      if (!parsed || parsed.kind === 'bibtex') {
        return;
      }
      const paper = await resolveIdentifier(deps, parsed);
      if (paper) {
        deps.detail.show(paper);
      }
    }),
    vscode.commands.registerCommand(Commands.addToBibliography, async (arg?: unknown) => {
      const paper = isValidKey(arg) ? deps.library.resolve(arg) : undefined;
      if (paper) {
        await addToBibliography(deps, paper);
      }
    }),
    vscode.commands.registerCommand(Commands.setApiKey, async (provider?: unknown) => {
      const p =
        KEYED.find((k) => k === provider) ??
        (
          await vscode.window.showQuickPick(
            KEYED.map((k) => ({ label: PROVIDER_NAMES[k], provider: k })),
            { title: 'Set the API key of which service?' },
          )
        )?.provider;
      if (!p) {
        return;
      }
      const value = await vscode.window.showInputBox({
        title: `${PROVIDER_NAMES[p]} API key`,
        prompt: 'Kept in VS Code’s secret storage, never in settings; empty removes it.',
        password: true,
        ignoreFocusOut: true,
      });
      if (value !== undefined) {
        await deps.online.setKey(p, value.trim() || undefined);
        vscode.window.setStatusBarMessage(value.trim() ? `$(key) ${PROVIDER_NAMES[p]} key saved` : `${PROVIDER_NAMES[p]} key removed`, 4000);
      }
    }),
    vscode.commands.registerCommand(Commands.refreshZotero, async () => {
      deps.online.resetZotero();
      const n = await deps.zotero.refresh();
      if (n > 0) {
        vscode.window.setStatusBarMessage(`$(check) Paperscope: ${n.toLocaleString('en-US')} Zotero items in the library`, 5000);
      }
      return n;
    }),
  );
}
