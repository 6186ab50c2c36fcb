import type * as vscode from 'vscode';
import { LATEX_LANGUAGES, MARKDOWN_LANGUAGES } from '../constants';
import type { DocumentKind } from '../core/detect/detect';

/** How Paperscope reads a document: LaTeX, Markdown (Pandoc citations), or not at all. */
export function documentKind(doc: vscode.TextDocument): DocumentKind | undefined {
  if ((LATEX_LANGUAGES as readonly string[]).includes(doc.languageId)) {
    return 'latex';
  }
  if ((MARKDOWN_LANGUAGES as readonly string[]).includes(doc.languageId)) {
    return 'markdown';
  }
  return undefined;
}
