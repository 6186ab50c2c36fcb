import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { findWorkspaceFiles } from '../../src/vscode/workspaceFiles';

/** A file search that never answers (as code-server's has, twice in CI), remembering its token. */
function silentSearch(): { search: typeof vscode.workspace.findFiles; token: () => vscode.CancellationToken | undefined } {
  let seen: vscode.CancellationToken | undefined;
  return {
    search: (_include, _exclude, _max, token) => {
      seen = token;
      return new Promise<vscode.Uri[]>(() => undefined);
    },
    token: () => seen,
  };
}

const sorted = (uris: readonly vscode.Uri[]) => uris.map((u) => u.toString()).sort();

describe('finding the workspace’s files in the extension host', () => {
  const folder = () => vscode.workspace.workspaceFolders![0];
  const planted = () => [
    vscode.Uri.joinPath(folder().uri, 'node_modules', 'pkg', 'dependency.bib'),
    vscode.Uri.joinPath(folder().uri, 'vendor', 'node_modules', 'deep.bib'),
  ];

  before(async () => {
    for (const uri of planted()) {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('@misc{planted, title = {Not the user’s}}\n'));
    }
  });

  after(async () => {
    for (const dir of ['node_modules', 'vendor']) {
      await Promise.resolve(vscode.workspace.fs.delete(vscode.Uri.joinPath(folder().uri, dir), { recursive: true })).catch(() => undefined);
    }
  });

  it('lists the folders when the file search does not answer, finding what it would have found', async () => {
    const expected = await vscode.workspace.findFiles('**/*.bib', '**/node_modules/**', 100);
    const silent = silentSearch();
    const listed = await findWorkspaceFiles('**/*.bib', { exclude: '**/node_modules/**', max: 100, patienceMs: 50, search: silent.search });
    assert.ok(expected.length >= 3, 'the fixture workspace has several .bib files');
    assert.deepEqual(sorted(listed), sorted(expected));
    assert.ok(!listed.some((u) => u.path.includes('node_modules')), 'excluded folders are not listed, however deep');
    assert.equal(silent.token()?.isCancellationRequested, true, 'the search that did not answer is cancelled');
  });

  it('lists one folder, with brace globs and a limit, as the file search would', async () => {
    const documents = await findWorkspaceFiles('**/*.{tex,md}', { folder: folder(), max: 100, patienceMs: 50, search: silentSearch().search });
    const names = documents.map((u) => u.path.slice(u.path.lastIndexOf('/') + 1));
    assert.ok(names.includes('paper.tex') && names.includes('notes.md'), names.join(' '));
    assert.ok(names.every((n) => /\.(tex|md)$/.test(n)), names.join(' '));
    const one = await findWorkspaceFiles('**/*.bib', { exclude: '**/node_modules/**', max: 1, patienceMs: 50, search: silentSearch().search });
    assert.equal(one.length, 1);
  });

  it('takes the file search’s answer when it comes in time', async () => {
    const answer = [vscode.Uri.joinPath(folder().uri, 'answered.bib')];
    const found = await findWorkspaceFiles('**/*.bib', { max: 10, search: async () => answer });
    assert.deepEqual(sorted(found), sorted(answer));
  });
});
