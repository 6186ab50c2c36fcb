import * as assert from 'node:assert/strict';
import type { Request } from 'playwright-core';
import { activeWebview, hoverWord, runCommand, screenshot, useWorkbench } from './workbench';

describe('hostile content in the browser', function () {
  this.timeout(120_000);
  const requests: string[] = [];
  const workbench = useWorkbench('', (wb) => wb.page.on('request', (r: Request) => requests.push(r.url())));

  it('shows a paper whose fields carry webview payloads as text, running nothing', async () => {
    const { page } = workbench();
    await runCommand(page, 'Paperscope: Search Papers…');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Search Papers' }).waitFor();
    await page.keyboard.type('author:alert', { delay: 10 });
    // The workspace's .bib files are read in the background; the open search picks
    // their papers up as they arrive.
    const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
    await row.locator('.quick-input-list-label-meta', { hasText: 'alert' }).waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    const view = activeWebview(page);
    const h1 = view.locator('h1');
    await h1.waitFor({ timeout: 30_000 });
    assert.equal(
      await h1.innerText(),
      '<img src=x onerror=alert(1)> [x](command:workbench.action.terminal.new) $(warning) $(check)',
    );
    const abstract = await view.locator('.abstract').innerText();
    assert.match(abstract, /<script>alert\(5\)<\/script>/, 'raw HTML shows as text');
    assert.equal(await view.locator('.abstract script, .abstract img, .abstract svg, .abstract iframe, .abstract object, .abstract embed, .abstract form, .abstract style, .abstract details').count(), 0);
    for (const href of await view.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))) {
      assert.match(href, /^(https?:|mailto:)/, href);
    }
    await screenshot(page, 'hostile-detail');
    // The page has run its script once the abstract is shown: a dialog or request from a
    // payload would have happened by then.
    await view.locator('.abstract', { hasText: 'alert(5)' }).waitFor();
    assert.deepEqual(workbench().events, [], 'no dialog opened');
    assert.deepEqual(requests.filter((u) => /evil\.example|etc\/passwd/.test(u)), [], 'no request left for the payloads');
  });

  it('renders a hover card whose data links are inert: only Paperscope’s own commands are links', async () => {
    const { page } = workbench();
    await runCommand(page, 'File: New Untitled Text File');
    await page.locator('.editor-group-container.active .monaco-editor').waitFor();
    await runCommand(page, 'Change Language Mode');
    await page.locator('.quick-input-widget input.input').waitFor();
    await page.keyboard.type('Markdown');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: /^Markdown/ }).first().click();
    await page.keyboard.type('See [@hostile2020a] here.');
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'onerror' });
    await hoverWord(page, 'hostile2020a', hover);
    const text = await hover.innerText();
    assert.match(text, /<img src=x onerror=alert\(1\)> \[x\]\(command:workbench\.action\.terminal\.new\) \$\(warning\) \$\(check\)/, 'data shows literally');
    const links = await hover.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('data-href') ?? a.getAttribute('href') ?? ''));
    for (const href of links.filter(Boolean)) {
      assert.match(href, /^command:paperscope\.(openPaper|insertCitation|copyBibtex)|^https:\/\/arxiv\.org/, href);
    }
    await screenshot(page, 'hostile-hover');
    // Clicking the text that looks like a command link does nothing. Then the card's real
    // "Copy BibTeX" link: once its effect shows, the earlier click has been handled too.
    const fake = hover.getByText('command:workbench.action.terminal.new', { exact: false }).first();
    assert.equal(await fake.evaluate((el) => el.closest('a') === null), true, 'not inside a link');
    await fake.click();
    await hover.locator('a', { hasText: 'Copy BibTeX' }).click();
    await page.locator('.statusbar', { hasText: 'Copied BibTeX for hostile2020a' }).waitFor();
    assert.equal(await page.locator('.terminal-outer-container, .xterm').count(), 0, 'no terminal was opened');
    assert.deepEqual(workbench().events, []);
    // The untitled note goes, emptied (not dirty then) and closed: later suites reload
    // this window, and it would come back unsaved.
    await page.mouse.move(5, 400);
    await page.keyboard.press('Escape');
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await runCommand(page, 'View: Close Editor');
    await page.locator('.tabs-container .tab', { hasText: 'Untitled-1' }).waitFor({ state: 'detached' });
  });
});
