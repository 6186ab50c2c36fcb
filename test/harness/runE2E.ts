// Runs the e2e suite: packages Paperscope as a .vsix, installs it into a fresh
// code-server profile as a user would, serves a copy of the demo workspace, and
// runs the Playwright tests in test/e2e against it.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { copyWorkspace, ensureCodeServer, ROOT, startCodeServer } from '../../scripts/codeServer';
import { runMocha } from './mochaRun';
import { writeResult } from './results';

async function main(): Promise<number> {
  const resultFile = join(ROOT, 'out', 'test-results', 'e2e.json');
  ensureCodeServer();
  const vsix = join(ROOT, 'dist', 'paperscope.vsix');
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const folder = copyWorkspace(join(ROOT, 'demo'));
  const server = await startCodeServer({ folder, vsixes: [vsix] });
  process.env.PAPERSCOPE_E2E_URL = server.url;
  process.env.PAPERSCOPE_E2E_FOLDER = folder;
  try {
    const dir = join(ROOT, 'out', 'test', 'e2e');
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.e2e.js'))
      .map((f) => join(dir, f));
    const grep = process.env.PAPERSCOPE_TEST_GREP;
    const result = await runMocha(files, { timeout: 120_000, ...(grep ? { grep } : {}) }, (l) => console.log(l));
    writeResult(resultFile, result);
    console.log(`e2e: ${result.passed} passed, ${result.failed} failed`);
    if (result.failed > 0) {
      console.log('--- code-server log (tail) ---\n' + server.log().slice(-3000));
    }
    return result.failed > 0 || result.passed === 0 ? 1 : 0;
  } finally {
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    writeResult(join(ROOT, 'out', 'test-results', 'e2e.json'), {
      passed: 0,
      failed: 1,
      skipped: 0,
      failures: [{ title: 'harness', error: String(err) }],
    });
    process.exit(1);
  },
);
