// The Node.js extension host's entry (package.json `main`): the shared activation, with
// the search index in a worker thread, kept between sessions in files of the extension's
// global storage. The browser build's entry is src/web/extension.ts.
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { activateWith, type PaperscopeInternals } from '../extension';
import { sha256InSlices } from './contentHash';
import { startNodeIndexWorker } from './nodeIndexPort';
import { markUsed, pruneFolders } from './folderCache';
import { workspaceId } from '../vscode/workspaceId';

/** A workspace not opened for this long gives its kept index back. */
const KEPT_INDEX_MAX_AGE_MS = 90 * 24 * 3600 * 1000;

/**
 * Where the index of this workspace's papers is kept between sessions: global storage,
 * one folder per workspace (its folders' URIs, hashed). Not `storageUri`: VS Code gives a
 * window whose workspace storage is still locked by another window of the same workspace
 * (a code-server tab closed without shutting down, its extension host waiting for a
 * reconnection) a fresh folder (`<id>-1`), so the kept index would not be found.
 */
function keptIndexDir(context: vscode.ExtensionContext): { root: vscode.Uri; id: string } {
  return { root: vscode.Uri.joinPath(context.globalStorageUri, 'index-cache'), id: workspaceId((text) => createHash('sha256').update(text).digest('hex')) };
}

export function activate(context: vscode.ExtensionContext): Promise<PaperscopeInternals> {
  const kept = keptIndexDir(context);
  const dir = vscode.Uri.joinPath(kept.root, kept.id);
  // Extension storage is on this machine's disk in a Node host.
  const onDisk = dir.scheme === 'file';
  if (onDisk) {
    markUsed(dir.fsPath);
    // After start-up, off the activation path: other workspaces' indexes not used for months go.
    const prune = setTimeout(() => pruneFolders(kept.root.fsPath, kept.id, KEPT_INDEX_MAX_AGE_MS), 60_000);
    context.subscriptions.push({ dispose: () => clearTimeout(prune) });
  }
  // Where earlier versions kept it (each workspace's own storage): no longer read.
  if (context.storageUri) {
    void vscode.workspace.fs.delete(vscode.Uri.joinPath(context.storageUri, 'index-cache'), { recursive: true }).then(undefined, () => undefined);
  }
  return activateWith(context, {
    sources: { digest: sha256InSlices },
    startIndexWorker: () =>
      startNodeIndexWorker(
        vscode.Uri.joinPath(context.extensionUri, 'dist', 'indexWorker.js').fsPath,
        vscode.Uri.joinPath(context.extensionUri, 'dist', 'library.json').fsPath,
        onDisk ? { dir: dir.fsPath, version: String(context.extension.packageJSON.version) } : undefined,
      ),
  });
}

export { deactivate } from '../extension';
