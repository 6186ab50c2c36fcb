import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { CheckedRows } from '../../core/display/checkedRows';
import { hitExcerpt, paperByline, paperCount, QUERY_SYNTAX_HINT } from '../../core/display/presentation';
import type { Paper } from '../../core/library/paper';
import { mergeWorks, parseIdentifierInput, type IdentifierInput } from '../../core/online/papers';
import { PROVIDER_NAMES, type ProviderError, type RemoteWork } from '../../core/online/types';
import { parseQuery } from '../../core/search/query';
import type { SearchHit } from '../../core/search/searchIndex';
import { excerptAround } from '../../core/text/text';
import { copyBibtex } from '../bibtexCommands';
import type { DetailPanel } from '../detail/detailPanel';
import type { Library } from '../library';
import type { Online, SearchProvider } from '../online/online';

export interface PaperItem extends vscode.QuickPickItem {
  readonly paper?: Paper;
  /** The "Search online for …" item. */
  readonly online?: true;
  /** The "Look up this DOI / arXiv id" item, when the query is an identifier the library lacks. */
  readonly identifier?: IdentifierInput;
}

const citeButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('quote'), tooltip: 'Insert citation' };
const copyButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('copy'), tooltip: 'Copy BibTeX' };
const detailsButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('open-preview'), tooltip: 'Open details' };
const addButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('add'), tooltip: 'Add to bibliography' };
const onlineButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('globe'), tooltip: 'Search online: arXiv, Crossref, DBLP, … (Ctrl+Alt+O)' };

function paperItem(hit: SearchHit, queryText: string, buttons: vscode.QuickInputButton[]): PaperItem {
  const excerpt = hitExcerpt(hit, queryText);
  return {
    label: hit.paper.title,
    // The detail line, not the description: a description shares the title's line and
    // long titles push it out of sight.
    detail: excerpt ? `${paperByline(hit.paper)}  —  ${excerpt}` : paperByline(hit.paper),
    alwaysShow: true,
    buttons,
    paper: hit.paper,
  };
}

/**
 * Items for a query, in the index's ranking order; `capped` when more papers matched than
 * are shown; `undefined` when a newer search of the same lane superseded this one.
 */
export async function searchItems(
  library: Library,
  value: string,
  maxResults: number,
  buttons = [citeButton, copyButton, detailsButton],
  lane?: string,
): Promise<{ items: PaperItem[]; capped: boolean } | undefined> {
  const query = parseQuery(value);
  // Rows may show papers of the index kept at the last start before the .bib files are
  // parsed; what a row does waits for the library's own paper (Library.complete).
  const hits = await library.search(query, { limit: maxResults + 1, lane, provisional: true });
  if (!hits) {
    return undefined;
  }
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
  /** Online search, when the extension has it. */
  readonly online?: Online;
  /** Whether online search runs as the user types (setting, off by default). */
  readonly searchAsYouType?: () => boolean;
  /** Looks up a pasted identifier (DOI, arXiv id, address, BibTeX entry) online. */
  readonly lookUp?: (input: IdentifierInput) => Promise<Paper | undefined>;
}

export interface SearchPickerOptions {
  readonly initialValue?: string;
  readonly title?: string;
  readonly placeholder?: string;
  /** Check boxes: several papers can be chosen; chosen ones stay listed (those the words no longer find at the top). */
  readonly canSelectMany?: boolean;
  /** What Enter does with the chosen papers; by default, open the details of the first. */
  readonly onAccept?: (papers: Paper[]) => void;
  /** Called once when the picker closes, whichever way. */
  readonly onHide?: () => void;
  /** Papers listed while the query is empty (instead of the whole library, newest first). */
  readonly initialPapers?: readonly Paper[] | Promise<readonly Paper[]>;
  /** Search online for the initial value right away (Search Online…). */
  readonly startOnline?: boolean;
}

let activePicker: vscode.QuickPick<PaperItem> | undefined;
/** Whether two rows stand for the same thing (rows are rebuilt on every update). */
function sameRow(a: PaperItem, b: PaperItem): boolean {
  if (a.paper || b.paper) {
    return a.paper?.key === b.paper?.key;
  }
  return a.label === b.label && !!a.online === !!b.online && !!a.identifier === !!b.identifier;
}

/** Numbers each picker's search lane (a new keystroke supersedes the picker's waiting search). */
let pickerCount = 0;
/** Starts the online search of the picker on screen (the keybinding inside the picker). */
let searchActiveOnline: (() => void) | undefined;

/** A context key: true while a Paperscope search is on screen (its keybindings apply). */
const PICKER_CONTEXT = 'paperscope.searchPickerVisible';

