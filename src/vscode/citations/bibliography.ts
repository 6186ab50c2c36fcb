import * as vscode from 'vscode';
import { planBibEntries } from '../../core/bib/edit';
import { parseBibtex, type BibEntry } from '../../core/bib/parser';
import type { Paper } from '../../core/library/paper';
import { bibliographyDeclaration, bibliographyRefs, withBibExtension } from '../../core/cite/bibliographyRefs';
import { openDocument, readCurrentText } from '../bib/readText';
import { documentKind } from '../documents';
import { findWorkspaceFiles } from '../workspaceFiles';

/** The file name to show in messages. */
export function displayName(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

/**
 * Why Paperscope will not write to this file, if it will not: only .bib files inside a
 * workspace folder (or beside the document when there is no folder) are written. A
 * cloned repository's `\bibliography{../../.bashrc}` or workspace setting must not make
 * a citation append text to a file outside the project.
 */
export function refusalToWrite(target: vscode.Uri, doc?: vscode.TextDocument): string | undefined {
  if (!/\.bib$/i.test(target.path)) {
    return `${target.path.split('/').pop()} is not a .bib file`;
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  const inside = (base: vscode.Uri) =>
    base.scheme === target.scheme && base.authority === target.authority && (target.path + '/').startsWith(base.path.replace(/\/?$/, '/'));
  if (folders.length > 0) {
    return folders.some((f) => inside(f.uri)) ? undefined : `${target.fsPath || target.path} is outside the workspace`;
  }
  if (doc && doc.uri.scheme !== 'untitled') {
    return inside(vscode.Uri.joinPath(doc.uri, '..')) ? undefined : `${target.path} is not beside ${doc.uri.path}`;
  }
  return undefined;
}

export interface EnsureResult {
  /** Key to cite for each paper, in order (an existing key when the .bib has the paper already). */
  readonly keys: string[];
  /** How many entries were appended. */
  readonly added: number;
  /** The keys of the entries appended. */
  readonly addedKeys: readonly string[];
  readonly target: vscode.Uri;
}

/**
 * Makes sure the papers' entries are in the .bib file: appends the missing ones after
 * the last entry of its current text (unsaved changes included), as one WorkspaceEdit —
 * one undo step. A file that was clean (or new) is saved afterwards; a dirty one is left
 * dirty so the user's own unsaved work is not saved behind their back. Throws when the
 * edit cannot be applied; nothing is half-written.
 */
export async function ensureBibEntries(
  target: vscode.Uri,
  papers: readonly Paper[],
  options: {
    readonly citing?: vscode.TextDocument;
    /** The entry to write for a paper (self-contained copies of the user's entries). */
    readonly entryFor?: (paper: Paper) => string;
    /** Entries of the other files the document reads: a paper there is cited by its key there, not added. */
    readonly alsoRead?: readonly BibEntry[];
  } = {},
): Promise<EnsureResult> {
  const refusal = refusalToWrite(target, options.citing);
  if (refusal) {
    throw new Error(`Paperscope does not write there: ${refusal}`);
  }
  for (let attempt = 1; ; attempt++) {
    const result = await tryEnsure(target, papers, options.entryFor, options.alsoRead ?? []);
    if (result !== 'moved') {
      return result;
    }
    if (attempt >= 5) {
      throw new Error(`${displayName(target)} kept changing while the entry was added; nothing was added`);
    }
  }
}

/**
 * One attempt: plan on the current text, apply, check. If the user edited the file
 * between the plan and the edit, VS Code refuses the stale edit (or, should it land
 * inside something else, the inserted text is taken out again) and 'moved' asks for a
 * fresh attempt on the new text.
 */
async function tryEnsure(
  target: vscode.Uri,
  papers: readonly Paper[],
  entryFor: ((paper: Paper) => string) | undefined,
  alsoRead: readonly BibEntry[],
): Promise<EnsureResult | 'moved'> {
  const text = await readCurrentText(target);
  const exists = text !== undefined;
  const doc = exists ? (openDocument(target) ?? (await vscode.workspace.openTextDocument(target))) : undefined;
  // Plan on the text as it is now: the document may have changed while it was opened.
  const current = doc ? doc.getText() : '';
  const plannedVersion = doc?.version;
  const plan = planBibEntries(current, papers, entryFor, alsoRead);
  if (!plan.insertion) {
    return { keys: plan.keys, added: 0, addedKeys: [], target };
  }
  const wasDirty = doc?.isDirty ?? false;
  const edit = new vscode.WorkspaceEdit();
  if (!exists) {
    edit.createFile(target, { ignoreIfExists: true });
  }
  const position = doc ? doc.positionAt(plan.insertion.offset) : new vscode.Position(0, 0);
  edit.insert(target, position, plan.insertion.text);
  const applied = await vscode.workspace.applyEdit(edit);
  if (!applied) {
    // VS Code refuses an edit planned on an older version of the document: the user
    // typed in the meantime. Plan again on the new text.
    if (doc && !doc.isClosed && doc.version !== plannedVersion) {
      return 'moved';
    }
    throw new Error(`VS Code did not apply the edit to ${displayName(target)} (is it read-only?)`);
  }
  const after = openDocument(target);
  if (after) {
    const keys = new Set(parseBibtex(after.getText()).entries.map((e) => e.key));
    if (!plan.added.every((p) => keys.has(p.key))) {
      const at = after.getText().indexOf(plan.insertion.text);
      if (at >= 0) {
        const undo = new vscode.WorkspaceEdit();
        undo.delete(target, new vscode.Range(after.positionAt(at), after.positionAt(at + plan.insertion.text.length)));
        await vscode.workspace.applyEdit(undo);
      }
      return 'moved';
    }
    if (!wasDirty && !(await after.save())) {
      throw new Error(`the entry is in ${displayName(target)} but the file could not be saved (is it read-only?)`);
    }
  }
  return { keys: plan.keys, added: plan.added.length, addedKeys: plan.added.map((p) => p.key), target };
}

/** What a document does about a bibliography it does not name, once asked. */
export type BibliographyChoice = { readonly kind: 'file'; readonly uri: string } | { readonly kind: 'none' };

const CHOICES_STATE = 'paperscope.bibliographyChoices';

function resolvePath(base: vscode.Uri, path: string): vscode.Uri {
  if (/^[a-zA-Z]:[\\/]/.test(path) || path.startsWith('/')) {
    return base.with({ path: path.replace(/\\/g, '/') });
  }
  return vscode.Uri.joinPath(base, path);
}

/** How the user is asked where a document's entries go (a QuickPick; tests put their own). */
export type ChooseBibliography = (doc: vscode.TextDocument, candidates: readonly vscode.Uri[], suggested: vscode.Uri | undefined) => Promise<
  { readonly kind: 'create'; readonly uri: vscode.Uri } | { readonly kind: 'existing'; readonly uri: vscode.Uri } | { readonly kind: 'none' } | undefined
>;

/** The default question: create a references.bib, use an existing .bib, or cite keys only. */
export const askWhereEntriesGo: ChooseBibliography = async (doc, candidates, suggested) => {
  type Item = vscode.QuickPickItem & { readonly answer: Awaited<ReturnType<ChooseBibliography>> };
  const name = vscode.workspace.asRelativePath(doc.uri, false);
  const items: Item[] = [];
  if (suggested) {
    items.push({
      label: `$(new-file) Create ${vscode.workspace.asRelativePath(suggested, false)}`,
      detail: `and make ${name} read it`,
      answer: { kind: 'create', uri: suggested },
    });
  }
  for (const uri of candidates) {
    items.push({ label: `$(file) ${vscode.workspace.asRelativePath(uri, false)}`, detail: `add entries there and make ${name} read it`, answer: { kind: 'existing', uri } });
  }
  items.push({ label: '$(circle-slash) Cite only', detail: 'insert the key, add no entry anywhere', answer: { kind: 'none' } });
  const picked = await vscode.window.showQuickPick(items, {
    title: `${name} names no bibliography file: where should the BibTeX entries of its citations go?`,
    placeHolder: 'Paperscope remembers the answer for this document',
    ignoreFocusOut: true,
  });
  return picked?.answer;
};

/**
 * Which bibliography files each document reads, and where new entries go: the files it
 * names (`\bibliography{a,b}`, `\addbibresource`, YAML `bibliography:`); for a document
 * naming none, the user's setting, else the answer the user gave once for it (remembered
 * in the workspace state; asked when a citation first needs an entry).
 */
export class Bibliographies {
  constructor(
    private readonly state: vscode.Memento,
    private readonly entriesOf: (uri: vscode.Uri) => Promise<readonly BibEntry[] | undefined>,
    private readonly settingFile: (doc: vscode.TextDocument) => string,
    /** Who answers the question (replaced in tests). */
    public choose: ChooseBibliography = askWhereEntriesGo,
  ) {}

  private choices(): Record<string, BibliographyChoice> {
    return this.state.get<Record<string, BibliographyChoice>>(CHOICES_STATE) ?? {};
  }

  /** Remembers what a document does about its bibliography. */
  async remember(doc: vscode.Uri, choice: BibliographyChoice | undefined): Promise<void> {
    const all = { ...this.choices() };
    if (choice) {
      all[doc.toString()] = choice;
    } else {
      delete all[doc.toString()];
    }
    await this.state.update(CHOICES_STATE, all);
  }

  /** The remembered answer for a document, if any. */
  remembered(doc: vscode.Uri): BibliographyChoice | undefined {
    return this.choices()[doc.toString()];
  }

  /** The bibliography files the document reads, in order (empty when it names none and nothing is set or remembered). */
  filesOf(doc: vscode.TextDocument): vscode.Uri[] {
    const kind = documentKind(doc);
    if (!kind) {
      return [];
    }
    if (doc.uri.scheme !== 'untitled') {
      const refs = bibliographyRefs(doc.getText(), kind);
      if (refs.length > 0) {
        return refs.map((r) => resolvePath(vscode.Uri.joinPath(doc.uri, '..'), r));
      }
    }
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri) ?? vscode.workspace.workspaceFolders?.[0];
    const setting = this.settingFile(doc).trim();
    if (setting && folder) {
      return [resolvePath(folder.uri, withBibExtension(setting))];
    }
    const choice = this.remembered(doc.uri);
    return choice?.kind === 'file' ? [vscode.Uri.parse(choice.uri)] : [];
  }

  /** Every entry of the files the document reads. */
  async entriesFor(doc: vscode.TextDocument): Promise<BibEntry[]> {
    const lists = await Promise.all(this.filesOf(doc).map((u) => this.entriesOf(u)));
    return lists.flatMap((l) => l ?? []);
  }

  /**
   * Where new entries for this document go: among the files it reads, the first that
   * holds entries (`\bibliography{macros,refs}` writes to refs); a document that reads
   * none asks the user once (and may be told to read the chosen file). Undefined: cite
   * keys only.
   */
  async writeTarget(doc: vscode.TextDocument): Promise<vscode.Uri | undefined> {
    const files = this.filesOf(doc);
    if (files.length > 0) {
      for (const uri of files) {
        if (((await this.entriesOf(uri)) ?? []).length > 0) {
          return uri;
        }
      }
      return files[files.length - 1];
    }
    if (this.remembered(doc.uri)?.kind === 'none') {
      return undefined;
    }
    return this.ask(doc);
  }

  private async ask(doc: vscode.TextDocument): Promise<vscode.Uri | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri) ?? vscode.workspace.workspaceFolders?.[0];
    const candidates = folder ? await findWorkspaceFiles('**/*.bib', { folder, exclude: '**/node_modules/**', max: 50 }) : [];
    const beside = doc.uri.scheme === 'untitled' ? folder?.uri : vscode.Uri.joinPath(doc.uri, '..');
    const suggested = beside && !candidates.some((c) => c.path === vscode.Uri.joinPath(beside, 'references.bib').path) ? vscode.Uri.joinPath(beside, 'references.bib') : undefined;
    const answer = await this.choose(doc, candidates, suggested);
    if (!answer) {
      throw new Error('no bibliography file was chosen');
    }
    if (answer.kind === 'none') {
      await this.remember(doc.uri, { kind: 'none' });
      return undefined;
    }
    await this.remember(doc.uri, { kind: 'file', uri: answer.uri.toString() });
    await this.declare(doc, answer.uri);
    return answer.uri;
  }

  /** Makes the document read the file (`\bibliography{…}`, `\addbibresource{…}` or YAML), as one edit. */
  private async declare(doc: vscode.TextDocument, bib: vscode.Uri): Promise<void> {
    const kind = documentKind(doc);
    if (!kind || doc.uri.scheme === 'untitled') {
      return;
    }
    const from = doc.uri.path.slice(0, doc.uri.path.lastIndexOf('/') + 1);
    const relative = bib.path.startsWith(from) ? bib.path.slice(from.length) : bib.path;
    const ins = bibliographyDeclaration(doc.getText(), kind, relative);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, doc.positionAt(ins.offset), ins.text);
    await vscode.workspace.applyEdit(edit);
  }
}
