// The browser's web-worker extension host's entry (package.json `browser`: vscode.dev,
// github.dev, code-server's web host): the shared activation, with the search index in a
// Web Worker (or in this thread where the host has no `Worker`).
import * as vscode from 'vscode';
import { activateWith, type PaperscopeInternals } from '../extension';
import { startWebIndexWorker } from './webIndexPort';

export function activate(context: vscode.ExtensionContext): Promise<PaperscopeInternals> {
  return activateWith(context, {
    // The digests name the sources of a kept index, and the browser keeps none yet: Web
    // Crypto held Chromium's worker host 64–247 ms for a 32 MB .bib, for nothing.
    contentDigest: () => Promise.resolve(undefined),
    startIndexWorker: (bundled) => startWebIndexWorker(vscode.Uri.joinPath(context.extensionUri, 'dist', 'web', 'indexWorker.js'), bundled),
  });
}

export { deactivate } from '../extension';
