import * as vscode from 'vscode';
import { Commands } from '../constants';
import { countBreakdown, paperCount } from '../core/display/presentation';
import type { Library } from './library';

/** `$(book) 119 papers` in the status bar; a click opens the search. */
export function registerStatusBar(library: Library): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('paperscope.papers', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Paperscope';
  item.command = Commands.searchPapers;
  const update = (): void => {
    const counts = library.model.counts();
    item.text = `$(book) ${paperCount(counts)}`;
    item.tooltip = `Paperscope — ${countBreakdown(counts)}. Click to search.`;
  };
  update();
  item.show();
  return vscode.Disposable.from(item, library.onDidChange(update));
}
