import * as vscode from 'vscode';
import { Commands, DOCUMENT_SELECTOR } from '../../constants';
import { existingKeyFor } from '../../core/bib/edit';
import type { BibEntry } from '../../core/bib/parser';
import { citationContextAt } from '../../core/cite/citeContext';
import { completionDetail, paperHoverMarkdown } from '../../core/display/hoverCard';
import { documentKind } from '../documents';
import { trustedCard } from '../hover/hoverProvider';
import type { Library } from '../library';
import { bibliographyTarget } from './bibliography';

const MAX_ITEMS = 50;

export interface CompletionDeps {
  readonly library: Library;
  /** The entries of a .bib file (BibFiles.entriesOf). */
  readonly bibEntries: (uri: vscode.Uri) => Promise<readonly BibEntry[] | undefined>;
  readonly abstractLength: () => number;
}

/** Citation keys inside `\cite{…}` and after `@` in Markdown, ranked by the index for what was typed. */
export function registerCompletionProvider(deps: CompletionDeps): vscode.Disposable {
  const provider: vscode.CompletionItemProvider = {
    async provideCompletionItems(doc, position) {
      const kind = documentKind(doc);
      if (!kind) {
        return undefined;
      }
      const text = doc.getText();
      const offset = doc.offsetAt(position);
      const ctx = citationContextAt(text, offset, kind);
      if (!ctx || (ctx.syntax === 'pandoc' && !ctx.afterAt)) {
        return undefined;
      }
      const hits = deps.library.index.search(ctx.prefix, { limit: MAX_ITEMS });
      // The .bib may hold a paper under its own key already: complete that key then.
      const bib = bibliographyTarget(doc);
      const entries: readonly BibEntry[] = (bib && (await deps.bibEntries(bib))) || [];
      const range = new vscode.Range(doc.positionAt(ctx.prefixStart), position);
      const items = hits.map((hit, rank) => {
        const paper = hit.paper;
        const key = existingKeyFor(entries, paper) ?? paper.key;
        const item = new vscode.CompletionItem({ label: key, description: paper.title }, vscode.CompletionItemKind.Reference);
        item.detail = completionDetail(paper);
        item.documentation = trustedCard(paperHoverMarkdown(paper, { abstractLength: deps.abstractLength(), insertLink: false }));
        item.insertText = key;
        item.range = range;
        // Our ranking, not VS Code's fuzzy match on the label, decides the order and what shows.
        item.filterText = ctx.prefix;
        item.sortText = String(rank).padStart(4, '0');
        item.command = { title: 'Add BibTeX entry', command: Commands.ensureBibEntry, arguments: [doc.uri.toString(), paper.key] };
        return item;
      });
      return new vscode.CompletionList(items, true);
    },
  };
  return vscode.languages.registerCompletionItemProvider(DOCUMENT_SELECTOR, provider, '{', ',', '@');
}
