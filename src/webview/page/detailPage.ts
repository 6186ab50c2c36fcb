// Runs inside the detail webview. It only turns clicks into protocol messages;
// the host validates each one before acting.
import DOMPurify from 'dompurify';
import type { DetailPanelState, FromWebview } from '../protocol';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  setState(state: DetailPanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

// The abstract arrives inert in a <template>; only what DOMPurify keeps is shown.
const template = document.getElementById('abstract-html') as HTMLTemplateElement | null;
const abstractBox = document.querySelector<HTMLElement>('.abstract');
if (template && abstractBox) {
  const clean = DOMPurify.sanitize(template.innerHTML, {
    ALLOWED_TAGS: ['p', 'em', 'strong', 'a', 'code', 'pre', 'ul', 'ol', 'li', 'blockquote', 'br', 'hr', 'del', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
    ALLOWED_ATTR: ['href', 'title'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
    RETURN_DOM_FRAGMENT: true,
  });
  abstractBox.replaceChildren(clean);
  template.remove();
}
const main = document.querySelector<HTMLElement>('main.paper');
if (main?.dataset.key) {
  vscode.setState({ key: main.dataset.key });
}

// Alt+Left / Alt+Right, as in a browser.
document.addEventListener('keydown', (event) => {
  if (event.altKey && (event.key === 'ArrowLeft' || event.key === 'ArrowRight')) {
    event.preventDefault();
    vscode.postMessage({ type: event.key === 'ArrowLeft' ? 'back' : 'forward' });
  }
});

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const el = target?.closest<HTMLElement>('[data-action], a[href]');
  if (!el) {
    return;
  }
  event.preventDefault();
  if (el instanceof HTMLAnchorElement) {
    // Links never navigate the webview; the host decides whether to open them.
    vscode.postMessage({ type: 'openExternal', url: el.href });
    return;
  }
  const { action, key, url } = el.dataset;
  if ((action === 'openPaper' || action === 'copyBibtex' || action === 'insertCitation' || action === 'goToEntry' || action === 'addToBibliography') && key) {
    vscode.postMessage({ type: action, key });
    if (action === 'copyBibtex') {
      const label = el.textContent;
      el.textContent = 'Copied';
      setTimeout(() => (el.textContent = label), 1500);
    }
  } else if (action === 'openExternal' && url) {
    vscode.postMessage({ type: 'openExternal', url });
  } else if (action === 'back' || action === 'forward') {
    vscode.postMessage({ type: action });
  }
});
