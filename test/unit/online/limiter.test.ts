import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RequestGate, retryAfterMs, type Clock } from '../../../src/core/online/limiter';

/** A clock that advances only when every pending timer is due, in order. */
function fakeClock(): Clock & { readonly starts: number[] } {
  let now = 0;
  const timers: { at: number; resolve: () => void }[] = [];
  const clock = {
    starts: [] as number[],
    now: () => now,
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        timers.push({ at: now + ms, resolve });
        timers.sort((a, b) => a.at - b.at);
        queueMicrotask(() => void fire());
      }),
  };
  async function fire(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    const next = timers.shift();
    if (next) {
      now = Math.max(now, next.at);
      next.resolve();
    }
  }
  return clock;
}

describe('request limits', () => {
  it('spaces arXiv requests three seconds apart, one at a time', async () => {
    const clock = fakeClock();
    const gate = new RequestGate({ spacingMs: 3000, concurrency: 1 }, clock);
    const starts: number[] = [];
    await Promise.all([1, 2, 3].map(() => gate.run(async () => void starts.push(clock.now()))));
    assert.deepEqual(starts, [0, 3000, 6000]);
  });

  it('runs up to the concurrency limit at once', async () => {
    const gate = new RequestGate({ spacingMs: 0, concurrency: 2 }, fakeClock());
    let running = 0;
    let most = 0;
    const task = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setImmediate(r));
      running--;
    };
    await Promise.all(Array.from({ length: 6 }, () => gate.run(task)));
    assert.equal(most, 2);
  });

  it('waits out a pause the service asked for', async () => {
    const clock = fakeClock();
    const gate = new RequestGate({ spacingMs: 0, concurrency: 1 }, clock);
    gate.pauseUntil(5000);
    assert.equal(gate.pausedUntil, 5000);
    let at = -1;
    await gate.run(async () => void (at = clock.now()));
    assert.equal(at, 5000);
  });

  it('reads Retry-After as seconds or a date', () => {
    assert.equal(retryAfterMs('2', 0), 2000);
    assert.equal(retryAfterMs('Thu, 01 Jan 1970 00:01:00 GMT', 0), 60_000);
    assert.equal(retryAfterMs('soon', 0), undefined);
    assert.equal(retryAfterMs(undefined, 0), undefined);
  });
});
