import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { Library } from './library';

/** `$(book) 119 papers` in the status bar; a click opens the search. */
export function registerStatusBar(library: Library): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('paperscope.papers', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Paperscope';
  item.command = Commands.searchPapers;
  const update = (): void => {
    const fmt = (n: number) => n.toLocaleString('en-US');
    const bundled = library.user.bundledSize;
    const user = library.user.size;
    item.text = user > 0 ? `$(book) ${fmt(bundled)} + ${fmt(user)} papers` : `$(book) ${fmt(bundled)} papers`;
    item.tooltip =
      user > 0
        ? `Paperscope: ${fmt(bundled)} bundled papers and ${fmt(user)} from your .bib files — click to search`
        : `Paperscope: ${fmt(bundled)} papers in the library — click to search`;
  };
  update();
  item.show();
  return vscode.Disposable.from(item, library.onDidChange(update));
}
