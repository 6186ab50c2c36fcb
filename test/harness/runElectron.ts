// Runs the integration suite under @vscode/test-electron, for machines that can
// download VS Code desktop (this project's CI cannot: it uses code-server instead).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { copyWorkspace, ROOT } from '../../scripts/codeServer';
import { OFFLINE_ENDPOINTS } from './fixtureServer';
import { readResult } from './results';

async function main(): Promise<void> {
  const folder = copyWorkspace(join(ROOT, 'test', 'fixtures', 'workspace'));
  const results = join(mkdtempSync(join(tmpdir(), 'paperscope-results-')), 'integration.json');
  // No test may reach the internet: as in the code-server runner, the services' endpoints
  // are a loopback port where nothing listens (the online suite sets its own server).
  const userData = mkdtempSync(join(tmpdir(), 'paperscope-electron-'));
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ 'paperscope.online.endpoints': OFFLINE_ENDPOINTS }, null, 2));
  await runTests({
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: join(ROOT, 'out', 'test', 'integration', 'index.js'),
    launchArgs: [folder, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${userData}`],
    extensionTestsEnv: { PAPERSCOPE_TEST_RESULTS: results },
  });
  const r = readResult(results);
  console.log(`integration (electron): ${r?.passed ?? 0} passed, ${r?.failed ?? 1} failed`);
}

main().catch((err) => {
  console.error(`test:electron failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
