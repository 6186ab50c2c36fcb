import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blobCodec } from '../../../src/core/search/blobCodec';
import { keptCodec, v8Codec } from '../../../src/node/folderCache';

const value = () => ({
  key: 'k',
  big: Uint32Array.from({ length: 5000 }, (_, i) => i * 7),
  list: [Float64Array.from({ length: 1000 }, (_, i) => i / 3), Uint8Array.of(1, 2, 3)],
  nested: { odd: Uint8Array.from({ length: 4099 }, (_, i) => i % 251), wide: Uint16Array.from({ length: 3000 }, (_, i) => i), text: 'x', map: new Map([[1, 'one']]) },
  part: Uint32Array.from({ length: 9000 }, (_, i) => i).subarray(1000, 3000),
});

describe('blobCodec (a kept index head)', () => {
  it('reads back what it wrote: typed arrays of every size and kind, where they were', () => {
    assert.deepEqual(keptCodec.decode(keptCodec.encode(value())), value());
  });

  it('reads the large arrays as views on the bytes read, and copies them only where they do not lie aligned', () => {
    const bytes = keptCodec.encode(value());
    const read = keptCodec.decode(bytes) as ReturnType<typeof value>;
    assert.equal(read.big.buffer, bytes.buffer);
    assert.equal(read.list[0].buffer, bytes.buffer);
    // The same bytes one byte further into a buffer: no array can be a view there.
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    const copied = keptCodec.decode(shifted) as ReturnType<typeof value>;
    assert.notEqual(copied.big.buffer, shifted.buffer);
    assert.deepEqual(copied, value());
  });

  it('refuses bytes of another layout, cut short or damaged', () => {
    const good = keptCodec.encode(value());
    const meta = new DataView(good.buffer).getUint32(4, true);
    const table = (v: unknown) => {
      const inner = v8Codec.encode(v);
      const out = new Uint8Array(8 + inner.length);
      out.set(good.subarray(0, 4));
      new DataView(out.buffer).setUint32(4, inner.length, true);
      out.set(inner, 8);
      return out;
    };
    for (const bad of [
      v8Codec.encode(value()), // V8's serializer alone
      good.subarray(0, 6),
      good.subarray(0, 8 + meta - 1),
      good.subarray(0, good.length - 8),
      table({ tree: { a: { '\u0000blob': 0 } }, table: [['Function', 0, 1]] }),
      table({ tree: { a: { '\u0000blob': 0 } }, table: [['Uint8Array', -8, 1]] }),
      table({ tree: { a: { '\u0000blob': 1 } }, table: [] }),
      table({ tree: {} }),
    ]) {
      assert.throws(() => blobCodec(v8Codec).decode(bad), /kept head|deserializ|Unable|data/i);
    }
  });
});