function identifierLabel(id: IdentifierInput): string {
  switch (id.kind) {
    case 'arxiv':
      return `arXiv:${id.id}`;
    case 'doi':
      return `doi:${id.doi}`;
    case 'dblp':
      return `DBLP ${id.key}`;
    case 'semanticscholar':
      return `Semantic Scholar paper ${id.id.slice(0, 10)}…`;
    default:
      return 'the entry';
  }
}

/** The search picker on screen, if any (for tests, which wait on its items instead of sleeping). */
export function currentSearchPicker(): vscode.QuickPick<PaperItem> | undefined {
  return activePicker;
}

/** What an online search found so far, per service. */
interface OnlineRun {
  readonly query: string;
  readonly results: Map<SearchProvider, RemoteWork[] | ProviderError>;
  readonly asked: SearchProvider[];
  done: boolean;
  readonly cancel: vscode.CancellationTokenSource;
}

/** The palette search: results recomputed on each keystroke, in ranking order; online results below, by service. */
export function showSearchPicker(deps: SearchPickerDeps, options: SearchPickerOptions = {}): vscode.QuickPick<PaperItem> {
  const onAccept = options.onAccept ?? ((papers: Paper[]) => deps.detail.show(papers[0]));
  const picker = vscode.window.createQuickPick<PaperItem>();
  // Keep the ranking: by default VS Code moves rows whose labels match the typed words to
  // the top (microsoft/vscode#73904). `sortByLabel` is still marked proposed in
  // vscode.d.ts, but the extension host forwards it as it is; with it, titles stay plain
  // text — what a screen reader reads — instead of letters kept apart by zero-width spaces.
  (picker as vscode.QuickPick<PaperItem> & { sortByLabel?: boolean }).sortByLabel = false;
  // While a kept index answers before the .bib files are read, the model counts only the bundled papers.
  const baseTitle = (): string =>
    options.title ?? `Search Papers — ${deps.library.answeringEarly ? 'your library as at the last start (reading your .bib files…)' : paperCount(deps.library.model.counts())}`;
  picker.title = baseTitle();
  picker.placeholder = options.placeholder ?? 'Title, author, abstract words — or author:zenke year:2020-2022 venue:iclr';
  picker.matchOnDescription = false;
  picker.matchOnDetail = false;
  picker.canSelectMany = options.canSelectMany ?? false;
  picker.buttons = deps.online ? [onlineButton] : [];
  const buttons = picker.canSelectMany ? [copyButton, detailsButton] : [citeButton, copyButton, detailsButton];
  const onlineButtons = picker.canSelectMany ? [addButton, detailsButton] : [citeButton, addButton, detailsButton];
  // Checked papers, in the order they were checked; their items are reused so that
  // VS Code keeps them checked when the list changes.
  const chosen = new Map<string, PaperItem>();
  const checks = new CheckedRows();
  /** Shows the checked papers in the window (which unchecks every row of a new list), and says so to `checks`. */
  const sendChecks = (): void => {
    picker.selectedItems = [...chosen.values()];
    checks.sent(chosen.keys());
  };
  let run: OnlineRun | undefined;

  /**
   * The online part of the list: a group per service, in the order the services answered
   * (those still searching last). A group lists the library's papers the service found
   * that the library's rows above lack, then its works, deduplicated (the first service
   * to answer keeps a work; later ones fill what it lacks). So rows once shown keep their
   * places while later services answer: VS Code reports a click, a check or Enter by the
   * row's place in the list, and one made while a service's answer is on its way must
   * still mean the row the user saw.
   */
  const onlineItems = (localKeys: ReadonlySet<string>): PaperItem[] => {
    if (!run || run.query !== picker.value.trim()) {
      return [];
    }
    const answered = [...run.results.keys()];
    const lists = answered.map((p) => run!.results.get(p)).filter((r): r is RemoteWork[] => Array.isArray(r));
    const merged = mergeWorks(lists, (w) => deps.library.model.findSame({ key: '', title: w.title, year: w.year, authors: w.authors, arxiv: w.arxiv, doi: w.doi }), answered);
    const items: PaperItem[] = [];
    for (const p of [...answered, ...run.asked.filter((a) => !run!.results.has(a))]) {
      const result = run.results.get(p);
      if (result === undefined) {
        items.push({ label: `${PROVIDER_NAMES[p]} — searching…`, kind: vscode.QuickPickItemKind.Separator });
        continue;
      }
      items.push({ label: PROVIDER_NAMES[p], kind: vscode.QuickPickItemKind.Separator });
      if (!Array.isArray(result)) {
        items.push({ label: `$(warning) ${result.message}`, alwaysShow: true });
        continue;
      }
      for (const paper of merged.local) {
        if (merged.localFoundBy.get(paper.id) === p && !localKeys.has(paper.key)) {
          const item = paperItem({ paper, score: 0, terms: [] }, run.query, buttons);
          items.push({ ...item, detail: `${PROVIDER_NAMES[p]} · in your library · ${item.detail ?? ''}` });
        }
      }
      for (const work of merged.works.filter((w) => w.provider === p)) {
        const paper = deps.library.paperForWork(work);
        const excerpt = excerptAround(work.abstract, run.query.split(/\s+/), 110);
        items.push({
          label: work.title,
          // The service on the item itself: a multi-select list shows no separators.
          detail: `${PROVIDER_NAMES[p]} · ${[paperByline(paper), excerpt].filter(Boolean).join('  —  ')}`,
          alwaysShow: true,
          buttons: onlineButtons,
          paper,
        });
      }
    }
    return items;
  };

  /** " — online: arXiv 10 · Crossref 2 · DBLP failed · OpenAlex searching…" for the current run. */
  const onlineStatus = (): string => {
    if (!run || run.query !== picker.value.trim() || run.asked.length === 0) {
      return '';
    }
    const parts = run.asked.map((p) => {
      const result = run!.results.get(p);
      return `${PROVIDER_NAMES[p]} ${result === undefined ? 'searching…' : Array.isArray(result) ? result.length : 'failed'}`;
    });
    return ` — online: ${parts.join(' · ')}`;
  };

  // The library's results for the last value searched: searching is asynchronous (the
  // index may live in a worker), so the list shows them until the next ones arrive.
  let localFor: { value: string; found: { items: PaperItem[]; capped: boolean } } | undefined;
  const lane = `picker-${++pickerCount}`;
  let closed = false;
  const searchLocal = async (): Promise<void> => {
    const value = picker.value;
    const initial = options.initialPapers;
    let found: { items: PaperItem[]; capped: boolean } | undefined;
    if (initial && value.trim() === '') {
      found = { items: (await initial).map((paper) => paperItem({ paper, score: 0, terms: [] }, '', buttons)), capped: false };
    } else {
      try {
        found = await searchItems(deps.library, value, deps.maxResults(), buttons, lane);
      } catch {
        found = { items: [], capped: false };
      }
    }
    if (found && !closed) {
      localFor = { value, found };
      update();
    }
  };

  /** The words the rows on screen were made for, and whether the library's rows among them were for those words. */
  let shownFor: string | undefined;
  let shownFresh = false;
  /** The row a multi-select list last focused by itself (the best match): another focused row is one the user moved to. */
  let focused: PaperItem | undefined;
  const update = (): void => {
    const max = deps.maxResults();
    const value = picker.value.trim();
    const found = localFor?.found ?? { items: [], capped: false };
    const searching = localFor === undefined || localFor.value !== picker.value;
    const local = found.items;
    const localKeys = new Set(local.map((i) => i.paper!.key));
    const remote = onlineItems(localKeys);
    const offer: PaperItem[] = [];
    const identifier = deps.lookUp ? unknownIdentifier(value) : undefined;
    if (identifier) {
      // A pasted DOI, arXiv id or address the library lacks: look that one paper up.
      offer.push({ label: `$(cloud-download) Look up ${identifierLabel(identifier)} online`, detail: 'Fetches its metadata from the service that registered it — nothing is sent until you choose this', alwaysShow: true, identifier });
    } else if (deps.online && value !== '' && (!run || run.query !== value)) {
      offer.push({ label: `$(globe) Search online for “${value.slice(0, 80)}”`, detail: 'arXiv, Crossref, DBLP and the other services you switched on — nothing is sent until you choose this', alwaysShow: true, online: true });
    }
    const items = identifier ? [...offer, ...local, ...remote] : [...local, ...remote, ...offer];
    // The cap and an empty result are said in the title, where they apply (an item saying
    // "no papers" would be counted as a result).
    // VS Code hides separators while the user's words filter the list, so where the
    // online results stand is said in the title too.
    const status = onlineStatus();
    picker.title =
      local.length === 0 && value !== '' && remote.length === 0 && !searching
        ? `No papers match “${value.slice(0, 60)}” — ${QUERY_SYNTAX_HINT}`
        : found.capped
          ? `${baseTitle()} — the best ${max} are shown (setting Search: Max Results)${status}`
          : `${baseTitle()}${status}`;
    picker.busy = searching || (run !== undefined && !run.done && run.query === value);
    if (!picker.canSelectMany) {
      // New results for the same words (the library's answer, a service's) must not move
      // the highlight away from the row the user is on; new words start from the top.
      // Only a row the user moved to counts: not the first row (VS Code highlights it by
      // itself), and not rows shown while the library's answer for these words was still
      // coming (the library's papers arrive, the highlight goes to the best of them).
      // (Rows are rebuilt on every update and the host learns of VS Code's highlight
      // later, so rows are compared by what they stand for.)
      const current = picker.activeItems[0];
      const first = picker.items[0];
      const active = value === shownFor && shownFresh && current && first && !sameRow(current, first) ? current : undefined;
      picker.items = items;
      shownFor = value;
      shownFresh = !searching;
      const again = active && items.find((i) => sameRow(i, active));
      if (again && items[0] !== again) {
        picker.activeItems = [again];
      }
      return;
    }
    // A checked row stays where it is (its own item, so that VS Code shows it checked):
    // moving it would move every row below it under a click on its way. Checked papers
    // the words no longer find are listed first.
    const rows = items.map((i) => (i.paper && chosen.get(i.paper.key)) || i);
    const listed = new Set(rows.map((i) => i.paper?.key));
    const current = picker.activeItems[0];
    const moved = value === shownFor && current && (!focused || !sameRow(current, focused));
    picker.items = [...[...chosen.values()].filter((i) => !listed.has(i.paper!.key)), ...rows];
    sendChecks();
    shownFor = value;
    // VS Code focuses no item in a multi-select list; focus the best match so that Enter
    // cites it when nothing is checked. A row the user moved to stays focused while
    // services answer.
    const again = moved ? picker.items.find((i) => sameRow(i, current)) : undefined;
    if (!again) {
      focused = rows.find((i) => i.paper) ?? picker.items[0];
    }
    const active = again ?? focused;
    picker.activeItems = active ? [active] : [];
  };

  /** A DOI, arXiv id or scholarly address the library has no paper for. */
  const unknownIdentifier = (value: string): IdentifierInput | undefined => {
    const parsed = value.length <= 400 ? parseIdentifierInput(value) : undefined;
    if (!parsed || parsed.kind === 'bibtex') {
      return undefined;
    }
    const index = deps.library.index;
    const known = parsed.kind === 'arxiv' ? index.byArxiv(parsed.id) : parsed.kind === 'doi' ? index.byDoi(parsed.doi) : undefined;
    return known ? undefined : parsed;
  };

  /** Looks the pasted identifier up; the paper found is what Enter gives (details, or a citation). */
  const lookUp = async (identifier: IdentifierInput): Promise<void> => {
    picker.busy = true;
    const paper = await deps.lookUp?.(identifier);
    picker.busy = false;
    if (paper) {
      picker.hide();
      onAccept([paper]);
    }
  };

  /** Asks the online services for the current query; results come in service by service. */
  const searchOnline = (): void => {
    const online = deps.online;
    const query = picker.value.trim();
    if (!online || query === '' || (run && run.query === query)) {
      return;
    }
    run?.cancel.cancel();
    const current: OnlineRun = { query, results: new Map(), asked: [], done: false, cancel: new vscode.CancellationTokenSource() };
    run = current;
    picker.busy = true;
    void online
      .searchable()
      .then(async (asked) => {
        if (run !== current) {
          return;
        }
        current.asked.push(...asked);
        if (asked.length === 0) {
          vscode.window.setStatusBarMessage('$(globe) Paperscope: no online service is switched on (setting paperscope.online.providers)', 6000);
        }
        update();
        await online.search(query, current.cancel.token, (p, result) => {
          if (run === current) {
            current.results.set(p, result);
            update();
          }
        });
        if (run === current) {
          current.done = true;
          const failures = [...current.results.values()].filter((r) => !Array.isArray(r)) as ProviderError[];
          if (asked.length > 0 && failures.length === asked.length && failures.every((f) => f.failure === 'offline' || f.failure === 'timeout')) {
            vscode.window.setStatusBarMessage('$(globe) Paperscope: online search is unavailable (offline?) — your library’s results stand', 8000);
          }
          update();
        }
      })
      .catch(() => {
        current.done = true;
      });
  };

  // Keystrokes that arrive while a search runs are not queued: the next search runs
  // once, for whatever the value is by then (stale queries are dropped).
  let scheduled: ReturnType<typeof setTimeout> | undefined;
  let typed: ReturnType<typeof setTimeout> | undefined;
  const onValue = (): void => {
    if (scheduled === undefined) {
      picker.busy = true;
      scheduled = setTimeout(() => {
        scheduled = undefined;
        update();
        void searchLocal();
      }, 0);
    }
    if (deps.online && deps.searchAsYouType?.()) {
      // Online as you type (a setting, off by default): after a pause, the previous request cancelled.
      clearTimeout(typed);
      run?.cancel.cancel();
      typed = setTimeout(searchOnline, 400);
    }
  };
  /** The library's own papers for rows shown from the kept index while the .bib files were parsed (busy meanwhile). */
  const own = async (papers: Paper[]): Promise<Paper[]> => {
    picker.busy = true;
    try {
      return await deps.library.complete(papers);
    } finally {
      picker.busy = false;
    }
  };
  const act = async (item: PaperItem, button: vscode.QuickInputButton): Promise<void> => {
    if (!item.paper) {
      return;
    }
    const [paper] = await own([item.paper]);
    if (button === copyButton) {
      await copyBibtex(paper);
    } else if (button === detailsButton) {
      picker.hide();
      deps.detail.show(paper);
    } else if (button === citeButton) {
      picker.hide();
      await deps.cite([paper]);
    } else if (button === addButton) {
      await vscode.commands.executeCommand(Commands.addToBibliography, paper.key);
    }
  };
  const disposables = [
    picker.onDidChangeValue(onValue),
    // .bib files still loading when the search opened: show their papers as they arrive.
    deps.library.onDidChange(onValue),
    { dispose: () => clearTimeout(scheduled) },
    { dispose: () => clearTimeout(typed) },
    { dispose: () => run?.cancel.cancel() },
    picker.onDidTriggerButton((button) => {
      if (button === onlineButton) {
        searchOnline();
      }
    }),
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
      // A tick the window may have undone with a list on its way: shown again.
      if (checks.reported(chosen.keys())) {
        sendChecks();
      }
    }),
    picker.onDidTriggerItemButton(({ item, button }) => act(item, button)),
    picker.onDidAccept(async () => {
      const active = picker.activeItems[0];
      if (active?.online) {
        searchOnline();
        return;
      }
      if (active?.identifier) {
        void lookUp(active.identifier);
        return;
      }
      const checked = [...chosen.values()].map((i) => i.paper!);
      const papers = picker.canSelectMany
        ? checked.length > 0
          ? checked
          : active?.paper
            ? [active.paper]
            : []
        : picker.selectedItems[0]?.paper
          ? [picker.selectedItems[0].paper]
          : [];
      if (papers.length > 0) {
        const chosenPapers = await own(papers);
        if (!closed) {
          picker.hide();
          onAccept(chosenPapers);
        }
      }
    }),
    picker.onDidHide(() => {
      closed = true;
      if (activePicker === picker) {
        activePicker = undefined;
        searchActiveOnline = undefined;
        void vscode.commands.executeCommand('setContext', PICKER_CONTEXT, false);
      }
      options.onHide?.();
      disposables.forEach((d) => d.dispose());
      picker.dispose();
    }),
  ];
  picker.value = options.initialValue ?? '';
  update();
  void searchLocal();
  picker.show();
  activePicker = picker;
  searchActiveOnline = deps.online ? searchOnline : undefined;
  void vscode.commands.executeCommand('setContext', PICKER_CONTEXT, true);
  if (options.startOnline) {
    searchOnline();
  }
  return picker;
}

