import * as vscode from 'vscode';

/** The open document for a URI, if VS Code has it (its text includes unsaved changes). */
export function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const id = uri.toString();
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === id);
}

/** Decodes file bytes: UTF-8 (BOM dropped), or Latin-1 when the bytes are not valid UTF-8. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
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
    return decodeText(await vscode.workspace.fs.readFile(uri));
  } catch (err) {
    if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') {
      return undefined;
    }
    throw err;
  }
}
