// The Node.js extension host's entry (package.json `main`): the shared activation, with
// the search index in a worker thread. The browser build (`browser`) uses src/extension.ts
// directly and keeps its index in process.
import * as vscode from 'vscode';
import { activateWith, type PaperscopeInternals } from '../extension';
import { startNodeIndexWorker } from './nodeIndexPort';

export function activate(context: vscode.ExtensionContext): Promise<PaperscopeInternals> {
  // Each workspace keeps its own index (one per folder: opening a small workspace does not
  // evict a large one's); global storage when no folder is open.
  const storage = context.storageUri ?? context.globalStorageUri;
  return activateWith(context, {
    startIndexWorker: () =>
      startNodeIndexWorker(
        vscode.Uri.joinPath(context.extensionUri, 'dist', 'indexWorker.js').fsPath,
        vscode.Uri.joinPath(context.extensionUri, 'dist', 'library.json').fsPath,
        // The index of the workspace's papers, kept for the next start (extension storage is
        // on this machine's disk in a Node host).
        storage.scheme === 'file' ? { dir: vscode.Uri.joinPath(storage, 'index-cache').fsPath, version: String(context.extension.packageJSON.version) } : undefined,
      ),
  });
}

export { deactivate } from '../extension';
