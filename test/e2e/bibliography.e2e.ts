import * as assert from 'node:assert/strict';
import { activeWebview, openFile, pane, runCommand, screenshot, setTheme, typeAtEndOfLine, useWorkbench } from './workbench';

describe('a researcher’s own bibliography in the browser', function () {
  this.timeout(180_000);
  // The theme is a user setting: later suites get the default back.
  const workbench = useWorkbench('bib-', undefined, (wb) => setTheme(wb.page, 'Dark Modern', 'vs-dark'));

  it('cites a paper from mylib.bib into the paper, copying its entry into references.bib self-contained', async () => {
    const { page } = workbench();
    await typeAtEndOfLine(page, 'paper.tex', 24, ' Offline agents can avoid extrapolation error ');
    await runCommand(page, 'Paperscope: Insert Citation…');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Insert Citation' }).waitFor();
    await page.keyboard.type('off-policy deep reinforcement learning without exploration', { delay: 10 });
    const first = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
    await first.locator('.quick-input-list-label-meta', { hasText: 'Fujimoto, Meger, Precup' }).waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    await page.locator('.editor-group-container.active .view-line', { hasText: '\\cite{Fujimoto:2019:BCQ}' }).waitFor();
    await openFile(page, 'references.bib');
    const lines = page.locator('.editor-group-container.active .view-lines');
    await lines.locator('.view-line', { hasText: '@inproceedings{Fujimoto:2019:BCQ,' }).waitFor();
    // The @string of mylib.bib is expanded: references.bib stands alone for BibTeX.
    await lines.locator('.view-line', { hasText: 'booktitle = {International Conference on Machine Learning}' }).waitFor();
    await screenshot(page, 'bib-self-contained-copy');
  });

  it('lists one paper once in the Library, by year and by venue, however many keys name it', async () => {
    const { page } = workbench();
    await page.locator('.activitybar .action-item a[aria-label^="Paperscope"]').click();
    const library = pane(page, 'Library');
    await library.locator('.monaco-list-row', { hasText: /^2015\s*\d+$/ }).click();
    const trpo = library.locator('.monaco-list-row', { hasText: 'Trust Region Policy Optimization' });
    await trpo.first().waitFor();
    assert.equal(await trpo.count(), 1, 'TRPO is bundled and in mylib.bib: one row');
    await library.locator('.pane-header').hover();
    await library.locator('.pane-header .action-label[aria-label="Group Library By…"]').click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Venue' }).click();
    // "ICML 2015" (bundled) and "International Conference on Machine Learning" (mylib.bib) are one venue.
    await library.locator('.monaco-list-row', { hasText: /^ICML\s*\d+$/ }).waitFor();
    await library.locator('.monaco-list-row', { hasText: /^NeurIPS\s*\d+$/ }).waitFor();
    assert.equal(await library.locator('.monaco-list-row', { hasText: /^International Conference on Machine Learning/ }).count(), 0);
    await screenshot(page, 'bib-library-by-venue');
    // The filter knows the venue too: BCQ (booktitle = icml, a macro of mylib.bib) is an ICML paper.
    await runCommand(page, 'Paperscope: Filter Library…');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Filter Library' }).waitFor();
    await page.keyboard.type('venue:icml year:2019');
    await page.keyboard.press('Enter');
    await library.locator('.monaco-list-row', { hasText: 'Off-Policy Deep Reinforcement Learning without Exploration' }).waitFor();
    await runCommand(page, 'Paperscope: Clear Library Filter');
  });

  for (const [theme, bodyClass] of [
    ['Dark High Contrast', 'hc-black'],
    ['Light High Contrast', 'hc-light'],
  ] as const) {
    it(`shows the BibTeX of the detail pane readably in ${theme} (contrast ≥ 4.5:1)`, async () => {
      const { page } = workbench();
      await setTheme(page, theme, bodyClass);
      await runCommand(page, 'Paperscope: Search Papers…');
      await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Search Papers' }).waitFor();
      await page.keyboard.type('author:kumar conservative', { delay: 10 });
      const first = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
      await first.locator('.quick-input-list-label-meta', { hasText: 'Kumar' }).waitFor();
      await page.keyboard.press('Enter');
      const view = activeWebview(page);
      const code = view.locator('pre.bibtex code');
      await code.waitFor({ timeout: 30_000 });
      await view.locator(`body.vscode-${bodyClass === 'hc-black' ? 'high-contrast' : 'high-contrast-light'}`).waitFor();
      // Every code element: the BibTeX block, the key and the file name. Read again while
      // the page is being swapped in (a pane reused for a new paper loads a new frame: read
      // in between, it has no element yet).
      const contrasts = () => view.locator('code').evaluateAll((els) => els.map((el) => {
        const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 4).map(Number);
        const lum = ([r, g, b]: number[]) => {
          const f = (v: number) => {
            const s = v / 255;
            return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
          };
          return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        let bg: number[] = [0, 0, 0, 0];
        for (let n: Element | null = el; n; n = n.parentElement) {
          const c = rgb(getComputedStyle(n).backgroundColor);
          if (c.length === 3 || (c.length === 4 && c[3] > 0)) {
            bg = c;
            break;
          }
        }
        const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(bg)];
        return { text: (el.textContent ?? '').slice(0, 30), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
      }));
      let ratios = await contrasts();
      for (const end = Date.now() + 10_000; ratios.length < 3 && Date.now() < end; ratios = await contrasts()) {
        await page.waitForTimeout(250);
      }
      await screenshot(page, `detail-${bodyClass}`);
      assert.ok(ratios.length >= 3, JSON.stringify(ratios));
      for (const { text, ratio } of ratios) {
        assert.ok(ratio >= 4.5, `contrast ${ratio.toFixed(2)}:1 of “${text}” in ${theme}`);
      }
    });
  }
});
