// Entry point VS Code loads as extensionTestsPath, inside the real extension host
// (code-server's, or VS Code desktop's under @vscode/test-electron).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runMocha } from '../harness/mochaRun';
import { writeResult } from '../harness/results';

export async function run(): Promise<void> {
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .map((f) => join(__dirname, f));
  const grep = process.env.PAPERSCOPE_TEST_GREP;
  const result = await runMocha(files, { timeout: 30_000, ...(grep ? { grep } : {}) }, (line) =>
    console.log(`[paperscope-test] ${line}`),
  );
  const out = process.env.PAPERSCOPE_TEST_RESULTS;
  if (out) {
    writeResult(out, result);
  }
  if (result.failed > 0) {
    throw new Error(`${result.failed} integration test(s) failed`);
  }
}
