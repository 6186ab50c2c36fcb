// `npm start`: serves VS Code (code-server) with the freshly packaged Paperscope and
// a demo workspace, and prints the URL to open. Flags:
//   --port N   listen on 127.0.0.1:N (default 8080, or $PAPERSCOPE_PORT)
//   --fresh    start again from the pristine demo workspace
//   --smoke    start, check that the workbench is served with Paperscope installed, stop
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServer, ROOT, startCodeServer } from './codeServer';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const portArg = args.indexOf('--port');
const port = Number(portArg >= 0 ? args[portArg + 1] : (process.env.PAPERSCOPE_PORT ?? 8080));
const state = join(process.env.PAPERSCOPE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'paperscope'), 'demo');
const workspace = join(state, 'workspace');
const profileDir = join(state, 'profile');

async function main(): Promise<void> {
  ensureCodeServer();
  if (flag('--fresh') || flag('--smoke')) {
    rmSync(workspace, { recursive: true, force: true });
  }
  if (!existsSync(workspace)) {
    cpSync(join(ROOT, 'demo'), workspace, { recursive: true });
  }
  const vsix = join(ROOT, 'dist', 'paperscope.vsix');
  const server = await startCodeServer({ folder: workspace, vsixes: [vsix], port, profileDir });
  const installed = readdirSync(server.extensionsDir).filter((d) => d.startsWith('paperscope.paperscope-'));
  if (flag('--smoke')) {
    const page = await fetch(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    const html = await page.text();
    await server.stop();
    if (!page.ok || !html.includes('workbench') || installed.length === 0) {
      console.error(`launch smoke test failed: HTTP ${page.status}, Paperscope installed: ${installed.join(', ') || 'no'}`);
      process.exit(1);
    }
    console.log(`launch smoke test: VS Code served at ${server.url} with ${installed.join(', ')}`);
    return;
  }
  console.log(`\nPaperscope is running in VS Code at:\n\n    ${server.url}/?folder=${encodeURIComponent(workspace)}\n`);
  console.log(`Demo workspace: ${workspace} (npm start -- --fresh resets it). Ctrl+C stops.`);
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
