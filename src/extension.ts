// Composition root: builds the services and registers each feature. No feature logic here.
import * as vscode from 'vscode';
import { Commands, ConfigSection, Settings } from './constants';
import { copyBibtex, paperFromArg } from './vscode/bibtexCommands';
import { DetailPanel, registerDetailPanel } from './vscode/detail/detailPanel';
import { Library, loadBundledIndex } from './vscode/library';
import { pickPaper, registerSearchCommand } from './vscode/search/searchPicker';
import { registerStatusBar } from './vscode/statusBar';

/**
 * What activate returns. Internal: for Paperscope's own integration tests only,
 * not a public API; it may change in any release.
 */
export interface PaperscopeInternals {
  readonly library: Library;
  readonly detail: DetailPanel;
}

export async function activate(context: vscode.ExtensionContext): Promise<PaperscopeInternals> {
  const library = new Library(await loadBundledIndex(context.extensionUri));
  const detail = new DetailPanel(context.extensionUri, library);
  const config = () => vscode.workspace.getConfiguration(ConfigSection);
  const searchDeps = {
    library,
    detail,
    maxResults: () => config().get<number>(Settings.maxResults, 50),
  };

  context.subscriptions.push(
    library,
    registerDetailPanel(detail, library),
    registerSearchCommand(searchDeps),
    vscode.commands.registerCommand(Commands.copyBibtex, async (key?: unknown) => {
      const paper = key === undefined ? await pickPaper(searchDeps, 'Copy BibTeX of…') : paperFromArg(library, key);
      if (paper) {
        await copyBibtex(paper);
      }
    }),
    registerStatusBar(library),
  );
  return { library, detail };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
