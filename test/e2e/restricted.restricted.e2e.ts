import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { goToLine, hoverWord, openFile, runCommand, screenshot, useWorkbench } from './workbench';

describe('Restricted Mode (an untrusted workspace) in the browser', function () {
  this.timeout(120_000);
  const workbench = useWorkbench('restricted-');

  it('runs in Restricted Mode', async () => {
    await workbench().page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ timeout: 30_000 });
  });

  it('still searches and shows hover cards', async () => {
    const { page } = workbench();
    await openFile(page, 'paper.tex');
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'Gradients without Backpropagation' });
    await hoverWord(page, 'Gradients', hover);
    await screenshot(page, 'restricted-hover');
    await page.mouse.move(5, 400);
    await runCommand(page, 'Paperscope: Search Papers…');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Search Papers' }).waitFor();
    await page.keyboard.type('equilibrium propagation', { delay: 10 });
    const first = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
    await first.locator('.quick-input-list-label-meta', { hasText: 'Laborieux, Zenke' }).waitFor();
    await page.keyboard.press('Escape');
  });

  it('ignores the workspace’s setting that would send citations outside it: asks instead, writes nothing there', async () => {
    const { page } = workbench();
    await openFile(page, 'untrusted-note.md');
    await goToLine(page, 3);
    await page.keyboard.press('End');
    await runCommand(page, 'Paperscope: Insert Citation…');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Insert Citation' }).waitFor();
    await page.keyboard.type('conservative world models', { delay: 10 });
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row .quick-input-list-label-meta', { hasText: 'Jeen' }).first().waitFor();
    await page.keyboard.press('Enter');
    // The workspace's paperscope.bibliography.file is not the user's: Paperscope asks where entries go.
    const question = page.locator('.quick-input-widget .quick-input-title', { hasText: 'names no bibliography file' });
    await question.waitFor();
    await screenshot(page, 'restricted-asks');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Cite only' }).click();
    await page.locator('.editor-group-container.active .view-line', { hasText: 'Cite here: [@jeen2023conservative]' }).waitFor();
    const outside = join(process.env.PAPERSCOPE_E2E_FOLDER ?? '', '..', 'outside-the-workspace.bib');
    assert.equal(existsSync(outside), false, 'nothing written outside the workspace');
  });

  it('still shows the sidebar', async () => {
    const { page } = workbench();
    await page.locator('.activitybar .action-item a[aria-label^="Paperscope"]').click();
    const library = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Library' }) });
    const rows = await library.locator('.monaco-list-row').first().waitFor().then(() => library.locator('.monaco-list-row').count());
    assert.ok(rows > 3);
    await screenshot(page, 'restricted-sidebar');
  });
});
