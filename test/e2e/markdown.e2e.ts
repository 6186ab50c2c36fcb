import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { hoverWord, openFile, screenshot, useWorkbench } from './workbench';

/** The sidebar pane with this title. */
function pane(page: Page, title: string) {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: title }) });
}

describe('Markdown with code, cross-references and handles in the browser', function () {
  this.timeout(120_000);
  const workbench = useWorkbench('md-');

  it('finds only the real citation: code blocks, labels, handles, e-mails and comments are not papers', async () => {
    const { page } = workbench();
    await page.locator('.activitybar .action-item a[aria-label^="Paperscope"]').click();
    await openFile(page, 'code-notes.md');
    const docView = pane(page, 'In This Document');
    // The real citation shows: the scan of this file is done and drawn.
    await docView.locator('.monaco-list-row', { hasText: 'Improving equilibrium propagation' }).waitFor({ timeout: 30_000 });
    const rows = await docView.locator('.monaco-list-row').allInnerTexts();
    assert.equal(rows.length, 1, rows.join(' | '));
    assert.match(rows[0], /^Improving equilibrium propagation without weight symmetry through Jacobian homeostasis/);
    await screenshot(page, 'markdown-code-notes');
  });

  it('shows a card over the real citation, none of which names the block, label or handle words', async () => {
    const { page } = workbench();
    const card = page.locator('.monaco-hover:not(.hidden)', { hasText: 'Laborieux' });
    await hoverWord(page, 'laborieux2023improving', card);
    const text = await card.innerText();
    assert.match(text, /Improving equilibrium propagation/);
    assert.doesNotMatch(text, /Unknown citation key/);
  });
});
