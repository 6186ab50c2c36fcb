import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { Paper } from '../../core/library/paper';
import { hitExcerpt, paperByline, paperCount, QUERY_SYNTAX_HINT, unmatchableLabel } from '../../core/display/presentation';
import { parseQuery } from '../../core/search/query';
import type { SearchHit } from '../../core/search/searchIndex';
import { copyBibtex } from '../bibtexCommands';
import type { DetailPanel } from '../detail/detailPanel';
import type { Library } from '../library';

export interface PaperItem extends vscode.QuickPickItem {
  readonly paper?: Paper;
}

const citeButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('quote'), tooltip: 'Insert citation' };
const copyButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('copy'), tooltip: 'Copy BibTeX' };
const detailsButton: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('open-preview'),
  tooltip: 'Open details',
};

function paperItem(hit: SearchHit, queryText: string, buttons: vscode.QuickInputButton[]): PaperItem {
  const excerpt = hitExcerpt(hit, queryText);
  return {
    label: unmatchableLabel(hit.paper.title),
    // The detail line, not the description: a description shares the title's line and
    // long titles push it out of sight.
    detail: excerpt ? `${paperByline(hit.paper)}  —  ${excerpt}` : paperByline(hit.paper),
    alwaysShow: true,
    buttons,
    paper: hit.paper,
  };
}

/** Items for a query, in the index's ranking order; `capped` when more papers matched than are shown. */
export function searchItems(
  library: Library,
  value: string,
  maxResults: number,
  buttons = [citeButton, copyButton, detailsButton],
): { items: PaperItem[]; capped: boolean } {
  const query = parseQuery(value);
  const hits = library.index.search(query, { limit: maxResults + 1 });
  const capped = hits.length > maxResults;
  const shown = capped ? hits.slice(0, maxResults) : hits;
  return { items: shown.map((hit) => paperItem(hit, query.text, buttons)), capped };
}

export interface SearchPickerDeps {
  readonly library: Library;
  readonly detail: DetailPanel;
  readonly maxResults: () => number;
  /** Inserts citations into the last active text editor. */
  readonly cite: (papers: Paper[]) => Promise<void>;
}

export interface SearchPickerOptions {
  readonly initialValue?: string;
  readonly title?: string;
  readonly placeholder?: string;
  /** Check boxes: several papers can be chosen; chosen ones stay listed at the top. */
  readonly canSelectMany?: boolean;
  /** What Enter does with the chosen papers; by default, open the details of the first. */
  readonly onAccept?: (papers: Paper[]) => void;
  /** Called once when the picker closes, whichever way. */
  readonly onHide?: () => void;
  /** Papers listed while the query is empty (instead of the whole library, newest first). */
  readonly initialPapers?: readonly Paper[];
}

let activePicker: vscode.QuickPick<PaperItem> | undefined;

/** The search picker on screen, if any (for tests, which wait on its items instead of sleeping). */
export function currentSearchPicker(): vscode.QuickPick<PaperItem> | undefined {
  return activePicker;
}

