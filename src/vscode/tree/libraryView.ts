import * as vscode from 'vscode';
import { Commands, ViewIds } from '../../constants';
import { GROUPING_LABELS, GROUPINGS, groupPapers, paperInGroups, topicLookupInSlices, type Grouping, type PaperGroup, type TopicOf } from '../../core/search/libraryGroups';
import { paperCount } from '../../core/display/presentation';
import type { Paper } from '../../core/library/paper';
import { hasFilters, parseQuery } from '../../core/search/query';
import type { Library } from '../library';
import { paperTreeItem } from './paperItem';
import { giveBack } from '../../core/text/slices';

const GROUPING_STATE = 'paperscope.libraryGrouping';

export type LibraryNode = { readonly kind: 'group'; readonly group: PaperGroup } | { readonly kind: 'paper'; readonly paper: Paper; readonly parentId: string };

/** The Library view: groups by year, venue, first author or topic, with an optional search filter. */
export class LibraryTree implements vscode.TreeDataProvider<LibraryNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<LibraryNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private topicOf: TopicOf | undefined;
  private topicsPending: Promise<void> | undefined;
  private topicGeneration = 0;
  private filterText: string | undefined;
  /** A filter to groups (the overview's bars): papers in every one of `ids`, described by `label`. */
  private groupFilter: { readonly ids: readonly string[]; readonly label: string } | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    readonly library: Library,
    private readonly state: vscode.Memento,
  ) {
    this.subscription = library.onDidChange(() => {
      this.topicOf = undefined;
      this.topicsPending = undefined;
      this.topicGeneration++;
      this.refresh();
    });
  }

  get grouping(): Grouping {
    const saved = this.state.get<string>(GROUPING_STATE);
    return (GROUPINGS as readonly string[]).includes(saved ?? '') ? (saved as Grouping) : 'year';
  }

  async setGrouping(grouping: Grouping): Promise<void> {
    await this.state.update(GROUPING_STATE, grouping);
    this.refresh();
  }

  /** What the view is filtered by, in words (undefined: the whole library). */
  get filter(): string | undefined {
    return this.filterText ?? this.groupFilter?.label;
  }

  /** Filters by search words and field filters; replaces a group filter. */
  setFilter(query: string | undefined): void {
    const q = query?.trim();
    this.filterText = q ? q : undefined;
    this.groupFilter = undefined;
    this.filterChanged();
  }

  /**
   * Shows only the papers in every one of the groups (ids as the tree makes them, e.g.
   * `year:2023`, `topic:…`), as the Library overview's bars do; replaces a search filter.
   */
  setGroupFilter(ids: readonly string[], label: string): void {
    this.groupFilter = ids.length > 0 ? { ids: [...ids], label } : undefined;
    this.filterText = undefined;
    this.filterChanged();
  }

  private filterChanged(): void {
    void vscode.commands.executeCommand('setContext', 'paperscope.libraryFiltered', this.filter !== undefined);
    this.refresh();
  }

  /** The library's topics, once computed (see `topicsReady`). */
  get topics(): TopicOf | undefined {
    return this.topicOf;
  }

  /** Re-reads the model; never rebuilds the index. */
  refresh(): void {
    this.changeEmitter.fire(undefined);
  }

  /** The groups as shown now (for tests and the view's description). */
  async groups(): Promise<PaperGroup[]> {
    const index = this.library.index;
    let papers: Paper[];
    let ranked = false;
    if (this.filterText) {
      const q = parseQuery(this.filterText);
      // A newer filter supersedes this one; the view asks again after the refresh it fires.
      papers = ((await this.library.search(q, { lane: 'library-view' })) ?? []).map((h) => h.paper);
      ranked = q.text !== '' || hasFilters(q);
    } else {
      papers = [...index.papers];
    }
    if (this.computingTopics) {
      void this.topicsReady();
      return [];
    }
    if (this.groupFilter) {
      papers = papers.filter(paperInGroups(this.groupFilter.ids, this.topicOf));
    }
    return groupPapers(papers, this.grouping, this.topicOf, ranked, (file) =>
      vscode.workspace.asRelativePath(vscode.Uri.parse(file), false),
    );
  }

  /** True while topics the view needs (to group or to filter by) are being computed (the view says so). */
  get computingTopics(): boolean {
    const needed = this.grouping === 'topic' || (this.groupFilter?.ids.some((id) => id.startsWith('topic:')) ?? false);
    return needed && !this.topicOf;
  }

  /**
   * Computes the library's topics once per library version, in slices (a large library
   * takes seconds), then shows them.
   */
  topicsReady(): Promise<void> {
    if (this.topicOf) {
      return Promise.resolve();
    }
    if (!this.topicsPending) {
      const generation = this.topicGeneration;
      this.topicsPending = topicLookupInSlices(this.library.index.papers, giveBack).then((of) => {
        if (generation === this.topicGeneration) {
          this.topicOf = of;
          this.refresh();
        }
      });
    }
    return this.topicsPending;
  }

  async getChildren(node?: LibraryNode): Promise<LibraryNode[]> {
    if (!node) {
      return (await this.groups()).map((group) => ({ kind: 'group', group }));
    }
    if (node.kind === 'group') {
      const parentId = this.groupNodeId(node.group);
      return node.group.papers.map((paper) => ({ kind: 'paper', paper, parentId }));
    }
    return [];
  }

  private groupNodeId(group: PaperGroup): string {
    // Filtered groups get their own ids: they open expanded without disturbing the
    // expansion the user chose in the full library.
    return `${this.filter !== undefined ? 'filtered/' : ''}${group.id}`;
  }

  getTreeItem(node: LibraryNode): vscode.TreeItem {
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(
        node.group.label,
        this.filter !== undefined ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
      );
      item.id = this.groupNodeId(node.group);
      item.description = String(node.group.papers.length);
      item.tooltip = `${node.group.papers.length} ${node.group.papers.length === 1 ? 'paper' : 'papers'}`;
      item.contextValue = 'paperscope.group';
      return item;
    }
    const item = paperTreeItem(node.paper);
    // The group's id and the paper's id: unique by construction (keys and titles repeat).
    item.id = `${node.parentId}/${node.paper.id}`;
    return item;
  }

  getParent(): undefined {
    return undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}

