import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { Paper } from '../../core/paper';
import { hitExcerpt, paperByline, QUERY_SYNTAX_HINT, unmatchableLabel } from '../../core/presentation';
import { parseQuery } from '../../core/query';
import { copyBibtex } from '../bibtexCommands';
import type { DetailPanel } from '../detail/detailPanel';
import type { Library } from '../library';

export interface PaperItem extends vscode.QuickPickItem {
  readonly paper?: Paper;
}

const copyButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('copy'), tooltip: 'Copy BibTeX' };
const detailsButton: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('open-preview'),
  tooltip: 'Open details',
};

/** Items for a query, in the index's ranking order. */
export function searchItems(library: Library, value: string, maxResults: number): PaperItem[] {
  const query = parseQuery(value);
  const hits = library.index.search(query, { limit: maxResults });
  if (hits.length === 0) {
    return [
      {
        label: `$(info) No papers match “${value.trim()}”`,
        detail: QUERY_SYNTAX_HINT,
        alwaysShow: true,
      },
    ];
  }
  return hits.map((hit) => ({
    label: unmatchableLabel(hit.paper.title),
    // The detail line, not the description: a description shares the title's line and
    // long titles push it out of sight.
    detail: `${paperByline(hit.paper)}  —  ${hitExcerpt(hit, query.text)}`,
    alwaysShow: true,
    buttons: [copyButton, detailsButton],
    paper: hit.paper,
  }));
}

export interface SearchPickerDeps {
  readonly library: Library;
  readonly detail: DetailPanel;
  readonly maxResults: () => number;
}

export interface SearchPickerOptions {
  readonly initialValue?: string;
  readonly title?: string;
  /** What Enter does with the chosen paper; by default, open its details. */
  readonly onAccept?: (paper: Paper) => void;
  /** Called once when the picker closes, whichever way. */
  readonly onHide?: () => void;
}

/** The palette search: results recomputed on each keystroke, in ranking order. */
export function showSearchPicker(deps: SearchPickerDeps, options: SearchPickerOptions = {}): vscode.QuickPick<PaperItem> {
  const onAccept = options.onAccept ?? ((paper: Paper) => deps.detail.show(paper));
  const picker = vscode.window.createQuickPick<PaperItem>();
  picker.title = options.title ?? `Search Papers (${deps.library.index.size})`;
  picker.placeholder = 'Title, author, abstract words — or author:zenke year:2020-2022 venue:iclr';
  picker.matchOnDescription = false;
  picker.matchOnDetail = false;
  const update = (): void => {
    picker.items = searchItems(deps.library, picker.value, deps.maxResults());
  };
  const disposables = [
    picker.onDidChangeValue(update),
    picker.onDidTriggerItemButton(async ({ item, button }) => {
      if (!item.paper) {
        return;
      }
      if (button === copyButton) {
        await copyBibtex(item.paper);
      } else if (button === detailsButton) {
        picker.hide();
        deps.detail.show(item.paper);
      }
    }),
    picker.onDidAccept(() => {
      const paper = picker.selectedItems[0]?.paper;
      if (paper) {
        picker.hide();
        onAccept(paper);
      }
    }),
    picker.onDidHide(() => {
      options.onHide?.();
      disposables.forEach((d) => d.dispose());
      picker.dispose();
    }),
  ];
  picker.value = options.initialValue ?? '';
  update();
  picker.show();
  return picker;
}

/** Registers `paperscope.searchPapers` (optional argument: the initial query). */
export function registerSearchCommand(deps: SearchPickerDeps): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.searchPapers, (initial?: unknown) => {
    showSearchPicker(deps, { initialValue: typeof initial === 'string' ? initial.slice(0, 500) : '' });
  });
}

/** Lets the user choose one paper (for commands run without an argument); undefined when dismissed. */
export function pickPaper(deps: SearchPickerDeps, title: string): Promise<Paper | undefined> {
  return new Promise((resolve) => {
    let chosen: Paper | undefined;
    showSearchPicker(deps, { title, onAccept: (paper) => (chosen = paper), onHide: () => resolve(chosen) });
  });
}
