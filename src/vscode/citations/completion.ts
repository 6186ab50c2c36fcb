import * as vscode from 'vscode';
import { Commands, DOCUMENT_SELECTOR } from '../../constants';
import { keyToCite } from '../../core/bib/edit';
import { citationContextAt } from '../../core/cite/citeContext';
import { completionDetail, paperHoverMarkdown } from '../../core/display/hoverCard';
import { documentKind } from '../documents';
import { trustedCard } from '../hover/hoverProvider';
import type { Library } from '../library';
import type { Bibliographies } from './bibliography';

const MAX_ITEMS = 50;

export interface CompletionDeps {
  readonly library: Library;
  readonly bibliographies: Bibliographies;
  readonly abstractLength: () => number;
  readonly extraCommands: () => ReadonlySet<string>;
}

/**
 * Citation keys inside `\cite{…}` and after `@` in Markdown, ranked by the index for
 * what was typed (a key's start, or words: `\cite{equilibrium prop`, `[@equilibrium prop`).
 * The key offered is the one the document's bibliography already has for the paper,
 * else the paper's own.
 */
export function registerCompletionProvider(deps: CompletionDeps): vscode.Disposable {
  const provider: vscode.CompletionItemProvider = {
    async provideCompletionItems(doc, position) {
      const kind = documentKind(doc);
      if (!kind) {
        return undefined;
      }
      const text = doc.getText();
      const offset = doc.offsetAt(position);
      const ctx = citationContextAt(text, offset, kind, deps.extraCommands());
      if (!ctx || (ctx.syntax === 'pandoc' && !ctx.afterAt)) {
        return undefined;
      }
      const hits = (await deps.library.search(ctx.prefix, { limit: MAX_ITEMS, lane: 'completion' })) ?? [];
      // A key typed in full comes first even when the words of other papers rank higher.
      const exact = ctx.prefix ? deps.library.index.byKey(ctx.prefix.trim()) : undefined;
      if (exact) {
        const at = hits.findIndex((h) => h.paper.id === exact.id);
        if (at !== 0) {
          if (at > 0) {
            hits.splice(at, 1);
          }
          hits.unshift({ paper: exact, score: Infinity, terms: [] });
        }
      }
      const entries = await deps.bibliographies.entriesFor(doc);
      const range = new vscode.Range(doc.positionAt(ctx.prefixStart), position);
      const items = hits.map((hit, rank) => {
        const paper = hit.paper;
        const key = (exact?.id === paper.id ? ctx.prefix.trim() : undefined) ?? keyToCite(entries, paper) ?? paper.key;
        const item = new vscode.CompletionItem({ label: key, description: paper.title }, vscode.CompletionItemKind.Reference);
        item.detail = completionDetail(paper);
        item.documentation = trustedCard(paperHoverMarkdown(paper, { abstractLength: deps.abstractLength(), insertLink: false }));
        item.insertText = key;
        item.range = range;
        // Our ranking, not VS Code's fuzzy match on the label, decides the order and what
        // shows; the typed words (spaces too) stay inside the item's range, so typing on
        // keeps the list open.
        item.filterText = ctx.prefix;
        item.sortText = String(rank).padStart(4, '0');
        item.command = { title: 'Add BibTeX entry', command: Commands.ensureBibEntry, arguments: [doc.uri.toString(), key] };
        return item;
      });
      return new vscode.CompletionList(items, true);
    },
  };
  return vscode.languages.registerCompletionItemProvider(DOCUMENT_SELECTOR, provider, '{', ',', '@', ' ');
}
