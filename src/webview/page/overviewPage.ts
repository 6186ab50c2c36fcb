// Runs inside the Library overview webview. It turns clicks and keys into protocol
// messages (the host validates each) and makes each chart one tab stop whose bars the
// arrow keys walk through.
import type { FromOverview } from '../protocol';

interface VsCodeApi {
  postMessage(message: FromOverview): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

function send(el: HTMLElement): void {
  const { action, groups, label, key } = el.dataset;
  if (action === 'filterLibrary' && groups && label) {
    try {
      const parsed: unknown = JSON.parse(groups);
      if (Array.isArray(parsed) && parsed.every((g) => typeof g === 'string')) {
        vscode.postMessage({ type: 'filterLibrary', groups: parsed as string[], label });
      }
    } catch {
      // not ours: nothing to send
    }
  } else if (action === 'openPaper' && key) {
    vscode.postMessage({ type: 'openPaper', key });
  }
}

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const el = target?.closest<HTMLElement>('[data-action]');
  if (el) {
    event.preventDefault();
    send(el);
  }
});

// Roving focus: the first bar of each chart is its tab stop; arrows, Home and End move.
for (const chart of Array.from(document.querySelectorAll<HTMLElement>('.chart'))) {
  const bars = Array.from(chart.querySelectorAll<HTMLElement>('button'));
  bars.forEach((b, i) => (b.tabIndex = i === 0 ? 0 : -1));
  chart.addEventListener('keydown', (event) => {
    const at = bars.indexOf(document.activeElement as HTMLElement);
    if (at < 0) {
      return;
    }
    const next =
      event.key === 'ArrowRight' || event.key === 'ArrowDown'
        ? Math.min(bars.length - 1, at + 1)
        : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
          ? Math.max(0, at - 1)
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? bars.length - 1
              : -1;
    if (next >= 0) {
      event.preventDefault();
      bars[at].tabIndex = -1;
      bars[next].tabIndex = 0;
      bars[next].focus();
    }
  });
}
