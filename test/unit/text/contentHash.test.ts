import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { contentDigest, sha256Parts, sha256Text } from '../../../src/core/text/digest';
import { sha256InSlices } from '../../../src/node/contentHash';
import { sha256 } from '../../../src/node/folderCache';
import { PiecedText } from '../../../src/core/text/pieces';

const nodeSha256 = (content: Uint8Array | string) => createHash('sha256').update(content).digest('hex');
const big = new Uint8Array(9 * 1024 * 1024 + 17).map((_, i) => (i * 31) % 251);
const contents = [new Uint8Array(), 'x', 'Möller, Łukasz and 論文 \ud83d\udcda', 'lone \ud800 surrogate', big];

describe('content digests (a .bib’s, naming the sources of a kept index)', () => {
  it('the desktop host’s (sha256InSlices) and the browser build’s (contentDigest) are SHA-256, for bytes and text, across slices', async () => {
    for (const content of contents) {
      const expected = nodeSha256(typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
      assert.equal(await sha256InSlices(content), expected);
      assert.equal(await contentDigest(content), expected);
    }
  });

  it('contentDigest gives the thread back between slices of a large content', async () => {
    let pauses = 0;
    await contentDigest(big, () => (pauses++, Promise.resolve()));
    assert.equal(pauses, 9);
    // One slice's worth in several pieces: no pause.
    pauses = 0;
    await contentDigest(new PiecedText(['a\n'.repeat(1000), 'b\n'.repeat(1000)]), () => (pauses++, Promise.resolve()));
    assert.equal(pauses, 0);
  });

  it('gives the digest of the whole text for a text in pieces (an open document read a block of lines at a time)', async () => {
    const text = 'Möller, Łukasz and 論文 \ud83d\udcda\n'.repeat(50);
    const pieces = new PiecedText(text.match(/(?:[^\n]*\n){1,7}/g)!);
    assert.equal(pieces.pieces.length, 8);
    assert.equal(await sha256InSlices(pieces), nodeSha256(text));
    assert.equal(await contentDigest(pieces), nodeSha256(text));
  });

  it('the browser’s index worker keys what it keeps as the Node worker does (sha256Parts)', () => {
    for (const parts of [[], [''], ['a', 'b'], ['ab'], ['Möller', '論文 \ud83d\udcda', 'x'.repeat(100_000)]]) {
      assert.equal(sha256Parts(parts), sha256(parts));
    }
    assert.notEqual(sha256Parts(['a', 'b']), sha256Parts(['ab']));
  });

  it('names a workspace as the Node host does (sha256Text: its folder of kept indexes stays where earlier versions made it)', () => {
    for (const text of ['', 'file:///home/me/paper', 'file:///a\nvscode-vfs://github/x/y', 'Möller 論文']) {
      assert.equal(sha256Text(text), nodeSha256(text));
    }
  });
});