/** The palette search: results recomputed on each keystroke, in ranking order. */
export function showSearchPicker(deps: SearchPickerDeps, options: SearchPickerOptions = {}): vscode.QuickPick<PaperItem> {
  const onAccept = options.onAccept ?? ((papers: Paper[]) => deps.detail.show(papers[0]));
  const picker = vscode.window.createQuickPick<PaperItem>();
  const baseTitle = (): string => options.title ?? `Search Papers — ${paperCount(deps.library.model.counts())}`;
  picker.title = baseTitle();
  picker.placeholder = options.placeholder ?? 'Title, author, abstract words — or author:zenke year:2020-2022 venue:iclr';
  picker.matchOnDescription = false;
  picker.matchOnDetail = false;
  picker.canSelectMany = options.canSelectMany ?? false;
  const buttons = picker.canSelectMany ? [copyButton, detailsButton] : [citeButton, copyButton, detailsButton];
  // Checked papers, in the order they were checked; their items are reused so that
  // VS Code keeps them checked when the list changes.
  const chosen = new Map<string, PaperItem>();
  const update = (): void => {
    const initial = options.initialPapers;
    const max = deps.maxResults();
    const found =
      initial && picker.value.trim() === ''
        ? { items: initial.map((paper) => paperItem({ paper, score: 0, terms: [] }, '', buttons)), capped: false }
        : searchItems(deps.library, picker.value, max, buttons);
    const items = found.items;
    // The cap and an empty result are said in the title, where they apply (an item saying
    // "no papers" would be counted as a result).
    picker.title =
      items.length === 0 && picker.value.trim() !== ''
        ? `No papers match “${picker.value.trim().slice(0, 60)}” — ${QUERY_SYNTAX_HINT}`
        : found.capped
          ? `${baseTitle()} — the best ${max} are shown (setting Search: Max Results)`
          : baseTitle();
    if (!picker.canSelectMany) {
      picker.items = items;
      return;
    }
    const results = items.filter((i) => !i.paper || !chosen.has(i.paper.key));
    picker.items = [...chosen.values(), ...results];
    picker.selectedItems = [...chosen.values()];
    // VS Code focuses no item in a multi-select list; focus the best match so that
    // Enter cites it when nothing is checked.
    const best = results.find((i) => i.paper) ?? picker.items[0];
    picker.activeItems = best ? [best] : [];
  };
  // Keystrokes that arrive while a search runs are not queued: the next search runs
  // once, for whatever the value is by then (stale queries are dropped).
  let scheduled: ReturnType<typeof setTimeout> | undefined;
  const onValue = (): void => {
    if (scheduled === undefined) {
      picker.busy = true;
      scheduled = setTimeout(() => {
        scheduled = undefined;
        update();
        picker.busy = false;
      }, 0);
    }
  };
  const disposables = [
    picker.onDidChangeValue(onValue),
    // .bib files still loading when the search opened: show their papers as they arrive.
    deps.library.onDidChange(onValue),
    { dispose: () => clearTimeout(scheduled) },
    picker.onDidChangeSelection((selected) => {
      if (!picker.canSelectMany) {
        return;
      }
      const keys = new Set(selected.map((i) => i.paper?.key));
      for (const key of [...chosen.keys()]) {
        if (!keys.has(key)) {
          chosen.delete(key);
        }
      }
      for (const item of selected) {
        if (item.paper && !chosen.has(item.paper.key)) {
          chosen.set(item.paper.key, item);
        }
      }
    }),
    picker.onDidTriggerItemButton(async ({ item, button }) => {
      if (!item.paper) {
        return;
      }
      if (button === copyButton) {
        await copyBibtex(item.paper);
      } else if (button === detailsButton) {
        picker.hide();
        deps.detail.show(item.paper);
      } else if (button === citeButton) {
        picker.hide();
        await deps.cite([item.paper]);
      }
    }),
    picker.onDidAccept(() => {
      const checked = [...chosen.values()].map((i) => i.paper!);
      const active = picker.activeItems[0]?.paper;
      const papers = picker.canSelectMany
        ? checked.length > 0
          ? checked
          : active
            ? [active]
            : []
        : picker.selectedItems[0]?.paper
          ? [picker.selectedItems[0].paper]
          : [];
      if (papers.length > 0) {
        picker.hide();
        onAccept(papers);
      }
    }),
    picker.onDidHide(() => {
      if (activePicker === picker) {
        activePicker = undefined;
      }
      options.onHide?.();
      disposables.forEach((d) => d.dispose());
      picker.dispose();
    }),
  ];
  picker.value = options.initialValue ?? '';
  update();
  picker.show();
  activePicker = picker;
  return picker;
}

/** Registers `paperscope.searchPapers` (optional argument: the initial query). */
export function registerSearchCommands(deps: SearchPickerDeps): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.searchPapers, (initial?: unknown) => {
      showSearchPicker(deps, { initialValue: typeof initial === 'string' ? initial.slice(0, 500) : '' });
    }),
    vscode.commands.registerCommand(Commands.searchSelection, () => {
      const editor = vscode.window.activeTextEditor;
      let text = '';
      if (editor) {
        const sel = editor.selection;
        const range = sel.isEmpty ? editor.document.getWordRangeAtPosition(sel.active) : sel;
        text = range ? editor.document.getText(range) : '';
      }
      // A sentence or a paragraph works: the index ranks papers by the words it contains.
      showSearchPicker(deps, { initialValue: text.replace(/\s+/g, ' ').trim().slice(0, 500) });
    }),
  );
}

/** Lets the user choose one paper (for commands run without an argument); undefined when dismissed. */
export function pickPaper(deps: SearchPickerDeps, title: string): Promise<Paper | undefined> {
  return new Promise((resolve) => {
    let chosen: Paper | undefined;
    showSearchPicker(deps, { title, onAccept: (papers) => (chosen = papers[0]), onHide: () => resolve(chosen) });
  });
}

/** Lets the user choose papers to cite (check boxes); empty when dismissed. */
export function pickPapersToCite(deps: SearchPickerDeps): Promise<Paper[]> {
  return new Promise((resolve) => {
    let chosen: Paper[] = [];
    showSearchPicker(deps, {
      title: 'Insert Citation',
      placeholder: 'Search, check one or more papers, then press Enter',
      canSelectMany: true,
      onAccept: (papers) => (chosen = papers),
      onHide: () => resolve(chosen),
    });
  });
}
