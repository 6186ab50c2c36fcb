// Runs the integration suite inside code-server's real extension host: starts
// code-server on a copy of the fixture workspace, opens the workbench in Chromium
// with the extension under development and the test module as payload, and waits
// for the suite to write its results.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { copyWorkspace, ensureCodeServer, extensionTestUrl, launchBrowser, ROOT, startCodeServer } from '../../scripts/codeServer';
import { OFFLINE_ENDPOINTS } from './fixtureServer';
import { readResult, writeResult } from './results';

const TIMEOUT_MS = 10 * 60_000;

async function main(): Promise<number> {
  const resultFile = process.env.PAPERSCOPE_RESULT_FILE ?? join(ROOT, 'out', 'test-results', 'integration.json');
  ensureCodeServer();
  const folder = copyWorkspace(join(ROOT, 'test', 'fixtures', 'workspace'));
  const hostResults = join(mkdtempSync(join(tmpdir(), 'paperscope-results-')), 'integration.json');
  const server = await startCodeServer({
    folder,
    env: { PAPERSCOPE_TEST_RESULTS: hostResults, PAPERSCOPE_TEST_GREP: process.env.PAPERSCOPE_TEST_GREP ?? '' },
    // No test may reach the internet: the online suite points these at its loopback server.
    settings: { 'paperscope.online.endpoints': OFFLINE_ENDPOINTS },
  });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (msg) => {
      const text = msg.text();
      if (text.includes('[paperscope-test]')) {
        console.log(text.replace(/^.*?\[paperscope-test\] ?/s, ''));
      }
    });
    await page.goto(extensionTestUrl(server, folder, ROOT, join(ROOT, 'out', 'test', 'integration', 'index.js')));
    const deadline = Date.now() + TIMEOUT_MS;
    while (!existsSync(hostResults)) {
      if (Date.now() > deadline) {
        throw new Error('the integration suite did not report within 10 minutes');
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 200));
    const result = readResult(hostResults);
    if (!result) {
      throw new Error('the integration suite wrote unreadable results');
    }
    writeResult(resultFile, result);
    console.log(`integration: ${result.passed} passed, ${result.failed} failed`);
    return result.failed > 0 || result.passed === 0 ? 1 : 0;
  } catch (err) {
    console.error(String(err));
    console.error('--- code-server log ---\n' + server.log().slice(-4000));
    writeResult(resultFile, { passed: 0, failed: 1, skipped: 0, failures: [{ title: 'harness', error: String(err) }] });
    return 1;
  } finally {
    await browser.close();
    await server.stop();
    // The workspace copy (7 MB with its generated files) and the results folder are not left in /tmp.
    rmSync(folder, { recursive: true, force: true });
    rmSync(dirname(hostResults), { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
