// Builds everything with esbuild. Flags:
//   (none)           extension (Node and browser) + webviews + library index
//   --production     minified, no source maps (npm run package)
//   --tests          also the unit, integration, e2e and harness bundles (out/)
//   --bench          the benchmark (out/bench)
//   --import-corpus  re-import resources/papers.json from a JSONL file, then exit
//   --watch          rebuild the extension and webview on change
//   --launch         after a production build, run scripts/launch.ts (npm start)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const args = process.argv.slice(2);
const has = (flag) => args.includes(flag);
const production = has('--production');
const root = new URL('..', import.meta.url).pathname;
process.chdir(root);

const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  sourcemap: production ? false : 'linked',
  minify: production,
};

async function runScript(entry, scriptArgs = []) {
  const outfile = join('out', 'scripts', entry.replace(/^scripts\//, '').replace(/\.ts$/, '.js'));
  // Scripts run from the repository: node_modules stays external.
  await esbuild.build({ ...nodeCommon, sourcemap: false, minify: false, packages: 'external', entryPoints: [entry], outfile });
  execFileSync(process.execPath, [outfile, ...scriptArgs], { stdio: 'inherit' });
}

function filesIn(dir, suffix, recursive = false) {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) {
      return recursive ? filesIn(path, suffix, true) : [];
    }
    return d.name.endsWith(suffix) ? [path] : [];
  });
}

if (has('--import-corpus')) {
  const rest = args.filter((a) => !a.startsWith('--'));
  await runScript('scripts/importCorpus.ts', rest);
  process.exit(0);
}

// The Node.js host's entry (src/node/extension.ts → dist/extension.js), the search
// index's worker thread it starts (dist/indexWorker.js) and that thread's second
// tokenizing thread (dist/tokenizeWorker.js).
const extension = {
  ...nodeCommon,
  entryPoints: { extension: 'src/node/extension.ts', indexWorker: 'src/node/indexWorker.ts', tokenizeWorker: 'src/node/tokenizeWorker.ts' },
  outdir: 'dist',
  external: ['vscode'],
};
// The same extension for the browser's web-worker extension host (vscode.dev, github.dev,
// code-server's web host): no Node built-ins, `vscode` provided by the host
// (src/web/extension.ts → dist/web/extension.js), and the search index's Web Worker
// (dist/web/indexWorker.js, a plain script: it is started from a blob: URL).
const web = {
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  format: 'cjs',
  mainFields: ['browser', 'module', 'main'],
  logLevel: 'warning',
  sourcemap: production ? false : 'linked',
  minify: production,
  entryPoints: ['src/web/extension.ts'],
  outfile: 'dist/web/extension.js',
  external: ['vscode'],
};
const webWorker = { ...web, format: 'iife', entryPoints: ['src/web/indexWorker.ts'], outfile: 'dist/web/indexWorker.js', external: [] };
const webview = {
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  format: 'iife',
  logLevel: 'warning',
  sourcemap: production ? false : 'linked',
  minify: production,
  entryPoints: { detail: 'src/webview/page/detailPage.ts', overview: 'src/webview/page/overviewPage.ts' },
  outdir: 'dist/webview',
};

if (has('--watch')) {
  for (const options of [extension, web, webWorker, webview]) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log('watching src/ …');
} else {
  if (production) {
    rmSync('dist', { recursive: true, force: true });
  }
  await runScript('scripts/buildLibrary.ts');
  await Promise.all([esbuild.build(extension), esbuild.build(web), esbuild.build(webWorker), esbuild.build(webview)]);

  if (has('--tests')) {
    rmSync('out/test', { recursive: true, force: true });
    const testCommon = { ...nodeCommon, sourcemap: 'inline', minify: false };
    await Promise.all([
      esbuild.build({
        ...testCommon,
        entryPoints: filesIn('test/unit', '.test.ts', true),
        outdir: 'out/test/unit',
        outbase: 'test/unit',
      }),
      esbuild.build({
        ...testCommon,
        entryPoints: ['test/integration/index.ts', ...filesIn('test/integration', '.test.ts')],
        outdir: 'out/test/integration',
        external: ['vscode', 'mocha'],
      }),
      esbuild.build({
        ...testCommon,
        entryPoints: [...filesIn('test/harness', '.ts'), ...filesIn('test/e2e', '.e2e.ts')],
        outdir: 'out/test',
        outbase: 'test',
        external: ['playwright-core', '@vscode/test-electron', 'mocha'],
      }),
    ]);
  }
  if (has('--launch')) {
    execFileSync('npx', ['vsce', 'package', '--no-dependencies', '--out', 'dist/paperscope.vsix'], { stdio: ['ignore', 'ignore', 'inherit'] });
    await runScript('scripts/launch.ts', args.filter((a) => a !== '--launch' && a !== '--production'));
  }
  if (has('--bench')) {
    await esbuild.build({ ...nodeCommon, sourcemap: false, entryPoints: ['bench/run.ts', 'bench/fixtureServer.ts'], outdir: 'out/bench' });
  }
}
