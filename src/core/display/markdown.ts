import { Marked, type Tokens } from 'marked';
import { escapeHtml, safeExternalUrl } from './html';

/** Longest text rendered as Markdown; longer text is cut (and says so) before parsing. */
export const MAX_MARKDOWN_CHARS = 20_000;

/**
 * marked does not sanitise: raw HTML, `javascript:` links and remote images all pass
 * through. This instance renders only what Markdown itself produces: raw HTML is shown
 * as text, links keep only http(s)/mailto targets, images become their alt text.
 */
const safeMarked = new Marked({
  async: false,
  gfm: true,
  breaks: false,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(text);
    },
    link({ href, title, tokens }: Tokens.Link): string {
      const inner = this.parser.parseInline(tokens);
      const safe = safeExternalUrl(href);
      if (!safe) {
        return inner;
      }
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(safe)}"${titleAttr}>${inner}</a>`;
    },
    image({ text }: Tokens.Image): string {
      return escapeHtml(text);
    },
  },
});

/** Renders untrusted Markdown to HTML that carries no script, handler, remote image or unsafe link. */
export function renderSafeMarkdown(markdown: string, maxChars = MAX_MARKDOWN_CHARS): string {
  let source = markdown;
  let note = '';
  if (source.length > maxChars) {
    source = source.slice(0, maxChars);
    note = `<p class="truncated">(Shortened: the text is longer than ${maxChars.toLocaleString('en-US')} characters.)</p>`;
  }
  try {
    return (safeMarked.parse(source) as string) + note;
  } catch {
    return `<p>${escapeHtml(source)}</p>${note}`;
  }
}
