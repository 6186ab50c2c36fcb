import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { activeWebview, EARLY_FROM_KEPT_INDEX, FROM_KEPT_INDEX, hoverWord, openFile, pane, reloadAndReadLog, runCommand, screenshot, typeAtEndOfLine, useWorkbench } from './workbench';

/**
 * The writes of the index worker's kept entries in IndexedDB (one a workspace), in the
 * origin of the frame that runs the extension host (its worker's blob: URL is that
 * frame's). Looked at without opening the database where it is not yet made.
 */
async function keptWrites(page: Page): Promise<string[]> {
  const host = page.frames().find((f) => /webWorkerExtensionHostIframe/.test(f.url()));
  return (
    (await host?.evaluate(async () => {
      if (!(await indexedDB.databases()).some((d) => d.name === 'paperscope-index')) {
        return [];
      }
      return new Promise<string[]>((resolve) => {
        const open = indexedDB.open('paperscope-index');
        open.onsuccess = () => {
          const all = open.result.transaction('manifests').objectStore('manifests').getAll();
          all.onsuccess = () => (resolve((all.result as { write: string }[]).map((m) => m.write)), open.result.close());
          all.onerror = () => (resolve([]), open.result.close());
        };
        open.onerror = () => resolve([]);
      });
    })) ?? []
  );
}

