// Runs inside the Library overview webview. It turns clicks and keys into protocol
// messages (the host validates each), makes each chart one tab stop whose bars the
// arrow keys walk through, and draws a newer body from the host in place: the page is
// not reloaded when topics or citations arrive, so focus, scrolling and open tables stay.
import type { FromOverview, ToOverview } from '../protocol';

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

const barsOf = (chart: Element) => Array.from(chart.querySelectorAll<HTMLElement>('button'));

/** Roving focus: one bar of each chart is its tab stop (the first, or `stop`). */
function setTabStops(stop?: HTMLElement): void {
  for (const chart of Array.from(document.querySelectorAll('.chart'))) {
    const bars = barsOf(chart);
    const current = stop && bars.includes(stop) ? stop : bars[0];
    bars.forEach((b) => (b.tabIndex = b === current ? 0 : -1));
  }
}

// Arrows, Home and End move between the bars of the focused chart.
document.addEventListener('keydown', (event) => {
  const active = document.activeElement as HTMLElement | null;
  const chart = active?.closest('.chart');
  if (!active || !chart) {
    return;
  }
  const bars = barsOf(chart);
  const at = bars.indexOf(active);
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

/** Where an element is, by what stays across bodies: its section and its data or label. */
function addressOf(el: Element): string | undefined {
  const section = el.closest('section')?.getAttribute('aria-labelledby');
  const what = el instanceof HTMLElement ? (el.dataset.groups ?? el.dataset.key ?? el.textContent) : undefined;
  return section && what ? `${section}\n${el.tagName}\n${what}` : undefined;
}

function find(address: string | undefined, selector: string): HTMLElement | undefined {
  return address === undefined ? undefined : Array.from(document.querySelectorAll<HTMLElement>(selector)).find((el) => addressOf(el) === address);
}

let version = Number(document.querySelector<HTMLElement>('main')?.dataset.version ?? 0);

/** Draws a newer body in place of the shown one, keeping focus, scrolling and open tables. */
function draw(html: string): void {
  const main = document.querySelector('main');
  if (!main) {
    return;
  }
  const focused = document.activeElement && main.contains(document.activeElement) ? addressOf(document.activeElement) : undefined;
  const open = Array.from(main.querySelectorAll('details[open] summary')).map(addressOf);
  const scroll = { x: window.scrollX, y: window.scrollY };
  const next = document.createElement('template');
  next.innerHTML = html;
  main.replaceWith(next.content);
  for (const address of open) {
    find(address, 'details summary')?.parentElement?.setAttribute('open', '');
  }
  const stop = find(focused, '.chart button, summary');
  setTabStops(stop);
  stop?.focus({ preventScroll: true });
  window.scrollTo(scroll.x, scroll.y);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const m = event.data as Partial<ToOverview> | null;
  if (m?.type === 'body' && typeof m.html === 'string' && typeof m.version === 'number' && m.version > version) {
    version = m.version;
    draw(m.html);
  }
});

setTabStops();
// Loaded (or loaded again after being hidden): the host sends a newer body if it has one.
vscode.postMessage({ type: 'ready', version });
