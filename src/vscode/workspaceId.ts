import * as vscode from 'vscode';

/**
 * The workspace's id among the kept indexes of every workspace: `sha256Hex` of its
 * workspace file's URI or its folders' URIs (one per line), shortened — the same in
 * every session of it, and the same as earlier versions made on the desktop (its folder
 * of kept indexes stays where it was).
 */
export function workspaceId(sha256Hex: (text: string) => string): string {
  const workspace = vscode.workspace.workspaceFile?.toString() ?? (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()).join('\n');
  return workspace ? sha256Hex(workspace).slice(0, 32) : 'no-folder';
}
