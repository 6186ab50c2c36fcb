import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PaperscopeInternals } from '../../src/extension';
import type { LibraryNode } from '../../src/vscode/tree/libraryView';

export const EXTENSION_ID = 'paperscope.paperscope';

/** Activates Paperscope and returns its internals (explicitly: tests must not rely on lazy activation). */
export async function activate(): Promise<PaperscopeInternals> {
  const ext = vscode.extensions.getExtension<PaperscopeInternals>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded`);
  return ext.activate();
}

/**
 * Polls until the condition holds or the time runs out (UI state settles asynchronously).
 * The default leaves a slow CI machine room: a wait that times out is a failure, not a
 * measurement (the suite's own timeout is 30 s).
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The workspace folder the suite runs in. */
export function workspaceUri(...path: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite needs a workspace folder');
  return vscode.Uri.joinPath(folder.uri, ...path);
}

/** Writes a file into the workspace (through workspace.fs) and opens it in an editor. */
export async function openWorkspaceFile(name: string, content: string | Uint8Array, column?: vscode.ViewColumn): Promise<vscode.TextEditor> {
  const uri = workspaceUri(name);
  await vscode.workspace.fs.writeFile(uri, typeof content === 'string' ? new TextEncoder().encode(content) : content);
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), column);
}

/** Completion labels at the end of an editor's text, in the order VS Code received them. */
export async function completionLabelsAtEnd(editor: vscode.TextEditor): Promise<{ labels: string[]; list: vscode.CompletionList }> {
  const end = editor.document.positionAt(editor.document.getText().length);
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, end);
  return { labels: list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label)), list };
}

/** Suite set-up shared by the integration suites: activation with the .bib files read, editors closed after each test. */
export function withReadyExtension(): void {
  before(async () => {
    const api = await activate();
    await api.ready();
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
}

/** The Library view's papers under each root group, in view order (the tree answers asynchronously). */
export async function libraryRows(api: PaperscopeInternals): Promise<{ group: string; papers: LibraryNode[] }[]> {
  const groups = await api.libraryTree.getChildren();
  return Promise.all(
    groups.map(async (g) => ({ group: String(api.libraryTree.getTreeItem(g).label), papers: await api.libraryTree.getChildren(g) })),
  );
}

/** Every paper row of the Library view. */
export async function libraryPaperNodes(api: PaperscopeInternals): Promise<LibraryNode[]> {
  return (await libraryRows(api)).flatMap((r) => r.papers);
}
