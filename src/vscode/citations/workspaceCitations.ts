import * as vscode from 'vscode';
import { bibliographyRefs } from '../../core/cite/bibliographyRefs';
import { scanDocument } from '../../core/detect/detect';
import { maskDocument } from '../../core/detect/mask';
import { MAX_SCAN_CHARS } from '../../constants';
import { decodeText } from '../../core/text/decode';
import { openDocument } from '../bib/readText';
import { findWorkspaceFiles } from '../workspaceFiles';

/** `\nocite{*}`: every entry of the document's bibliography is cited. */
const NOCITE_ALL = /\\nocite\s*\{\s*\*\s*\}/;
/** Documents that may cite: LaTeX, Markdown and its dialects. */
const DOCUMENTS = '**/*.{tex,ltx,latex,md,markdown,qmd,rmd,Rmd}';
/** At most this many documents are read (a workspace of papers has tens). */
const MAX_DOCUMENTS = 20_000;

/** What the workspace's documents cite. */
export interface WorkspaceCitations {
  /** Citations of each key as written, over every document. */
  readonly counts: ReadonlyMap<string, number>;
  /** How many documents cite each key. */
  readonly documents: ReadonlyMap<string, number>;
  /** .bib files some document cites whole (`\nocite{*}` with `\bibliography{…}`). */
  readonly wholeFiles: ReadonlySet<string>;
}

/**
 * Reads every LaTeX and Markdown document of the workspace (an open document's current
 * text wins) and counts the keys they cite, with the same detection as hovers and
 * diagnostics.
 */
export async function workspaceCitations(extraCommands: ReadonlySet<string>, token?: vscode.CancellationToken): Promise<WorkspaceCitations> {
  const counts = new Map<string, number>();
  const documents = new Map<string, number>();
  const wholeFiles = new Set<string>();
  const uris = await findWorkspaceFiles(DOCUMENTS, { exclude: '**/node_modules/**', max: MAX_DOCUMENTS, token });
  for (const uri of uris) {
    if (token?.isCancellationRequested) {
      break;
    }
    const doc = openDocument(uri);
    let text: string;
    try {
      text = doc ? doc.getText() : await decodeText(await vscode.workspace.fs.readFile(uri));
    } catch {
      continue; // gone between the listing and the read
    }
    if (text.length > MAX_SCAN_CHARS) {
      continue;
    }
    const kind = /\.(tex|ltx|latex)$/i.test(uri.path) ? 'latex' : 'markdown';
    const inThis = new Set<string>();
    for (const m of scanDocument(text, kind, { citeCommands: extraCommands })) {
      if (m.kind === 'citation') {
        counts.set(m.key, (counts.get(m.key) ?? 0) + 1);
        inThis.add(m.key);
      }
    }
    inThis.forEach((key) => documents.set(key, (documents.get(key) ?? 0) + 1));
    if (kind === 'latex' && NOCITE_ALL.test(maskDocument(text, 'latex'))) {
      for (const ref of bibliographyRefs(text, 'latex')) {
        wholeFiles.add(vscode.Uri.joinPath(uri, '..', ref).toString());
      }
    }
  }
  return { counts, documents, wholeFiles };
}