/** Registers `paperscope.searchPapers` (optional argument: the initial query) and Search Online. */
export function registerSearchCommands(deps: SearchPickerDeps): vscode.Disposable {
  const selectionText = (): string => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      return '';
    }
    const sel = editor.selection;
    const range = sel.isEmpty ? editor.document.getWordRangeAtPosition(sel.active) : sel;
    // A sentence or a paragraph works: the index ranks papers by the words it contains.
    return range ? editor.document.getText(range).replace(/\s+/g, ' ').trim().slice(0, 500) : '';
  };
  return vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.searchPapers, (initial?: unknown) => {
      showSearchPicker(deps, { initialValue: typeof initial === 'string' ? initial.slice(0, 500) : '' });
    }),
    vscode.commands.registerCommand(Commands.searchSelection, () => {
      showSearchPicker(deps, { initialValue: selectionText() });
    }),
    vscode.commands.registerCommand(Commands.searchOnline, (initial?: unknown) => {
      if (initial === undefined && activePicker && searchActiveOnline) {
        // The keybinding inside the search: search online for what is typed there.
        searchActiveOnline();
        return;
      }
      const value = typeof initial === 'string' ? initial.slice(0, 500) : selectionText();
      showSearchPicker(deps, { initialValue: value, startOnline: value !== '', placeholder: 'Words to search for online (arXiv, Crossref, DBLP, …), then Enter' });
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
