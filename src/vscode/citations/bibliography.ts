import * as vscode from 'vscode';
import { ConfigSection, Settings } from '../../constants';
import { planBibEntries } from '../../core/bib/edit';
import { parseBibtex } from '../../core/bib/parser';
import { bibliographyRefs, withBibExtension } from '../../core/cite/bibliographyRefs';
import type { Paper } from '../../core/library/paper';
import { openDocument, readCurrentText } from '../bib/readText';
import { documentKind } from '../documents';

function resolvePath(base: vscode.Uri, path: string): vscode.Uri {
  if (/^[a-zA-Z]:[\\/]/.test(path) || path.startsWith('/')) {
    return base.with({ path: path.replace(/\\/g, '/') });
  }
  return vscode.Uri.joinPath(base, path);
}

/**
 * The bibliography file of a document, first match wins: \bibliography / \addbibresource
 * in the document (relative to it), YAML `bibliography:`, the setting
 * `paperscope.bibliography.file`, else references.bib in the workspace folder.
 */
export function bibliographyTarget(doc: vscode.TextDocument): vscode.Uri | undefined {
  const kind = documentKind(doc);
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri) ?? vscode.workspace.workspaceFolders?.[0];
  if (kind && doc.uri.scheme !== 'untitled') {
    const refs = bibliographyRefs(doc.getText(), kind);
    if (refs.length > 0) {
      return resolvePath(vscode.Uri.joinPath(doc.uri, '..'), refs[0]);
    }
  }
  const setting = vscode.workspace.getConfiguration(ConfigSection, doc.uri).get<string>(Settings.bibliographyFile, '').trim();
  if (setting && folder) {
    return resolvePath(folder.uri, withBibExtension(setting));
  }
  return folder ? vscode.Uri.joinPath(folder.uri, 'references.bib') : undefined;
}

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
  readonly target: vscode.Uri;
}

/**
 * Makes sure the papers' entries are in the .bib file: appends the missing ones after
 * the last entry of its current text (unsaved changes included), as one WorkspaceEdit —
 * one undo step. A file that was clean (or new) is saved afterwards; a dirty one is left
 * dirty so the user's own unsaved work is not saved behind their back. Throws when the
 * edit cannot be applied; nothing is half-written.
 */
export async function ensureBibEntries(target: vscode.Uri, papers: readonly Paper[], citing?: vscode.TextDocument): Promise<EnsureResult> {
  const refusal = refusalToWrite(target, citing);
  if (refusal) {
    throw new Error(`Paperscope does not write there: ${refusal}`);
  }
  for (let attempt = 1; ; attempt++) {
    const result = await tryEnsure(target, papers);
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
async function tryEnsure(target: vscode.Uri, papers: readonly Paper[]): Promise<EnsureResult | 'moved'> {
  const text = await readCurrentText(target);
  const exists = text !== undefined;
  const doc = exists ? (openDocument(target) ?? (await vscode.workspace.openTextDocument(target))) : undefined;
  // Plan on the text as it is now: the document may have changed while it was opened.
  const current = doc ? doc.getText() : '';
  const plannedVersion = doc?.version;
  const plan = planBibEntries(current, papers);
  if (!plan.insertion) {
    return { keys: plan.keys, added: 0, target };
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
  return { keys: plan.keys, added: plan.added.length, target };
}
