import * as assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { EARLY_FROM_KEPT_INDEX, hoverWord, keptIndexes, openFile, reloadAndReadLog, runCommand, screenshot, typeAtEndOfLine, useWorkbench } from './workbench';

describe('writing a paper in the browser', function () {
  this.timeout(120_000);
  const workbench = useWorkbench();

  it('shows a hover card over a paper title in a .tex file', async () => {
    const { page } = workbench();
    await openFile(page, 'paper.tex');
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'Gradients without Backpropagation' });
    await hoverWord(page, 'Gradients', hover);
    const text = await hover.innerText();
    assert.match(text, /Baydin, Pearlmutter, Syme et al\. · 2022/);
    assert.match(text, /Open details · Insert citation · Copy BibTeX/);
    await screenshot(page, 'hover-title');
    await page.mouse.move(5, 400);
    await page.keyboard.press('Escape');
  });

  it('inserts \\cite{…} with "Paperscope: Insert Citation…" and adds the entry to references.bib', async () => {
    const { page } = workbench();
    await typeAtEndOfLine(page, 'paper.tex', 24, ' World models are studied in ');
    await runCommand(page, 'Paperscope: Insert Citation…');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Insert Citation' }).waitFor();
    await page.keyboard.type('conservative world models', { delay: 15 });
    const first = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
    await first.locator('.quick-input-list-label-meta', { hasText: 'Jeen, Bewley, Cullen' }).waitFor();
    await screenshot(page, 'insert-citation-picker');
    await page.keyboard.press('Enter');
    const line = page.locator('.editor-group-container.active .view-line', { hasText: 'World models are studied in' });
    await line.filter({ hasText: '\\cite{jeen2023conservative}' }).waitFor();
    await page.locator('.statusbar', { hasText: 'Cited jeen2023conservative' }).waitFor();
    await screenshot(page, 'insert-citation-done');

    await openFile(page, 'references.bib');
    await page.locator('.editor-group-container.active .view-line', { hasText: '@misc{jeen2023conservative,' }).waitFor();
    assert.equal(await page.locator('.editor-group-container.active .view-line', { hasText: 'jeen2023conservative' }).count(), 1);
    await screenshot(page, 'references-bib');
  });

  it('keeps the index with references.bib as saved: after a reload, search answers from it before the .bib files are read', async () => {
    const { page } = workbench();
    await openFile(page, 'references.bib');
    await runCommand(page, 'File: Save');
    await openFile(page, 'paper.tex');
    await runCommand(page, 'File: Save');
    const saved = statSync(join(process.env.PAPERSCOPE_E2E_FOLDER ?? '', 'references.bib')).mtimeMs;
    // The worker stores an index changed in a session once the changes have been quiet for ten seconds.
    for (const end = Date.now() + 60_000; !keptIndexes().some((k) => k.written >= saved); ) {
      assert.ok(Date.now() < end, 'no index was kept after references.bib changed');
      await page.waitForTimeout(250);
    }
    assert.match(await reloadAndReadLog(page), EARLY_FROM_KEPT_INDEX);
    await screenshot(page, 'kept-after-session-edit');
    await runCommand(page, 'View: Hide Panel');
  });
});
