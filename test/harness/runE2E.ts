// Runs the e2e suite: packages Paperscope as a .vsix, installs it into a fresh
// code-server profile as a user would, serves a copy of the demo workspace, and
// runs the Playwright tests in test/e2e against it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyWorkspace, ensureCodeServer, ROOT, startCodeServer } from '../../scripts/codeServer';
import { startFixtureServer } from './fixtureServer';
import { runMocha } from './mochaRun';
import { paperscopeLogs } from './paperscopeLogs';
import { writeResult, type TierResult } from './results';

async function main(): Promise<number> {
  const resultFile = join(ROOT, 'out', 'test-results', 'e2e.json');
  // Screenshots of this run only (an old "failed-…" picture would mislead).
  rmSync(join(ROOT, 'test-output', 'e2e'), { recursive: true, force: true });
  ensureCodeServer();
  const vsix = join(ROOT, 'dist', 'paperscope.vsix');
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const dir = join(ROOT, 'out', 'test', 'e2e');
  const all = readdirSync(dir).filter((f) => f.endsWith('.e2e.js'));
  const grep = process.env.PAPERSCOPE_TEST_GREP;
  const total: TierResult = { passed: 0, failed: 0, skipped: 0, failures: [] };
  // Recorded answers of arXiv, Crossref, DBLP, …: no e2e test reaches the internet.
  const remote = await startFixtureServer(ROOT);
  // Three sessions: a trusted workspace (the demo plus a hostile .bib), the plain demo in
  // Restricted Mode with workspace trust left on, and the plain demo with Paperscope in
  // the browser's web-worker extension host (its web build, as on vscode.dev).
  for (const session of [
    { name: 'trusted', files: all.filter((f) => !f.includes('.restricted.') && !f.includes('.web.')), trust: false, extra: true, web: false },
    { name: 'restricted', files: all.filter((f) => f.includes('.restricted.')), trust: true, extra: false, web: false },
    { name: 'web', files: all.filter((f) => f.includes('.web.')), trust: false, extra: false, web: true },
  ]) {
    if (session.files.length === 0) {
      continue;
    }
    const folder = copyWorkspace(join(ROOT, 'demo'));
    if (session.extra) {
      cpSync(join(ROOT, 'test', 'fixtures', 'hostile'), folder, { recursive: true });
    } else if (!session.web) {
      // A repository that tries to send citations outside itself through a workspace
      // setting: in Restricted Mode the setting must be ignored.
      mkdirSync(join(folder, '.vscode'), { recursive: true });
      writeFileSync(join(folder, '.vscode', 'settings.json'), JSON.stringify({ 'paperscope.bibliography.file': '../outside-the-workspace.bib' }, null, 2));
      writeFileSync(join(folder, 'untrusted-note.md'), '# A note that names no bibliography\n\nCite here: \n');
    }
    const server = await startCodeServer({
      folder,
      vsixes: [vsix],
      workspaceTrust: session.trust,
      settings: {
        // Online services answer from the loopback fixture server; Zotero stays off so
        // that the library holds the demo's papers only.
        'paperscope.online.endpoints': remote.endpoints(),
        'paperscope.online.providers': { zotero: false },
        // The user setting VS Code offers to choose where an extension runs: 'web' is the
        // browser's web-worker extension host (the extension's `browser` entry).
        ...(session.web ? { 'remote.extensionKind': { 'paperscope.paperscope': ['web'] } } : {}),
      },
    });
    process.env.PAPERSCOPE_E2E_URL = server.url;
    process.env.PAPERSCOPE_E2E_FOLDER = folder;
    process.env.PAPERSCOPE_E2E_USER_DATA = server.userDataDir;
    try {
      const result = await runMocha(
        session.files.map((f) => join(dir, f)),
        { timeout: 120_000, ...(grep ? { grep } : {}) },
        (l) => console.log(l),
      );
      total.passed += result.passed;
      total.failed += result.failed;
      total.skipped += result.skipped;
      total.failures.push(...result.failures);
      if (result.failed > 0) {
        console.log(`--- code-server log, ${session.name} session (tail) ---\n` + server.log().slice(-3000));
        console.log(paperscopeLogs(server.userDataDir));
      }
    } finally {
      await server.stop();
      rmSync(folder, { recursive: true, force: true }); // a copy of the demo per session: not left in /tmp
    }
  }
  await remote.close();
  writeResult(resultFile, total);
  console.log(`e2e: ${total.passed} passed, ${total.failed} failed`);
  return total.failed > 0 || total.passed === 0 ? 1 : 0;
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
