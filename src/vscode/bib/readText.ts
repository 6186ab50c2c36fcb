import * as vscode from 'vscode';
import { decodeText } from '../../core/text/decode';

/** The open document for a URI, if VS Code has it (its text includes unsaved changes). */
export function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const id = uri.toString();
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === id);
}


/**
 * A file's current text: the open document's (unsaved changes win), else the file on
 * disk through workspace.fs (so virtual workspaces work too); undefined when missing.
 */
export async function readCurrentText(uri: vscode.Uri): Promise<string | undefined> {
  const doc = openDocument(uri);
  if (doc) {
    return doc.getText();
  }
  try {
    return await decodeText(await vscode.workspace.fs.readFile(uri));
  } catch (err) {
    if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') {
      return undefined;
    }
    throw err;
  }
}
