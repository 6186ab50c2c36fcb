import * as vscode from 'vscode';
import type { Digest } from '../core/search/fullText';

/**
 * The workspace's id among the kept indexes of every workspace (the digest of its
 * workspace file or its folders' URIs, shortened): the same in every session of it.
 */
export function workspaceId(digest: Digest): string {
  const workspace = vscode.workspace.workspaceFile?.toString() ?? (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()).join('\n');
  return workspace ? digest([workspace]).slice(0, 32) : 'no-folder';
}
