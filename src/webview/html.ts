import { escapeHtml } from '../core/display/html';
import { hex } from '../core/text/digest';

/** A fresh 128-bit nonce from the platform's CSPRNG (Node 20 and browsers both have Web Crypto). */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return hex(bytes);
}

/** What every webview page needs: its CSP source, assets and body. */
export interface WebviewPage {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  readonly title: string;
  /** Trusted HTML built from escaped values. */
  readonly body: string;
  readonly scriptUris: readonly string[];
  readonly styleUris: readonly string[];
  readonly nonce?: string;
}

/** Builds a page whose CSP allows nothing but our own styles and nonce-bearing scripts. */
export function buildWebviewHtml(page: WebviewPage): string {
  const nonce = page.nonce ?? createNonce();
  const csp = [
    "default-src 'none'",
    `style-src ${page.cspSource}`,
    `img-src ${page.cspSource}`,
    `font-src ${page.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  const styles = page.styleUris.map((u) => `<link rel="stylesheet" href="${escapeHtml(u)}">`).join('\n');
  const scripts = page.scriptUris
    .map((u) => `<script nonce="${nonce}" src="${escapeHtml(u)}"></script>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
<title>${escapeHtml(page.title)}</title>
</head>
<body>
${page.body}
${scripts}
</body>
</html>`;
}
