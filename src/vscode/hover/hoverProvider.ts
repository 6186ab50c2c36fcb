import * as vscode from 'vscode';
import { DOCUMENT_SELECTOR } from '../../constants';
import { keyAsQuery } from '../../core/cite/citationKey';
import { isSurelyCitation, mentionAt } from '../../core/detect/detect';
import { HOVER_COMMANDS, lookupMarkdown, paperHoverMarkdown, unknownKeyMarkdown } from '../../core/display/hoverCard';
import type { Paper } from '../../core/library/paper';
import { paperForMention } from '../../core/search/searchIndex';
import type { Library } from '../library';
import type { DocumentScanner } from '../scanner';

/** Markdown that may run only Paperscope's own commands, and shows data literally. */
export function trustedCard(markdown: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(markdown, false);
  md.isTrusted = { enabledCommands: Object.values(HOVER_COMMANDS) };
  md.supportHtml = false;
  return md;
}

export interface HoverDeps {
  /** Looks an identifier up online when the user asked for it on hover (setting); undefined otherwise. */
  readonly lookupOnHover?: (kind: 'arxiv' | 'doi', id: string, token: vscode.CancellationToken) => Promise<Paper | undefined>;
  readonly library: Library;
  readonly scanner: DocumentScanner;
  readonly titlesEnabled: () => boolean;
  readonly abstractLength: () => number;
}

/** Hover cards over citation keys, arXiv ids and paper titles. */
export function registerHoverProvider(deps: HoverDeps): vscode.Disposable {
  return vscode.languages.registerHoverProvider(DOCUMENT_SELECTOR, {
    async provideHover(doc, position, token) {
      const m = mentionAt(deps.scanner.scan(doc), doc.offsetAt(position));
      if (!m || (m.kind === 'title' && !deps.titlesEnabled())) {
        return undefined;
      }
      const range = new vscode.Range(doc.positionAt(m.start), doc.positionAt(m.end));
      const paper = paperForMention(deps.library.index, m);
      if (paper) {
        // Over a title in prose, "Insert citation" cites right after that mention, not at the cursor.
        const citeAt = m.kind === 'title' ? { uri: doc.uri.toString(), offset: m.end } : undefined;
        return new vscode.Hover(trustedCard(paperHoverMarkdown(paper, { abstractLength: deps.abstractLength(), citeAt })), range);
      }
      if (m.kind === 'citation' && isSurelyCitation(m)) {
        return new vscode.Hover(trustedCard(unknownKeyMarkdown(m.key, keyAsQuery(m.key))), range);
      }
      if (m.kind === 'arxiv' || m.kind === 'doi') {
        const found = await deps.lookupOnHover?.(m.kind, m.id, token).catch(() => undefined);
        if (found) {
          return new vscode.Hover(trustedCard(paperHoverMarkdown(found, { abstractLength: deps.abstractLength() })), range);
        }
        return new vscode.Hover(trustedCard(lookupMarkdown(m.kind, m.id)), range);
      }
      return undefined;
    },
  });
}
