import * as vscode from 'vscode';
import { decodeText } from '../../core/text/decode';
import { PiecedText } from '../../core/text/pieces';
import { giveBack } from '../../core/text/slices';

/** Lines of an open document read at a time (about 50 KB of a .bib). */
const LINES_PER_PIECE = 1024;

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

/** Characters in an open document. */
export function documentLength(doc: vscode.TextDocument): number {
  return doc.offsetAt(new vscode.Position(doc.lineCount, 0));
}

/**
 * An open document's text in pieces of lines, a piece a turn, so that no string of the
 * whole document is made: `getText()` of a 32 MB .bib is a fresh 64 MB string, 220–290
 * ms of the host here, and an open .bib is read again at every pause in typing. Read
 * again when the document changed meanwhile; after three tries, in one piece.
 */
export async function documentPieces(doc: vscode.TextDocument, pause: () => Promise<void> = giveBack): Promise<PiecedText> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const version = doc.version;
    const pieces: string[] = [];
    for (let line = 0; line < doc.lineCount && doc.version === version; line += LINES_PER_PIECE) {
      if (line > 0) {
        await pause();
      }
      // A range past the last line ends where the document does.
      const piece = doc.version === version ? doc.getText(new vscode.Range(line, 0, line + LINES_PER_PIECE, 0)) : '';
      if (piece.length > 0) {
        pieces.push(piece);
      }
    }
    if (doc.version === version) {
      return new PiecedText(pieces);
    }
  }
  return new PiecedText([doc.getText()]);
}
