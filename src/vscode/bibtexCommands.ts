import * as vscode from 'vscode';
import { bibtexEntry } from '../core/bibtex';
import type { Paper } from '../core/paper';
import { isValidKey } from '../webview/protocol';
import type { Library } from './library';

/** Resolves a command argument (a key) to a paper, telling the user when it is unknown. */
export function paperFromArg(library: Library, arg: unknown): Paper | undefined {
  if (!isValidKey(arg)) {
    return undefined;
  }
  const paper = library.index.byKey(arg);
  if (!paper) {
    void vscode.window.showWarningMessage(`Paperscope: no paper with the key “${arg}”.`);
  }
  return paper;
}

/** Copies a paper's BibTeX entry and says so in the status bar. */
export async function copyBibtex(paper: Paper): Promise<void> {
  await vscode.env.clipboard.writeText(bibtexEntry(paper));
  vscode.window.setStatusBarMessage(`$(check) Copied BibTeX for ${paper.key}`, 3000);
}
