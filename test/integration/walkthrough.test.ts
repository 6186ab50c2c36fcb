import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, EXTENSION_ID, waitFor } from './helpers';

interface Step {
  readonly id: string;
  readonly description: string;
  readonly media: { readonly image?: string };
}

describe('the first-run walkthrough', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('has four steps whose buttons run registered commands and whose pictures ship', async () => {
    await activate();
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const steps = (ext.packageJSON.contributes.walkthroughs[0].steps as Step[]) ?? [];
    assert.deepEqual(steps.map((s) => s.id), ['search', 'hover', 'cite', 'bib']);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const step of steps) {
      const commands = [...step.description.matchAll(/\]\(command:([\w.]+)/g)].map((m) => m[1]);
      assert.ok(commands.length > 0, `${step.id} has a button`);
      for (const c of commands) {
        assert.ok(registered.has(c), `${step.id}: ${c} is registered`);
      }
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(ext.extensionUri, step.media.image!));
    }
  });

  it('"Try a Hover Card" opens the sample and its citation key has the paper’s card', async () => {
    await activate();
    await vscode.commands.executeCommand('paperscope.tryHover');
    const editor = await waitFor('the sample', () => (vscode.window.activeTextEditor?.document.languageId === 'latex' ? vscode.window.activeTextEditor : undefined));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, editor.selection.active);
    const text = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
    assert.match(text, /Improving equilibrium propagation without weight symmetry/);
  });

  it('"Try Citing" opens Insert Citation at the end of the sample’s last sentence', async () => {
    const api = await activate();
    void vscode.commands.executeCommand('paperscope.tryCite');
    const picker = await waitFor('Insert Citation', () => api.searchPicker());
    assert.match(picker.title ?? '', /^Insert Citation/);
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.lineAt(editor.selection.active.line).text.slice(0, editor.selection.active.character), 'matrices. ');
  });
});
