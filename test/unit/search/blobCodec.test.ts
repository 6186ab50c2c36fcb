import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blobCodec, jsonCodec, jsonKeptCodec } from '../../../src/core/search/blobCodec';
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

describe('jsonKeptCodec (a kept index head in the browser, which has no V8 serializer)', () => {
  // What a kept head holds: plain objects, arrays (with holes), numbers of every kind, strings, typed arrays.
  const plain = () => {
    const holes: (number | undefined)[] = [1.5];
    holes[3] = 2;
    return {
      key: 'k',
      sources: undefined,
      big: Uint32Array.from({ length: 5000 }, (_, i) => i * 7),
      small: [Float64Array.of(NaN, -0, 1 / 3, Infinity), Uint8Array.of(1, 2, 3), new Uint16Array()],
      numbers: [NaN, -0, 0, Infinity, -Infinity, 1e300, 5e-324, 2 ** 53 + 2, -1],
      holes,
      nested: { wide: Uint16Array.from({ length: 3000 }, (_, i) => i), text: 'Möller \u0000 "論文" \ud83d\udcda', flag: true, none: null },
      part: Uint32Array.from({ length: 9000 }, (_, i) => i).subarray(1000, 3000),
    };
  };

  it('reads back what it wrote: every typed array as its kind, holes, NaN, ±Infinity and -0', () => {
    const read = jsonKeptCodec.decode(jsonKeptCodec.encode(plain())) as ReturnType<typeof plain>;
    const { sources, ...expected } = plain();
    assert.equal(sources, undefined);
    assert.deepEqual(read, expected);
    assert.ok(Object.is(read.numbers[1], -0) && Object.is(read.small[0][1], -0));
    assert.equal(read.holes.length, 4);
    assert.ok(!(1 in read.holes) && !(2 in read.holes), 'holes stay holes');
    assert.equal(Object.keys(read).includes('sources'), false);
  });

  it('reads every typed array as a view on the bytes read when they lie aligned', () => {
    const bytes = jsonKeptCodec.encode(plain());
    const read = jsonKeptCodec.decode(bytes) as ReturnType<typeof plain>;
    for (const array of [read.big, read.small[0], read.small[1], read.nested.wide, read.part]) {
      assert.equal(array.buffer, bytes.buffer);
    }
  });

  it('refuses to write what JSON would write as something else, and bytes that are not its JSON', () => {
    for (const bad of [{ map: new Map([[1, 'one']]) }, { set: new Set() }, { date: new Date(0) }, { n: 1n }, { f: () => 1 }, [new (class Point {})()]]) {
      assert.throws(() => jsonKeptCodec.encode(bad), /jsonCodec cannot write/);
    }
    assert.throws(() => jsonCodec.decode(Uint8Array.of(0x7b, 0xff, 0x7d)));
    assert.throws(() => jsonCodec.decode(new TextEncoder().encode('{"a":')));
    assert.throws(() => jsonKeptCodec.decode(keptCodec.encode(value())), /kept head|JSON|Unexpected|not valid/i);
  });
});