/** Registers the Library view and its title-bar commands. */
export function registerLibraryView(tree: LibraryTree): vscode.Disposable {
  const view = vscode.window.createTreeView(ViewIds.library, { treeDataProvider: tree, showCollapseAll: true });
  const describe = () => {
    const shown = paperCount(tree.library.model.counts());
    view.description = tree.filter ? `Filter: ${tree.filter}` : `${shown}, by ${GROUPING_LABELS[tree.grouping].toLowerCase()}`;
    view.message = tree.computingTopics ? 'Finding the topics of the library…' : undefined;
  };
  describe();
  return vscode.Disposable.from(
    view,
    tree,
    tree.onDidChangeTreeData(describe),
    vscode.commands.registerCommand(Commands.groupLibraryBy, async (arg?: unknown) => {
      let grouping = typeof arg === 'string' && (GROUPINGS as readonly string[]).includes(arg) ? (arg as Grouping) : undefined;
      if (!grouping) {
        const picked = await vscode.window.showQuickPick(
          GROUPINGS.map((g) => ({ label: GROUPING_LABELS[g], description: g === tree.grouping ? 'current' : undefined, grouping: g })),
          { title: 'Group Library By', placeHolder: 'How should the Library be grouped?' },
        );
        grouping = picked?.grouping;
      }
      if (grouping) {
        await tree.setGrouping(grouping);
      }
    }),
    vscode.commands.registerCommand(Commands.filterLibrary, async (arg?: unknown) => {
      const query =
        typeof arg === 'string'
          ? arg
          : await vscode.window.showInputBox({
              title: 'Filter Library',
              value: tree.filter ?? '',
              prompt: 'Words, or filters such as author:zenke year:2020-2022 venue:iclr. Empty clears the filter.',
              placeHolder: 'e.g. diffusion year:2023-2025',
            });
      if (query !== undefined) {
        tree.setFilter(query.slice(0, 500));
      }
    }),
    vscode.commands.registerCommand(Commands.clearLibraryFilter, () => tree.setFilter(undefined)),
  );
}