// This file runs in its own code-server session whose user settings put Paperscope in
// the browser's web-worker extension host (remote.extensionKind: web): the web build,
// reading the workspace through workspace.fs only.
describe('Paperscope in the browser’s web-worker extension host', function () {
  this.timeout(180_000);
  const workbench = useWorkbench('web-');

  it('runs in the web worker, as its own log says, with the demo library counted', async () => {
    const { page } = workbench();
    await openFile(page, 'paper.tex');
    await runCommand(page, 'Paperscope: Show Log');
    const line = page.locator('.part.panel .view-line', { hasText: 'runs in the browser (web worker) extension host' });
    await line.waitFor({ timeout: 60_000 });
    // Lines wrap in the output view: read the whole log.
    assert.match((await page.locator('.part.panel .view-lines').innerText()).replace(/\s+/g, ' '), /bundled library of 119 papers.*search index in a Web Worker/);
    // The demo's .bib files were read through workspace.fs: 119 bundled + 2 of mylib.bib.
    await page.locator('.statusbar-item', { hasText: /\b121 papers/ }).waitFor({ timeout: 60_000 });
    await screenshot(page, 'web-log');
    await runCommand(page, 'View: Hide Panel');
  });

  it('shows a hover card over a paper title', async () => {
    const { page } = workbench();
    await openFile(page, 'paper.tex');
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'Gradients without Backpropagation' });
    await hoverWord(page, 'Gradients', hover);
    assert.match(await hover.innerText(), /Baydin, Pearlmutter, Syme et al\. · 2022/);
    await page.mouse.move(5, 400);
    await page.keyboard.press('Escape');
  });

  it('completes a citation from words, and marks keys the bibliography lacks', async () => {
    const { page } = workbench();
    await openFile(page, 'paper.tex');
    // fournier2023forward and launay2019principled are in the library but not in references.bib.
    await page.locator('.editor-group-container.active .view-lines').first().click();
    await page.keyboard.press('Control+Shift+M'); // the Problems panel
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'fournier2023forward' }).first().waitFor({ timeout: 30_000 });
    await runCommand(page, 'View: Hide Panel');
    // Completion in the Markdown notes (paper.tex stays as it is for the citation below).
    await openFile(page, 'notes.md');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n\nSee [@gradients without', { delay: 20 });
    const row = page.locator('.suggest-widget .monaco-list-row', { hasText: 'baydin2022gradients' });
    await row.first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'web-completion');
    await page.keyboard.press('Escape');
  });

  it('shows the library in the sidebar', async () => {
    const { page } = workbench();
    await page.locator('.activitybar .action-item a[aria-label^="Paperscope"]').click();
    const library = pane(page, 'Library');
    await library.locator('.monaco-list-row', { hasText: /^2023\s*\d+$/ }).waitFor({ timeout: 30_000 });
    await library.locator('.pane-header', { hasText: '121 papers' }).waitFor();
  });

  it('keeps its index in the browser (IndexedDB): after a window reload the kept index answers', async () => {
    const { page } = workbench();
    // Before the citation below changes references.bib (the test after it reloads with
    // the index the session left). The index worker stores a start's index a second after
    // it is made.
    for (const end = Date.now() + 60_000; (await keptWrites(page)).length < 1; ) {
      assert.ok(Date.now() < end, 'the index worker kept no index in IndexedDB');
      await page.waitForTimeout(250);
    }
    // The notes the completion test typed go first: with them unsaved, this suite's
    // reload did not happen within a minute in three runs out of four, for a reason not
    // found (a reload with an unsaved Markdown editor alone happens: out/tmp/dirtyreload.ts).
    await openFile(page, 'notes.md');
    await runCommand(page, 'File: Revert File');
    const text = await reloadAndReadLog(page, /\b121 papers/);
    assert.match(text, FROM_KEPT_INDEX);
    // And before the .bib files were read: named by their size and modification time.
    assert.match(text, EARLY_FROM_KEPT_INDEX);
    await screenshot(page, 'web-kept-index');
    await runCommand(page, 'View: Hide Panel');
  });

  /** The kept entries' writes before the citation changes references.bib. */
  let beforeCitation: string[] = [];

  it('searches, opens the detail pane and cites from it: \\cite{…} in paper.tex, the entry in references.bib', async () => {
    const { page } = workbench();
    beforeCitation = await keptWrites(page);
    await typeAtEndOfLine(page, 'paper.tex', 24, ' World models are studied in ');
    await runCommand(page, 'Paperscope: Search Papers…');
    const widget = page.locator('.quick-input-widget');
    await widget.locator('.quick-input-title', { hasText: /^Search Papers — [\d,]+ papers/ }).waitFor();
    await page.keyboard.type('conservative world models', { delay: 15 });
    await widget.locator('.quick-input-list .monaco-list-row').first().locator('.quick-input-list-label-meta', { hasText: 'Jeen, Bewley, Cullen' }).waitFor();
    await page.keyboard.press('Enter');
    const view = activeWebview(page);
    await view.locator('h1', { hasText: 'Conservative World Models' }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'web-detail-pane');
    await view.locator('button[data-action="insertCitation"]').first().click();
    await page.locator('.statusbar', { hasText: 'Cited jeen2023conservative' }).waitFor({ timeout: 30_000 });
    await openFile(page, 'paper.tex');
    await page.locator('.editor-group-container.active .view-line', { hasText: 'World models are studied in' }).filter({ hasText: '\\cite{jeen2023conservative}' }).waitFor();
    await openFile(page, 'references.bib');
    await page.locator('.editor-group-container.active .view-line', { hasText: '@misc{jeen2023conservative,' }).waitFor();
    await screenshot(page, 'web-references-bib');
  });

  it('keeps its index as the session left it: after the citation changed references.bib, a reload answers from it before the .bib files are read', async () => {
    const { page } = workbench();
    for (const file of ['references.bib', 'paper.tex']) {
      await openFile(page, file);
      await runCommand(page, 'File: Save');
    }
    // Stored ten seconds after the last change, named by the files' new size and time.
    for (const end = Date.now() + 60_000; (await keptWrites(page)).every((w) => beforeCitation.includes(w)); ) {
      assert.ok(Date.now() < end, 'no index was kept in IndexedDB after references.bib changed');
      await page.waitForTimeout(250);
    }
    assert.match(await reloadAndReadLog(page, /\b121 papers/), EARLY_FROM_KEPT_INDEX);
    await screenshot(page, 'web-kept-after-session-edit');
    await runCommand(page, 'View: Hide Panel');
  });

  it('says plainly, once, which services a browser cannot reach when the user searches online', async () => {
    const { page } = workbench();
    await runCommand(page, 'Paperscope: Search Papers…');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: /^Search Papers/ }).waitFor();
    await page.keyboard.type('conservative world models', { delay: 15 });
    await page.keyboard.press('Control+Alt+O');
    const toast = page.locator('.notification-toast', { hasText: 'in the browser arXiv (it sends no CORS header) and Zotero' });
    await toast.waitFor({ timeout: 30_000 });
    await screenshot(page, 'web-online-notice');
    await page.keyboard.press('Escape');
  });

  it('draws the Library overview', async () => {
    const { page } = workbench();
    // Paperscope starts with a LaTeX or Markdown document, and the workspace's .bib files
    // are read (this test may run alone, with no test before it opening one or waiting).
    await openFile(page, 'paper.tex');
    await page.locator('.statusbar-item', { hasText: /\b121 papers/ }).waitFor({ timeout: 60_000 });
    await runCommand(page, 'Paperscope: Show Library Overview');
    const view = activeWebview(page);
    await view.locator('h1', { hasText: 'Library overview' }).waitFor({ timeout: 30_000 });
    await view.locator('#h-topics ~ .chart button').first().waitFor({ timeout: 60_000 });
    assert.match(await view.locator('header p').innerText(), /^121 papers/);
    await screenshot(page, 'web-overview');
  });

  it('answered every search above from its Web Worker, and this one: the log has no fallback to the extension host', async () => {
    const { page } = workbench();
    // A search now, well after start-up: a worker that never said it runs is given up by then (READY_WITHIN_MS).
    await runCommand(page, 'Paperscope: Search Papers…');
    await page.keyboard.type('equilibrium propagation', { delay: 15 });
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first().filter({ hasText: /equilibrium/i }).waitFor();
    await page.keyboard.press('Escape');
    await runCommand(page, 'Paperscope: Show Log');
    const log = page.locator('.part.panel .view-lines');
    await log.locator('.view-line', { hasText: 'search index in a Web Worker' }).waitFor({ timeout: 30_000 });
    const text = (await log.innerText()).replace(/\s+/g, ' ');
    assert.doesNotMatch(text, /worker (failed|did not start)|searching in the extension host/);
    await runCommand(page, 'View: Hide Panel');
  });
});
