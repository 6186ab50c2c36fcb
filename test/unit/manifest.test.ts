import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Commands, ConfigSection, Settings, ViewTypes } from '../../src/constants';
import { ROOT } from './helpers';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

describe('package.json', () => {
  it('contributes exactly the commands the code registers, all in the Paperscope category', () => {
    const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(contributed, Object.values(Commands).sort());
    for (const c of manifest.contributes.commands) {
      assert.equal(c.category, 'Paperscope', c.command);
    }
  });

  it('contributes every setting the code reads', () => {
    const props = Object.keys(manifest.contributes.configuration.properties);
    for (const key of Object.values(Settings)) {
      assert.ok(props.includes(`${ConfigSection}.${key}`), key);
    }
  });

  it('never activates on start-up', () => {
    const events: string[] = manifest.activationEvents ?? [];
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'));
    assert.ok(events.includes(`onWebviewPanel:${ViewTypes.detailPanel}`));
    assert.ok(events.includes(`onWebviewPanel:${ViewTypes.overviewPanel}`), 'a restored overview panel activates too');
    assert.ok(events.includes('onLanguage:latex') && events.includes('onLanguage:markdown'));
  });

  it('ships a browser entry next to main: the web build, which needs nothing but vscode, and its index worker, which needs nothing; both in the .vsix', () => {
    assert.equal(manifest.browser, './dist/web/extension.js');
    const requiredBy = (file: string) => [...new Set([...readFileSync(join(ROOT, file), 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]))];
    assert.deepEqual(requiredBy(manifest.browser), ['vscode']);
    assert.deepEqual(requiredBy('dist/web/indexWorker.js'), []);
    const ignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8').split('\n');
    const built = readdirSync(join(ROOT, 'dist', 'web')).filter((f) => f.endsWith('.js'));
    assert.deepEqual(built.sort(), ['extension.js', 'indexWorker.js']);
    for (const file of built) {
      assert.ok(ignore.includes(`!dist/web/${file}`), file);
    }
  });

  it('ships every script the desktop build makes: the extension and the threads it starts', () => {
    const ignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8').split('\n');
    const built = readdirSync(join(ROOT, 'dist')).filter((f) => f.endsWith('.js'));
    assert.deepEqual(built.sort(), ['extension.js', 'indexWorker.js', 'tokenizeWorker.js']);
    for (const file of built) {
      assert.ok(ignore.includes(`!dist/${file}`), file);
    }
  });

  it('pins @types/vscode to the engine minimum', () => {
    assert.equal(manifest.devDependencies['@types/vscode'], manifest.engines.vscode.replace('^', ''));
  });
});
