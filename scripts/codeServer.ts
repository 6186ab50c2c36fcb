// Starts a real VS Code (code-server) and a real browser (Debian's Chromium driven by
// playwright-core) for the integration and e2e tiers and for `npm start`. code-server is installed once,
// outside the repository, by scripts/setup-code-server.sh.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** The repository root: the nearest folder above this bundle with a package.json. */
export const ROOT = ((): string => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) {
    dir = dirname(dir);
  }
  return dir;
})();
export const CODE_SERVER_VERSION = process.env.PAPERSCOPE_CODE_SERVER_VERSION ?? '4.100.3';
const CACHE = process.env.PAPERSCOPE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'paperscope');
export const CODE_SERVER_DIR = join(CACHE, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', 'code-server');
const CHROMIUM = process.env.PAPERSCOPE_CHROMIUM ?? '/usr/bin/chromium';

/** Installs code-server and the Debian packages when missing (a no-op when present). */
export function ensureCodeServer(): void {
  execFileSync('bash', [join(ROOT, 'scripts', 'setup-code-server.sh')], { stdio: 'inherit' });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface CodeServer {
  readonly url: string;
  readonly host: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** The log so far (stdout and stderr). */
  log(): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  readonly folder: string;
  /** Leave workspace trust on (Restricted Mode tests); off by default. */
  readonly workspaceTrust?: boolean;
  readonly env?: Record<string, string>;
  /** VS Code settings written into the user settings before start. */
  readonly settings?: Record<string, unknown>;
  /** Extensions (.vsix paths) installed into a fresh extensions folder before start. */
  readonly vsixes?: readonly string[];
  readonly port?: number;
  /** Keep the profile in this folder (and keep it after stop); a temporary one otherwise. */
  readonly profileDir?: string;
}

function codeServerArgs(extensionsDir: string, userDataDir: string): string[] {
  return [
    join(CODE_SERVER_DIR, 'out', 'node', 'entry.js'),
    '--extensions-dir',
    extensionsDir,
    '--user-data-dir',
    userDataDir,
    '--disable-telemetry',
    '--disable-update-check',
  ];
}

/** Makes a throw-away profile (user data and extensions) and installs the given .vsix files. */
export function prepareProfile(options: CodeServerOptions, base = options.profileDir ?? mkdtempSync(join(tmpdir(), 'paperscope-vscode-'))) {
  const userDataDir = join(base, 'user-data');
  const extensionsDir = join(base, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'security.workspace.trust.startupPrompt': 'never',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'chat.disableAIFeatures': true,
        ...options.settings,
      },
      null,
      2,
    ),
  );
  for (const vsix of options.vsixes ?? []) {
    execFileSync(process.execPath, [...codeServerArgs(extensionsDir, userDataDir), '--install-extension', vsix, '--force'], {
      stdio: 'pipe',
      env: { ...process.env, XDG_CONFIG_HOME: join(base, 'config') },
    });
  }
  return { base, userDataDir, extensionsDir };
}

/** Starts code-server on a free loopback port and waits until it answers. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const profile = prepareProfile(options);
  const port = options.port ?? (await freePort());
  const host = `127.0.0.1:${port}`;
  const args = [
    ...codeServerArgs(profile.extensionsDir, profile.userDataDir),
    '--auth',
    'none',
    '--bind-addr',
    host,
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    options.folder,
  ];
  let output = '';
  // code-server listens on $PORT when it is set, whatever --bind-addr says: a shell with
  // PORT exported (many hosts set it) had it serve elsewhere than where we wait for it.
  const { PORT: _port, ...inherited } = process.env;
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { ...inherited, XDG_CONFIG_HOME: join(profile.base, 'config'), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://${host}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`code-server exited with ${child.exitCode}:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) {
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`code-server did not start within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    host,
    userDataDir: profile.userDataDir,
    extensionsDir: profile.extensionsDir,
    log: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) {
          child.kill('SIGKILL');
        }
      }
      if (!options.profileDir) {
        rmSync(profile.base, { recursive: true, force: true });
      }
    },
  };
}

/** Headless Chromium with the flags this offline machine needs. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/** Copies a fixture workspace to a fresh temporary folder (tests may edit it). */
export function copyWorkspace(fixture: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'paperscope-ws-'));
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

/** The workbench URL that loads an extension under development and runs a test module in its host. */
export function extensionTestUrl(server: CodeServer, folder: string, extensionPath: string, testsPath: string): string {
  const remote = (p: string) => `vscode-remote://${server.host}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionPath)],
    ['extensionTestsPath', remote(testsPath)],
  ];
  return `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
