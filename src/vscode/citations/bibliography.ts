import * as vscode from 'vscode';
import { ConfigSection, Settings } from '../../constants';
import { planBibEntries } from '../../core/bibEdit';
import { bibliographyRefs, withBibExtension } from '../../core/bibliographyRefs';
import type { Paper } from '../../core/paper';
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
export async function ensureBibEntries(target: vscode.Uri, papers: readonly Paper[]): Promise<EnsureResult> {
  const text = await readCurrentText(target);
  const exists = text !== undefined;
  const doc = exists ? (openDocument(target) ?? (await vscode.workspace.openTextDocument(target))) : undefined;
  // Plan on the text as it is now: the document may have changed while it was opened.
  const current = doc ? doc.getText() : '';
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
    throw new Error(`VS Code did not apply the edit to ${displayName(target)} (is it read-only?)`);
  }
  const after = openDocument(target);
  if (after && !wasDirty) {
    await after.save();
  }
  return { keys: plan.keys, added: plan.added.length, target };
}
