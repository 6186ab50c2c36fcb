import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentDigest } from '../../../src/core/text/digest';
import { sha256InSlices } from '../../../src/node/contentHash';
import { PiecedText } from '../../../src/core/text/pieces';

describe('sha256InSlices (the desktop host’s digest of a .bib)', () => {
  it('gives the same digest as Web Crypto, for bytes and text, across slices', async () => {
    const big = new Uint8Array(9 * 1024 * 1024 + 17).map((_, i) => (i * 31) % 251);
    for (const content of [new Uint8Array(), 'x', 'Möller, Łukasz and 論文 \ud83d\udcda', 'lone \ud800 surrogate', big]) {
      assert.equal(await sha256InSlices(content), await contentDigest(content));
    }
  });

  it('gives the digest of the whole text for a text in pieces (an open document read a block of lines at a time)', async () => {
    const text = 'Möller, Łukasz and 論文 \ud83d\udcda\n'.repeat(50);
    const pieces = new PiecedText(text.match(/(?:[^\n]*\n){1,7}/g)!);
    assert.equal(pieces.pieces.length, 8);
    assert.equal(await sha256InSlices(pieces), await contentDigest(text));
    assert.equal(await contentDigest(pieces), await contentDigest(text));
  });
});
