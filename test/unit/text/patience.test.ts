import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withPatience } from '../../../src/core/text/patience';

describe('withPatience', () => {
  it('gives what came in time', async () => {
    assert.equal(await withPatience(Promise.resolve(42), 60_000), 42);
  });

  it('gives undefined for what never comes, once the patience is spent', async () => {
    assert.equal(await withPatience(new Promise<number>(() => undefined), 5), undefined);
  });

  it('passes on a failure that came in time', async () => {
    await assert.rejects(withPatience(Promise.reject(new Error('no')), 60_000), /no/);
  });
});
