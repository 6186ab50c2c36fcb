// The Node.js extension host's entry (package.json `main`): the shared activation, with
// the search index in a worker thread. The browser build (`browser`) uses src/extension.ts
// directly and keeps its index in process.
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { activateWith, type PaperscopeInternals } from '../extension';
import { startNodeIndexWorker } from './nodeIndexPort';

/**
 * Where the index of this workspace's papers is kept between sessions: global storage,
 * one folder per workspace (its folders' URIs, hashed). Not `storageUri`: VS Code gives a
 * window whose workspace storage is still locked by another window of the same workspace
 * (a code-server tab closed without shutting down, its extension host waiting for a
 * reconnection) a fresh folder (`<id>-1`), so the kept index would not be found.
 */
function keptIndexDir(context: vscode.ExtensionContext): vscode.Uri {
  const workspace = vscode.workspace.workspaceFile?.toString() ?? (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()).join('\n');
  const id = workspace ? createHash('sha256').update(workspace).digest('hex').slice(0, 32) : 'no-folder';
  return vscode.Uri.joinPath(context.globalStorageUri, 'index-cache', id);
}

export function activate(context: vscode.ExtensionContext): Promise<PaperscopeInternals> {
  const dir = keptIndexDir(context);
  // Where earlier versions kept it (each workspace's own storage): no longer read.
  if (context.storageUri) {
    void vscode.workspace.fs.delete(vscode.Uri.joinPath(context.storageUri, 'index-cache'), { recursive: true }).then(undefined, () => undefined);
  }
  return activateWith(context, {
    startIndexWorker: () =>
      startNodeIndexWorker(
        vscode.Uri.joinPath(context.extensionUri, 'dist', 'indexWorker.js').fsPath,
        vscode.Uri.joinPath(context.extensionUri, 'dist', 'library.json').fsPath,
        // Extension storage is on this machine's disk in a Node host.
        dir.scheme === 'file' ? { dir: dir.fsPath, version: String(context.extension.packageJSON.version) } : undefined,
      ),
  });
}

export { deactivate } from '../extension';
