import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentDigest } from '../../../src/core/text/digest';
import { sha256InSlices } from '../../../src/node/contentHash';

describe('sha256InSlices (the desktop host’s digest of a .bib)', () => {
  it('gives the same digest as Web Crypto, for bytes and text, across slices', async () => {
    const big = new Uint8Array(9 * 1024 * 1024 + 17).map((_, i) => (i * 31) % 251);
    for (const content of [new Uint8Array(), 'x', 'Möller, Łukasz and 論文 \ud83d\udcda', 'lone \ud800 surrogate', big]) {
      assert.equal(await sha256InSlices(content), await contentDigest(content));
    }
  });
});
