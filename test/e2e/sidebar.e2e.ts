import * as assert from 'node:assert/strict';
import { activeWebview, openFile, pane, screenshot, scrollToRow, setTheme, useWorkbench } from './workbench';

describe('the Paperscope sidebar in the browser', function () {
  this.timeout(120_000);
  const workbench = useWorkbench();

  it('opens from the activity bar with the library grouped by year', async () => {
    const { page } = workbench();
    await page.locator('.activitybar .action-item a[aria-label^="Paperscope"]').click();
    const library = pane(page, 'Library');
    await library.locator('.monaco-list-row', { hasText: '2026' }).waitFor();
    const rows = await library.locator('.monaco-list-row').allInnerTexts();
    assert.match(rows[0], /^2026\s*1$/);
    assert.match(rows[1], /^2025\s*10$/);
  });

  it('groups by venue from the title bar, expands a group and opens a paper', async () => {
    const { page } = workbench();
    const library = pane(page, 'Library');
    await library.locator('.pane-header').hover();
    await library.locator('.pane-header .action-label[aria-label="Group Library By…"]').click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Venue' }).click();
    const iclr = library.locator('.monaco-list-row', { hasText: /^ICLR\s*23$/ });
    await iclr.waitFor();
    await iclr.click();
    const paper = library.locator('.monaco-list-row', { hasText: 'Improving equilibrium propagation' });
    await paper.waitFor();
    assert.match(await paper.innerText(), /Laborieux & Zenke · 2023/);
    await scrollToRow(page, library, paper);
    await screenshot(page, 'sidebar-library');
    await paper.click();
    await activeWebview(page).locator('h1', { hasText: 'Improving equilibrium propagation' }).waitFor({ timeout: 30_000 });
  });

  it('fills "In This Document" for the open .tex', async () => {
    const { page } = workbench();
    await openFile(page, 'paper.tex');
    const docView = pane(page, 'In This Document');
    await docView.locator('.monaco-list-row', { hasText: 'Improving equilibrium propagation' }).waitFor({ timeout: 30_000 });
    const rows = await docView.locator('.monaco-list-row').allInnerTexts();
    assert.match(rows[0], /Improving equilibrium propagation[\s\S]*2×/);
    assert.match(rows[1], /Gradients without Backpropagation[\s\S]*2×/);
    await screenshot(page, 'sidebar-document');
  });

  it('looks native in a dark theme too', async () => {
    const { page } = workbench();
    await setTheme(page, 'Dark Modern', 'vs-dark');
    await pane(page, 'In This Document').locator('.monaco-list-row').first().waitFor();
    await screenshot(page, 'sidebar-dark');
  });
});
