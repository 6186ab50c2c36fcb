import Mocha from 'mocha';
import type { TierResult } from './results';

/** Runs mocha test files and collects a TierResult, logging each test as it ends. */
export function runMocha(files: readonly string[], options: Mocha.MochaOptions, log: (line: string) => void): Promise<TierResult> {
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'dot', ...options });
  // The dot reporter's own output is replaced by one line per test below.
  mocha.reporter(class {} as unknown as Mocha.ReporterConstructor);
  files.forEach((f) => mocha.addFile(f));
  const result: TierResult = { passed: 0, failed: 0, skipped: 0, failures: [] };
  return new Promise((resolve) => {
    const runner = mocha.run(() => resolve(result));
    runner.on('pass', (t) => {
      result.passed++;
      log(`  ✓ ${t.fullTitle()}`);
    });
    runner.on('fail', (t, err: Error) => {
      result.failed++;
      const error = err?.stack ?? String(err);
      result.failures.push({ title: t.fullTitle(), error });
      log(`  ✗ ${t.fullTitle()}\n${error.replace(/^/gm, '      ')}`);
    });
    runner.on('pending', (t) => {
      result.skipped++;
      log(`  - ${t.fullTitle()} (skipped)`);
    });
  });
}
