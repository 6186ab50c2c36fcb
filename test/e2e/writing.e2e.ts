import * as assert from 'node:assert/strict';
import { hoverWord, openFile, runCommand, screenshot, typeAtEndOfLine, useWorkbench } from './workbench';

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
});
