import * as assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { paperscopeLogs } from '../harness/paperscopeLogs';
import { activeWebview, pane, runCommand, screenshot, setTheme, useWorkbench } from './workbench';

describe('the Library overview in the browser', function () {
  this.timeout(180_000);
  // The theme is a user setting: later suites get the default back.
  const workbench = useWorkbench('overview-', undefined, async (wb) => {
    await runCommand(wb.page, 'Paperscope: Clear Library Filter').catch(() => undefined);
    await setTheme(wb.page, 'Dark Modern', 'vs-dark');
  });

  it('opens from the Library view’s title bar and draws every chart (dark theme)', async () => {
    const { page } = workbench();
    await setTheme(page, 'Dark Modern', 'vs-dark');
    await page.locator('.activitybar .action-item a[aria-label^="Paperscope"]').click();
    const library = pane(page, 'Library');
    await library.locator('.monaco-list-row').first().waitFor({ timeout: 30_000 });
    await library.locator('.pane-header').hover();
    await library.locator('.pane-header .action-label[aria-label="Show Library Overview"]').click();
    const view = activeWebview(page);
    await view.locator('h1', { hasText: 'Library overview' }).waitFor({ timeout: 30_000 });
    await view.locator('body.vscode-dark').waitFor();
    // Topics and the workspace's citations arrive after the first picture.
    await view.locator('#h-topics ~ .chart button').first().waitFor({ timeout: 60_000 });
    // Once the workspace has been read, the section shows bars or says why there are none.
    const citedSection = view.locator('section', { has: view.locator('#h-cited') });
    const citedBars = view.locator('#h-cited ~ .chart button');
    const settled = citedBars.first().or(citedSection.locator('p.muted:not(:has(.busy))'));
    await settled
      .first()
      .waitFor({ timeout: 60_000 })
      .catch(async (err: unknown) => {
        // Say what the page and Paperscope's log said: this wait has timed out in CI.
        const log = paperscopeLogs(process.env.PAPERSCOPE_E2E_USER_DATA ?? '', { windows: 2, lines: 20 });
        throw new Error(`${String(err)}\nthe section reads: ${await citedSection.innerText().catch(() => '(gone)')}\n${log}`);
      });
    if ((await citedBars.count()) === 0) {
      assert.fail(`no bar for the most cited papers; the section reads: ${await citedSection.innerText()}`);
    }
    const first = view.locator('#h-cited ~ .chart button').first();
    assert.match((await first.getAttribute('aria-label')) ?? '', /^Improving equilibrium propagation without weight symmetry through Jacobian homeostasis: cited \d+ times in [2-9] documents/);
    // Bars wear the theme's chart colours, not the page background.
    const fills = await view.locator('.col-bar rect.bundled').first().evaluate((rect) => {
      const style = getComputedStyle(rect);
      return { fill: style.fill, background: getComputedStyle(document.body).backgroundColor };
    });
    assert.notEqual(fills.fill, 'none');
    assert.notEqual(fills.fill, fills.background);
    await screenshot(page, 'overview-dark');
    await first.scrollIntoViewIfNeeded();
    await screenshot(page, 'overview-dark-cited');
  });

  it('reads well in a light theme', async () => {
    const { page } = workbench();
    await setTheme(page, 'Light Modern', 'vs');
    const view = activeWebview(page);
    await view.locator('body.vscode-light').waitFor({ timeout: 30_000 });
    await view.locator('#h-topics ~ .chart button').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'overview-light');
  });

  it('a click on a year filters the Library view to that year', async () => {
    const { page } = workbench();
    const view = activeWebview(page);
    const bar = view.locator('.columns button[aria-label^="2023:"]');
    const count = Number(/^2023: (\d+) papers?/.exec((await bar.getAttribute('aria-label')) ?? '')?.[1]);
    assert.ok(count > 0);
    await bar.click();
    const library = pane(page, 'Library');
    await library.locator('.pane-header', { hasText: 'Filter: 2023' }).waitFor({ timeout: 30_000 });
    // The tree redraws after the header: wait until the other years are gone.
    await library.locator('.monaco-list-row', { hasText: /^2022/ }).waitFor({ state: 'detached', timeout: 30_000 });
    // Only that year: one group (expanded), and no other year.
    const rows = await library.locator('.monaco-list-row').allInnerTexts();
    assert.deepEqual(
      rows.map((r) => r.replace(/\s+/g, '')).filter((r) => /^\d{5,}$/.test(r)),
      [`2023${count}`],
      rows.join(' | '),
    );
    await screenshot(page, 'overview-filtered-2023');
  });

  it('walks the years with the arrow keys and filters with Enter', async () => {
    const { page } = workbench();
    await page.locator('.tabs-container .tab', { hasText: 'Library Overview' }).click();
    const view = activeWebview(page);
    const bars = view.locator('.columns button');
    await bars.first().focus();
    const firstLabel = (await bars.first().getAttribute('aria-label')) ?? '';
    await page.keyboard.press('End');
    const last = await view.locator('.columns button:focus').getAttribute('aria-label');
    assert.notEqual(last, firstLabel);
    await page.keyboard.press('ArrowLeft');
    const focused = (await view.locator('.columns button:focus').getAttribute('aria-label')) ?? '';
    const year = /^(\d{4}):/.exec(focused)?.[1];
    assert.ok(year, focused);
    await page.keyboard.press('Enter');
    await pane(page, 'Library').locator('.pane-header', { hasText: `Filter: ${year}` }).waitFor({ timeout: 30_000 });
  });

  it('draws a change of the library in place: the page is not reloaded, the focused bar keeps the focus', async () => {
    const { page } = workbench();
    await runCommand(page, 'Paperscope: Clear Library Filter');
    await page.locator('.tabs-container .tab', { hasText: 'Library Overview' }).click();
    const view = activeWebview(page);
    const papersIn = (label: string) => Number(/^[^:]+: ([\d,]+) papers?/.exec(label)?.[1].replace(/,/g, ''));
    const bar = view.locator('.columns button[aria-label^="2023:"]');
    const before = papersIn((await bar.getAttribute('aria-label')) ?? '');
    assert.ok(before > 0);
    await bar.focus();
    // A mark on the page's window: a reloaded page would not have it.
    await view.locator('body').evaluate(() => ((window as unknown as { mark: string }).mark = 'the same page'));
    const extra = join(process.env.PAPERSCOPE_E2E_FOLDER ?? '', 'overview-extra.bib');
    writeFileSync(extra, '@article{doe2023added,\n  title = {A Paper Added While the Overview Is Open},\n  author = {Doe, Jane},\n  year = {2023}\n}\n');
    try {
      await view.locator(`.columns button[aria-label^="2023: ${before + 1} papers"]`).waitFor({ timeout: 30_000 });
      const after = await view.locator('body').evaluate(() => ({
        mark: (window as unknown as { mark?: string }).mark,
        focused: document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName,
      }));
      assert.equal(after.mark, 'the same page');
      assert.match(after.focused ?? '', new RegExp(`^2023: ${before + 1} papers`));
    } finally {
      rmSync(extra, { force: true });
    }
    await view.locator(`.columns button[aria-label^="2023: ${before} papers"]`).waitFor({ timeout: 30_000 });
  });
});
