import * as vscode from 'vscode';
import { matchesGlobs } from '../core/text/glob';
import { withPatience } from '../core/text/patience';

// Finding the workspace's files by glob. VS Code's file search (`findFiles`) is the fast
// way, but it can fail to answer at all: it waits for the window's search provider, and
// in code-server a window whose extension host has just (re)connected has twice left the
// Library overview "Reading the workspace's documents…" for over a minute in CI. So the
// search gets a few seconds; past them it is cancelled and the folders are listed
// through the file system API instead, which every file system provider answers (the
// browser's too) and which the same glob rules filter as the watchers do.

/** How long VS Code's file search may take before the folders are listed instead. */
export const FILE_SEARCH_PATIENCE_MS = 10_000;
/** A listing stops after this many folders (a workspace of papers has tens). */
const MAX_FOLDERS = 20_000;
/** Folders never worth listing: version control and dependencies are no one's papers. */
const SKIPPED_FOLDERS = new Set(['.git', '.hg', '.svn', 'node_modules']);

let warn: (message: string) => void = () => undefined;

/** Where to say that the file search did not answer and the folders were listed instead (the log). */
export function reportFileSearchTo(sink: (message: string) => void): void {
  warn = sink;
}

export interface FindOptions {
  /** Files and folders matching this glob are left out (as `findFiles`' exclude). */
  readonly exclude?: string;
  /** At most this many files. */
  readonly max: number;
  /** Only this folder; by default every workspace folder. */
  readonly folder?: vscode.WorkspaceFolder;
  readonly token?: vscode.CancellationToken;
  /** For tests: how long the file search may take. */
  readonly patienceMs?: number;
  /** For tests: the file search to try first. */
  readonly search?: typeof vscode.workspace.findFiles;
}

/**
 * The workspace's files whose folder-relative path matches `include`: VS Code's file
 * search when it answers within its patience, else a listing of the folders.
 */
export async function findWorkspaceFiles(include: string, options: FindOptions): Promise<vscode.Uri[]> {
  const folders = options.folder ? [options.folder] : (vscode.workspace.workspaceFolders ?? []);
  if (folders.length === 0 || options.token?.isCancellationRequested) {
    return [];
  }
  const patienceMs = options.patienceMs ?? FILE_SEARCH_PATIENCE_MS;
  const searching = new vscode.CancellationTokenSource();
  const outer = options.token?.onCancellationRequested(() => searching.cancel());
  try {
    const pattern = options.folder ? new vscode.RelativePattern(options.folder, include) : include;
    const exclude = options.exclude || undefined;
    const search = options.search
      ? options.search(pattern, exclude, options.max, searching.token)
      : vscode.workspace.findFiles(pattern, exclude, options.max, searching.token);
    const found = await withPatience(search, patienceMs);
    if (found) {
      return found;
    }
    searching.cancel();
    if (options.token?.isCancellationRequested) {
      return [];
    }
    const started = Date.now();
    const listed = await listFolders(folders, include, options);
    warn(
      `VS Code's file search did not answer "${include}" within ${Math.round(patienceMs / 1000)} s; ` +
        `listing the workspace's folders found ${listed.length} ${listed.length === 1 ? 'file' : 'files'} in ${Date.now() - started} ms.`,
    );
    return listed;
  } finally {
    outer?.dispose();
    searching.dispose();
  }
}

/** Lists the folders breadth first, keeping files that the globs want, up to the limits. */
async function listFolders(folders: readonly vscode.WorkspaceFolder[], include: string, options: FindOptions): Promise<vscode.Uri[]> {
  const exclude = options.exclude ?? '';
  const found: vscode.Uri[] = [];
  let listed = 0;
  for (const folder of folders) {
    const queue: { uri: vscode.Uri; path: string }[] = [{ uri: folder.uri, path: '' }];
    while (queue.length > 0 && found.length < options.max && listed < MAX_FOLDERS) {
      if (options.token?.isCancellationRequested) {
        return found;
      }
      const dir = queue.shift()!;
      listed++;
      let entries: [string, vscode.FileType][];
      try {
        entries = await vscode.workspace.fs.readDirectory(dir.uri);
      } catch {
        continue; // unreadable or gone: its files are not the user's to cite
      }
      for (const [name, type] of entries) {
        const path = dir.path ? `${dir.path}/${name}` : name;
        if (type & vscode.FileType.SymbolicLink && type & vscode.FileType.Directory) {
          continue; // a linked folder may lead back up the tree
        }
        if (type & vscode.FileType.Directory) {
          // An excluded folder excludes everything in it (`**/node_modules/**`).
          if (!SKIPPED_FOLDERS.has(name) && matchesGlobs(`${path}/_`, '**', exclude)) {
            queue.push({ uri: vscode.Uri.joinPath(dir.uri, name), path });
          }
        } else if (matchesGlobs(path, include, exclude)) {
          found.push(vscode.Uri.joinPath(dir.uri, name));
          if (found.length >= options.max) {
            break;
          }
        }
      }
    }
  }
  return found;
}
