import * as vscode from 'vscode';
import { Commands } from '../constants';
import { safeExternalUrl } from '../core/display/html';
import { paperFromArg } from './bibtexCommands';
import type { Library } from './library';
import { showSearchPicker, type SearchPickerDeps } from './search/searchPicker';

/** Open on arXiv and Find Related, for tree items, the palette and hover cards. */
export function registerPaperCommands(library: Library, pickerDeps: SearchPickerDeps): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.openOnArxiv, async (arg?: unknown) => {
      const paper = paperFromArg(library, arg);
      const url = paper?.arxiv ? safeExternalUrl(`https://arxiv.org/abs/${paper.arxiv}`) : safeExternalUrl(paper?.url);
      if (url) {
        await vscode.env.openExternal(vscode.Uri.parse(url, true));
      } else if (paper) {
        void vscode.window.showInformationMessage(`Paperscope: “${paper.title}” has no arXiv id or web page.`);
      }
    }),
    vscode.commands.registerCommand(Commands.findRelated, (arg?: unknown) => {
      const paper = paperFromArg(library, arg);
      if (paper) {
        showSearchPicker(pickerDeps, {
          title: `Related to: ${paper.title}`,
          placeholder: 'Papers like this one — type to search the whole library instead',
          initialPapers: library.related(paper, 20),
        });
      }
    }),
  );
}
