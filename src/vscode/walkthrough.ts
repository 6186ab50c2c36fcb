// The first-run walkthrough's buttons that need more than a plain command: a hover and a
// citation on a short LaTeX sample that ships with the extension, so they work in any
// workspace (or none).
import * as vscode from 'vscode';
import { Commands } from '../constants';

/** A few lines of a paper: a citation of a bundled paper, a title in prose, an arXiv id. */
export const WALKTHROUGH_SAMPLE = [
  '% A sample from Paperscope\'s walkthrough: hover the key, the title or the arXiv id.',
  'Equilibrium propagation trains energy-based networks without backpropagation',
  '\\cite{laborieux2023improving}. The paper Improving equilibrium propagation without',
  'weight symmetry through Jacobian homeostasis is on arXiv as arXiv:2309.02214.',
  'Direct feedback alignment replaces the transposed weights with fixed random',
  'matrices. ',
  '',
].join('\n');

async function openSample(): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language: 'latex', content: WALKTHROUGH_SAMPLE });
  return vscode.window.showTextDocument(doc);
}

export function registerWalkthroughCommands(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.tryHover, async () => {
      const editor = await openSample();
      const at = editor.document.positionAt(WALKTHROUGH_SAMPLE.indexOf('laborieux2023improving') + 4);
      editor.selection = new vscode.Selection(at, at);
      await vscode.commands.executeCommand('editor.action.showHover');
    }),
    vscode.commands.registerCommand(Commands.tryCite, async () => {
      const editor = await openSample();
      // After "fixed random matrices.": where a citation is wanted.
      const end = editor.document.positionAt(WALKTHROUGH_SAMPLE.lastIndexOf('matrices. ') + 'matrices. '.length);
      editor.selection = new vscode.Selection(end, end);
      await vscode.commands.executeCommand(Commands.insertCitation);
    }),
  );
}
