// Runs every test tier in order and ends with one honest summary line.
//   node scripts/test.mjs            type check, lint, unit, integration, e2e
//   node scripts/test.mjs unit       (or integration, e2e): build and that tier only
// Environment: PAPERSCOPE_TEST_GREP filters integration/e2e tests by title.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);
const only = process.argv[2];
const resultsDir = join(root, 'out', 'test-results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const rows = [];
function run(cmd, args) {
  const res = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  return res.status === 0;
}
function banner(title) {
  console.log(`\n━━━ ${title} ${'━'.repeat(Math.max(0, 60 - title.length))}`);
}
/** A stage that is one check: it passes or fails as a whole. */
function check(name, cmd, args) {
  banner(name);
  const ok = run(cmd, args);
  rows.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 });
  return ok;
}
/** A tier whose runner writes out/test-results/<name>.json with its counts. */
function tier(name, cmd, args, readCounts) {
  banner(`${name} tests`);
  const ok = run(cmd, args);
  const counts = readCounts();
  if (!counts) {
    rows.push({ name, passed: 0, failed: 1, skipped: 0, note: 'runner reported nothing' });
  } else {
    rows.push({ name, ...counts, failed: counts.failed + (ok || counts.failed > 0 ? 0 : 1) });
  }
}
const fromJson = (name) => () => {
  const file = join(resultsDir, `${name}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
};
const fromTap = (file) => () => {
  if (!existsSync(file)) {
    return undefined;
  }
  const tap = readFileSync(file, 'utf8');
  const num = (label) => Number(new RegExp(`^# ${label} (\\d+)$`, 'm').exec(tap)?.[1] ?? NaN);
  const counts = { passed: num('pass'), failed: num('fail') + num('cancelled'), skipped: num('skipped') + num('todo') };
  const failures = [...tap.matchAll(/^\s*not ok \d+ - (.*)$/gm)].map((m) => ({ title: m[1], error: 'see the unit output above' }));
  return Number.isNaN(counts.passed) ? undefined : { ...counts, failures };
};

const all = !only;
let built = true;
if (all) {
  check('type check', 'npx', ['tsc', '--noEmit', '-p', '.']);
  check('lint', 'npx', ['eslint', '.']);
}
banner('build');
built = run(process.execPath, ['scripts/build.mjs', '--tests']);
if (!built) {
  rows.push({ name: 'build', passed: 0, failed: 1, skipped: 0 });
} else {
  if (all || only === 'unit') {
    const tap = join(resultsDir, 'unit.tap');
    tier(
      'unit',
      process.execPath,
      ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, 'out/test/unit/'],
      fromTap(tap),
    );
  }
  if (all || only === 'integration') {
    tier('integration', process.execPath, ['out/test/harness/runIntegration.js'], fromJson('integration'));
  }
  if (all || only === 'e2e') {
    tier('e2e', process.execPath, ['out/test/harness/runE2E.js'], fromJson('e2e'));
  }
}

banner('summary');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const r of rows) {
  passed += r.passed;
  failed += r.failed;
  skipped += r.skipped;
  const mark = r.failed > 0 ? '✗' : '✓';
  console.log(`${mark} ${r.name.padEnd(12)} ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}${r.note ? ` (${r.note})` : ''}`);
}
// The failures again, last: a log read from its tail (CI's record) names what failed.
const failures = rows.flatMap((r) => (r.failures ?? []).map((f) => ({ tier: r.name, ...f })));
if (failures.length > 0) {
  console.log('\nfailed:');
  for (const f of failures) {
    const error = String(f.error).split('\n').slice(0, 6).join('\n    ');
    console.log(`  ✗ [${f.tier}] ${f.title}\n    ${error}`);
  }
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
