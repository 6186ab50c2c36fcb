// Helpers for driving the VS Code workbench in the browser as a person would.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { launchBrowser, ROOT } from '../../scripts/codeServer';

export const SHOTS = join(ROOT, 'test-output', 'e2e');

export interface Workbench {
  readonly browser: Browser;
  readonly page: Page;
  /** Console errors and dialogs seen in the page, for tests that assert nothing ran. */
  readonly events: string[];
  close(): Promise<void>;
}

/** Opens the workbench served by the e2e runner and waits until it is usable. */
export async function openWorkbench(options: { theme?: 'dark' | 'light' } = {}): Promise<Workbench> {
  const url = process.env.PAPERSCOPE_E2E_URL;
  if (!url) {
    throw new Error('PAPERSCOPE_E2E_URL is not set: run the e2e tests through scripts/test.mjs e2e');
  }
  const browser = await launchBrowser();
  const context = await browser.newContext({
    viewport: { width: 1400, height: 860 },
    colorScheme: options.theme ?? 'dark',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  const page = await context.newPage();
  const events: string[] = [];
  page.on('dialog', async (d) => {
    events.push(`dialog: ${d.message()}`);
    await d.dismiss();
  });
  await page.goto(`${url}/?folder=${encodeURIComponent(process.env.PAPERSCOPE_E2E_FOLDER ?? '')}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.statusbar').waitFor({ timeout: 60_000 });
  // The explorer has settled once the workspace's files are listed.
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  return { browser, page, events, close: () => browser.close() };
}

/**
 * Runs a command by its title through the Command Palette (F1), as a user types it.
 * Retries while the palette does not list it yet: right after the workbench loads,
 * extension contributions may still be arriving from the extension host.
 */
export async function runCommand(page: Page, title: string, attempts = 6): Promise<void> {
  const input = page.locator('.quick-input-widget input.input');
  // The row whose label is exactly the title (others may contain it: "… Color Themes …").
  const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact }) })
    .first();
  for (let attempt = 1; ; attempt++) {
    // A focused webview keeps F1 to itself: give the keyboard back to the workbench first.
    if (await page.evaluate(() => document.activeElement?.tagName === 'IFRAME')) {
      await page.locator('.statusbar').click({ position: { x: 600, y: 10 } });
    }
    try {
      // The palette closes when it loses focus (a webview that has just loaded may take
      // it) between opening and typing: that too is a reason to open it again.
      await page.keyboard.press('F1');
      await input.waitFor({ timeout: 10_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
      await row.waitFor({ timeout: 10_000 });
      await row.click();
      return;
    } catch (err) {
      if (attempt >= attempts) {
        throw err;
      }
      await page.keyboard.press('Escape');
    }
  }
}

/** The sidebar pane with this title. */
export function pane(page: Page, title: string): Locator {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: title }) });
}

/**
 * Scrolls a list with the mouse wheel, as a person does, until the row lies wholly inside
 * the list's visible area. VS Code's lists scroll themselves (no native scrolling), so a
 * row rendered just below the fold is in the DOM but clipped: a click there lands on
 * whatever covers it.
 */
export async function scrollToRow(page: Page, list: Locator, row: Locator, attempts = 10): Promise<void> {
  const viewport = list.locator('.monaco-list').first();
  for (let attempt = 0; attempt < attempts; attempt++) {
    const [view, box] = [await viewport.boundingBox(), await row.boundingBox()];
    if (!view || !box) {
      throw new Error('the list or the row is not shown');
    }
    const below = box.y + box.height - (view.y + view.height);
    const above = view.y - box.y;
    if (below <= 0 && above <= 0) {
      return;
    }
    await page.mouse.move(view.x + view.width / 2, view.y + view.height / 2);
    await page.mouse.wheel(0, below > 0 ? below + box.height : -(above + box.height));
    await page.waitForTimeout(100); // the list renders the rows it scrolled to on the next frame
  }
  throw new Error('could not scroll the row into view');
}

/** Switches the colour theme through the Command Palette and waits until the workbench wears it. */
export async function setTheme(page: Page, name: string, bodyClass: string, attempts = 4): Promise<void> {
  // Right after the workbench loads the theme list may still be empty: ask again.
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, 'Preferences: Color Theme');
    await page.keyboard.type(name);
    try {
      await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 10_000 });
      break;
    } catch (err) {
      if (attempt >= attempts) {
        throw err;
      }
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
  await page.waitForFunction((cls) => document.querySelector('.monaco-workbench')?.classList.contains(cls), bodyClass);
}

/** The content frame of the active webview (VS Code nests it in two iframes). */
export function activeWebview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const file = join(SHOTS, `${name}.png`);
  // Finite animations run to their end first: a hover card fading in was caught half-transparent.
  await page.screenshot({ path: file, animations: 'disabled' });
  return file;
}

/** Opens a file, goes to the end of a line and types there, as a writer adding a sentence. */
export async function typeAtEndOfLine(page: Page, file: string, line: number, text: string): Promise<void> {
  await openFile(page, file);
  await goToLine(page, line);
  await page.keyboard.press('End');
  await page.keyboard.type(text);
}

/** Opens a workspace file by name through Quick Open (Ctrl+P), as a user would. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor();
  await input.fill(name);
  // The first row, not any: until the filter applies, the recently opened files are listed.
  await page.locator('.quick-input-list .monaco-list-row').first().filter({ hasText: name }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

/** Moves the cursor to a 1-based line (and column) through Quick Open's `:line` (Ctrl+P). */
export async function goToLine(page: Page, line: number, column?: number): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor();
  await input.fill(column ? `:${line}:${column}` : `:${line}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: `line ${line}` }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.statusbar', { hasText: `Ln ${line},` }).waitFor();
}

/**
 * Hovers the mouse over the first occurrence of a word rendered in the active editor
 * until `shows` is visible. The first hover may come before the extension has
 * activated for the file; a person would move the mouse again, and so does this.
 */
export async function hoverWord(page: Page, word: string, shows: Locator, attempts = 5): Promise<void> {
  const box = await page.evaluate((w) => {
    // The word may span several token spans of a line: look in the line's whole text.
    const lines = document.querySelectorAll('.editor-group-container.active .monaco-editor .view-lines .view-line');
    for (const line of Array.from(lines)) {
      const nodes: Text[] = [];
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        nodes.push(node as Text);
      }
      const text = nodes.map((n) => n.data).join('').replace(/\u00a0/g, ' ');
      const at = text.indexOf(w);
      if (at < 0) {
        continue;
      }
      // The text node and offset of the word's middle character.
      let rest = at + Math.floor(w.length / 2);
      for (const node of nodes) {
        if (rest < node.data.length) {
          const range = document.createRange();
          range.setStart(node, rest);
          range.setEnd(node, rest + 1);
          const r = range.getBoundingClientRect();
          return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
        }
        rest -= node.data.length;
      }
    }
    return undefined;
  }, word);
  if (!box) {
    throw new Error(`"${word}" is not rendered in the active editor`);
  }
  for (let attempt = 1; ; attempt++) {
    await page.mouse.move(box.x - 40, box.y + 60);
    await page.mouse.move(box.x, box.y, { steps: 5 });
    try {
      await shows.waitFor({ timeout: 5000 });
      return;
    } catch (err) {
      if (attempt >= attempts) {
        throw err;
      }
    }
  }
}

/**
 * Opens a workbench for the enclosing mocha suite and closes it after; a failed test
 * leaves a screenshot named after it. Returns a getter for the workbench.
 */
export function useWorkbench(prefix = '', onOpen?: (wb: Workbench) => void, beforeClose?: (wb: Workbench) => Promise<void>): () => Workbench {
  let wb: Workbench | undefined;
  before(async () => {
    wb = await openWorkbench();
    onOpen?.(wb);
  });
  afterEach(async function () {
    if (wb && this.currentTest?.state === 'failed') {
      await screenshot(wb.page, `failed-${prefix}${this.currentTest.title.replace(/\W+/g, '-')}`);
    }
  });
  after(async () => {
    if (wb && beforeClose) {
      await beforeClose(wb);
    }
    await wb?.close();
  });
  return () => {
    if (!wb) {
      throw new Error('the workbench is not open yet');
    }
    return wb;
  };
}

/** "Developer: Reload Window", as a person does it (the window saves its state first); resolves once the workbench is back. */
export async function reloadWindow(page: Page): Promise<void> {
  const reloaded = page.waitForEvent('load', { timeout: 60_000 });
  await runCommand(page, 'Developer: Reload Window');
  await reloaded;
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
}

/**
 * Reloads the window, opens paper.tex (Paperscope starts with a LaTeX document), waits
 * for the status bar's count when given and for the log's first word on the libraries,
 * and returns the new session's log as one line. The log stays shown.
 */
export async function reloadAndReadLog(page: Page, count?: RegExp): Promise<string> {
  await reloadWindow(page);
  await openFile(page, 'paper.tex');
  if (count) {
    await page.locator('.statusbar-item', { hasText: count }).waitFor({ timeout: 60_000 });
  }
  const log = page.locator('.part.panel .view-lines');
  // Asked again when the log does not show: in a full run, once in CI, a window just
  // reloaded took the palette's click and showed nothing (the log had the lines).
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, 'Paperscope: Show Log');
    try {
      await log.locator('.view-line', { hasText: 'Your libraries:' }).first().waitFor({ timeout: 15_000 });
      break;
    } catch (err) {
      if (attempt >= 3) {
        throw err;
      }
    }
  }
  return (await log.innerText()).replace(/\s+/g, ' ');
}

/** The log's line when a start's searches came from the index kept at the last start (as it was, or brought up to date). */
export const FROM_KEPT_INDEX = /Your libraries: \d+ papers searchable from the index kept at the last start(, re-indexing only what changed since)? in \d+ ms/;

/** The search index files Paperscope's worker keeps (in its global storage), with when each was written (ms since the epoch). */
export function keptIndexes(): { file: string; written: number }[] {
  const root = join(process.env.PAPERSCOPE_E2E_USER_DATA ?? '', 'User', 'globalStorage', 'paperscope.paperscope', 'index-cache');
  if (!existsSync(root)) {
    return [];
  }
  return readdirSync(root).flatMap((workspace) =>
    readdirSync(join(root, workspace))
      .filter((f) => /^index-[0-9a-f]{64}\.bin$/.test(f))
      .map((f) => ({ file: f, written: statSync(join(root, workspace, f)).mtimeMs })),
  );
}

/** The log's line when a start's searches came from the kept index before the .bib files were read. */
export const EARLY_FROM_KEPT_INDEX = /Your libraries: searchable from the index kept at the last start \d+ ms after activation \(the \.bib files named after \d+ ms\)/;
