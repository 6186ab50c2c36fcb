import * as vscode from 'vscode';
import { bibtexFor } from '../core/bib/writer';
import type { Paper } from '../core/library/paper';
import { isValidKey } from '../webview/protocol';
import type { Library } from './library';

/** The key a command argument names: a key string, or a tree node holding a paper. */
export function keyFromArg(arg: unknown): string | undefined {
  if (isValidKey(arg)) {
    return arg;
  }
  if (typeof arg === 'object' && arg !== null && 'paper' in arg) {
    const key = (arg as { paper?: { key?: unknown } }).paper?.key;
    return isValidKey(key) ? key : undefined;
  }
  return undefined;
}

/** Resolves a command argument (a key or a tree node) to a paper, telling the user when it is unknown. */
export function paperFromArg(library: Library, arg: unknown): Paper | undefined {
  const key = keyFromArg(arg);
  if (key === undefined) {
    return undefined;
  }
  const paper = library.resolve(key);
  if (!paper) {
    void vscode.window.showWarningMessage(`Paperscope: no paper with the key “${key}”.`);
  }
  return paper;
}

/** Copies a paper's BibTeX entry and says so in the status bar. */
export async function copyBibtex(paper: Paper): Promise<void> {
  await vscode.env.clipboard.writeText(bibtexFor(paper));
  vscode.window.setStatusBarMessage(`$(check) Copied BibTeX for ${paper.key}`, 3000);
}
