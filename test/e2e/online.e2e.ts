import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { goToLine, openFile, runCommand, screenshot, typeAtEndOfLine, useWorkbench } from './workbench';

/**
 * Every row of the open quick pick (label and detail line), read as a person scrolls:
 * the list only renders the rows in view.
 */
async function listRows(page: Page): Promise<{ label: string; detail: string }[]> {
  const rows = new Map<number, { label: string; detail: string }>();
  for (let i = 0; i < 40; i++) {
    const seen = await page.evaluate(() =>
      // The widget keeps the lists of earlier pickers (the Command Palette's) hidden beside it.
      Array.from(document.querySelectorAll<HTMLElement>('.quick-input-widget .quick-input-list .monaco-list-row'))
        .filter((row) => row.offsetParent !== null)
        .map((row) => ({
        index: Number(row.getAttribute('data-index')),
        last: row.getAttribute('data-last-element') === 'true',
        detail: (row.querySelector('.quick-input-list-label-meta .label-name')?.textContent ?? '').replace(/\u200b/g, ''),
        label: (row.querySelector('.quick-input-list-label .label-name')?.textContent ?? '').replace(/\u200b/g, ''),
      })),
    );
    seen.forEach((r) => rows.set(r.index, { label: r.label, detail: r.detail }));
    if (seen.some((r) => r.last)) {
      break;
    }
    await page.keyboard.press('PageDown');
  }
  await page.keyboard.press('Home');
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
}

// The services answer from the loopback fixture server the e2e runner starts (their
// recorded answers): the flow is the real one, the internet is not involved.
describe('searching online and citing what it finds, in the browser', function () {
  this.timeout(180_000);
  const workbench = useWorkbench('online-');
  let key = '';

  it('offers to search online, searches on Ctrl+Alt+O, and lists the results by service', async () => {
    const { page } = workbench();
    await runCommand(page, 'Paperscope: Search Papers…');
    const widget = page.locator('.quick-input-widget');
    await widget.locator('.quick-input-title', { hasText: /^Search Papers/ }).waitFor();
    await page.keyboard.type('testing', { delay: 20 });
    const rows = widget.locator('.quick-input-list .monaco-list-row');
    // The offer, which sends nothing by itself.
    await rows.filter({ hasText: 'nothing is sent until you choose this' }).waitFor();
    await page.keyboard.press('Control+Alt+O');
    await rows.filter({ has: page.locator('.quick-input-list-label-meta', { hasText: /^arXiv · / }) }).first().waitFor({ timeout: 30_000 });
    // Every service has answered (or said why not) once the progress bar stops.
    await page.waitForFunction(() => !document.querySelector('.quick-input-widget .monaco-progress-container.active'), undefined, { timeout: 30_000 });
    // And the title no longer says a service is still searching (CI once read it while
    // DBLP's answer was on its way, the progress bar already stopped).
    await page.waitForFunction(() => !/searching…/.test(document.querySelector('.quick-input-widget .quick-input-title')?.textContent ?? ''), undefined, { timeout: 30_000 });
    await page.mouse.move(1200, 700); // no tooltip over the list in the picture
    await screenshot(page, 'online-search-results');
    // VS Code hides separators while typed words filter the list: the title says where
    // each service stands, and each result names its service.
    const title = (await widget.locator('.quick-input-title').innerText()).replace(/\u200b/g, '');
    assert.match(title, /online: arXiv 10 · Crossref 2 · DBLP failed$/);
    const listed = await listRows(page);
    assert.ok(listed.some((r) => /DBLP: answered with a web page/.test(r.label)), 'a service that failed says so, by name');
    assert.ok(listed.filter((r) => r.detail.startsWith('arXiv · ')).length >= 5);
    assert.ok(listed.some((r) => r.detail.startsWith('Crossref · ')));
    await page.keyboard.press('Escape');
  });

  it('cites an arXiv result from Insert Citation: \\cite in the paper, a clean entry in references.bib', async () => {
    const { page } = workbench();
    await typeAtEndOfLine(page, 'paper.tex', 24, ' Testing has its own literature ');
    await runCommand(page, 'Paperscope: Insert Citation…');
    const widget = page.locator('.quick-input-widget');
    await widget.locator('.quick-input-title', { hasText: 'Insert Citation' }).waitFor();
    await page.keyboard.type('testing', { delay: 20 });
    await page.keyboard.press('Control+Alt+O');
    // Each online result names its service on its detail line.
    const first = widget.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.quick-input-list-label-meta', { hasText: /^arXiv · / }) }).first();
    await first.waitFor({ timeout: 30_000 });
    await first.locator('.monaco-checkbox').first().click();
    // Enter once the picker counts the tick, as a person looks before pressing: an Enter
    // pressed while a service's rows were being listed was lost in the window (CI).
    await widget.locator('.quick-input-count', { hasText: '1 Selected' }).waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    // (Text matching: the editor renders spaces as no-break spaces, which a string match folds.)
    const cite = page.locator('.editor-group-container.active .view-line', { hasText: 'Testing has its own literature \\cite{' });
    await cite.waitFor({ timeout: 30_000 });
    key = /literature\s\\cite\{([a-z]+\d{4}[a-z]+)\}/.exec(await cite.innerText())?.[1] ?? '';
    assert.ok(key, await cite.innerText());
    await openFile(page, 'references.bib');
    const lines = page.locator('.editor-group-container.active .view-lines');
    await lines.locator('.view-line', { hasText: `{${key},` }).waitFor();
    await lines.locator('.view-line', { hasText: 'archivePrefix = {arXiv}' }).first().waitFor();
    await screenshot(page, 'online-cited-entry');
  });

  it('takes the entry out again when nothing cites it (Remove Entries Paperscope Added That Nothing Cites)', async () => {
    const { page } = workbench();
    assert.ok(key, 'the previous test cited a paper');
    await openFile(page, 'paper.tex');
    await goToLine(page, 24);
    // Delete the citation as a writer would: select it on the line and delete.
    await page.keyboard.press('End');
    for (let i = 0; i < `\\cite{${key}}`.length; i++) {
      await page.keyboard.press('Shift+ArrowLeft');
    }
    await page.keyboard.press('Delete');
    await page.locator('.editor-group-container.active .view-line', { hasText: `\\cite{${key}}` }).waitFor({ state: 'detached' });
    await runCommand(page, 'Paperscope: Remove Entries Paperscope Added That Nothing Cites…');
    const widget = page.locator('.quick-input-widget');
    await widget.locator('.quick-input-list .monaco-list-row', { hasText: key }).waitFor();
    await page.keyboard.press('Enter');
    await openFile(page, 'references.bib');
    await page.locator('.editor-group-container.active .view-lines .view-line', { hasText: '@' }).first().waitFor();
    assert.equal(await page.locator('.editor-group-container.active .view-lines .view-line', { hasText: `{${key},` }).count(), 0);
    // The library is the demo's again.
    await page.locator('.statusbar-item', { hasText: /\b122 papers\b/ }).waitFor({ timeout: 30_000 });
  });
});
