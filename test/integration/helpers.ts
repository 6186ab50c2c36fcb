import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PaperscopeInternals } from '../../src/extension';

export const EXTENSION_ID = 'paperscope.paperscope';

/** Activates Paperscope and returns its internals (explicitly: tests must not rely on lazy activation). */
export async function activate(): Promise<PaperscopeInternals> {
  const ext = vscode.extensions.getExtension<PaperscopeInternals>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded`);
  return ext.activate();
}

/** Polls until the condition holds or the time runs out (UI state settles asynchronously). */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
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
