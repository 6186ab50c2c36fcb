// The browser's web-worker extension host's entry (package.json `browser`: vscode.dev,
// github.dev, code-server's web host): the shared activation, with the search index in a
// Web Worker (or in this thread where the host has no `Worker`), which keeps it between
// sessions in the browser's IndexedDB.
import * as vscode from 'vscode';
import { activateWith, type PaperscopeInternals } from '../extension';
import { workspaceId } from '../vscode/workspaceId';
import { sha256Text } from '../core/text/digest';
import { startWebIndexWorker } from './webIndexPort';

export function activate(context: vscode.ExtensionContext): Promise<PaperscopeInternals> {
  const kept = { workspace: workspaceId(sha256Text), version: String(context.extension.packageJSON.version) };
  return activateWith(context, {
    // The workspace is read over the network here: .bib files are named by their stat,
    // so that the kept index answers before they are read.
    sources: { byStat: true },
    startIndexWorker: (bundled) => startWebIndexWorker(vscode.Uri.joinPath(context.extensionUri, 'dist', 'web', 'indexWorker.js'), bundled, kept),
  });
}

export { deactivate } from '../extension';
