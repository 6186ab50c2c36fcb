import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { Library } from './library';

/** `$(book) 119 papers` in the status bar; a click opens the search. */
export function registerStatusBar(library: Library): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('paperscope.papers', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Paperscope';
  item.command = Commands.searchPapers;
  const update = (): void => {
    const n = library.index.size;
    item.text = `$(book) ${n.toLocaleString('en-US')} papers`;
    item.tooltip = `Paperscope: ${n.toLocaleString('en-US')} papers in the library — click to search`;
  };
  update();
  item.show();
  return vscode.Disposable.from(item, library.onDidChange(update));
}
