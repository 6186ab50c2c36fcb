import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Latest } from '../../../src/core/text/slices';

/** A loop of `steps` steps that pauses between them, counting the steps it did. */
const loop = (steps: number, done: number[], i: number) => async (pause: () => Promise<void>) => {
  for (let k = 0; k < steps; k++) {
    await pause();
    done[i]++;
  }
  return `run ${i}`;
};

describe('Latest (only the latest run of a long loop counts)', () => {
  it('stops the earlier runs at their next pause: one run does all its steps, the others none past the newer start', async () => {
    const latest = new Latest();
    const done = [0, 0, 0];
    const pause = () => new Promise<void>((resolve) => setImmediate(resolve));
    const first = latest.run(loop(50, done, 0), pause);
    await pause();
    await pause();
    const second = latest.run(loop(50, done, 1), pause);
    const third = latest.run(loop(50, done, 2), pause);
    assert.deepEqual(await Promise.all([first, second, third]), [undefined, undefined, 'run 2']);
    assert.equal(done[2], 50);
    assert.ok(done[0] <= 2, `the first run did ${done[0]} steps`);
    assert.equal(done[1], 0);
  });

  it('lets a run that nothing superseded finish, passes its errors on, and stops every run on cancel', async () => {
    const latest = new Latest();
    const done = [0, 0];
    assert.equal(await latest.run(loop(5, done, 0)), 'run 0');
    await assert.rejects(
      latest.run(async () => {
        throw new Error('broken');
      }),
      /broken/,
    );
    const cancelled = latest.run(loop(5, done, 1));
    latest.cancel();
    assert.equal(await cancelled, undefined);
    assert.equal(done[1], 0);
  });
});
