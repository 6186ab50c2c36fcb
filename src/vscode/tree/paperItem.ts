import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { paperHoverMarkdown } from '../../core/display/hoverCard';
import type { Paper } from '../../core/library/paper';
import { leadAuthor } from '../../core/bib/names';
import { trustedCard } from '../hover/hoverProvider';

/** A paper as a tree item: title, "Laborieux et al. · 2023", the hover card as tooltip; click opens details. */
export function paperTreeItem(paper: Paper, collapsible = vscode.TreeItemCollapsibleState.None): vscode.TreeItem {
  const item = new vscode.TreeItem(paper.title, collapsible);
  item.description = [leadAuthor(paper.authors), paper.year?.toString()].filter(Boolean).join(' · ');
  item.tooltip = trustedCard(paperHoverMarkdown(paper, { abstractLength: 300 }));
  item.iconPath = new vscode.ThemeIcon(paper.source === 'user' ? 'account' : 'book');
  item.contextValue = paper.arxiv ? 'paperscope.paper.arxiv' : 'paperscope.paper';
  item.command = { title: 'Open Paper Details', command: Commands.openPaper, arguments: [paper.key] };
  item.accessibilityInformation = { label: `${paper.title}, ${item.description}` };
  return item;
}
