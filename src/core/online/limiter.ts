// How often each service is asked: at most N requests in flight, a minimum spacing
// between their starts (arXiv: 3 s), and a pause a service asked for (Retry-After).
// Time is injected, so the rules are tested with a fake clock.

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

export interface Limits {
  /** Minimum time between the starts of two requests. */
  readonly spacingMs: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
}

/** `Retry-After` as milliseconds from now: seconds, or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  if (!header) {
    return undefined;
  }
  const text = header.trim();
  if (/^\d+$/.test(text)) {
    return Number(text) * 1000;
  }
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A queue in front of one service. */
export class RequestGate {
  private inFlight = 0;
  private lastStart = -Infinity;
  private blockedUntil = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private limits: Limits,
    private readonly clock: Clock = realClock,
  ) {}

  /** The service told us its limits (Crossref's headers): follow them from now on. */
  setLimits(limits: Limits): void {
    this.limits = { spacingMs: Math.max(0, limits.spacingMs), concurrency: Math.max(1, Math.floor(limits.concurrency)) };
  }

  /** The service asked for a pause (429/503 with Retry-After). */
  pauseUntil(time: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, time);
  }

  /** When the service takes requests again (0: now). */
  get pausedUntil(): number {
    return this.blockedUntil > this.clock.now() ? this.blockedUntil : 0;
  }

  /** Runs a request when a slot is free and the spacing and any pause have passed. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.limits.concurrency) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.inFlight++;
    try {
      const wait = Math.max(this.lastStart + this.limits.spacingMs, this.blockedUntil) - this.clock.now();
      // Claim the start time before waiting, so a request queued behind waits its own spacing.
      this.lastStart = Math.max(this.clock.now(), this.lastStart + this.limits.spacingMs, this.blockedUntil);
      if (wait > 0) {
        await this.clock.sleep(wait);
      }
      return await task();
    } finally {
      this.inFlight--;
      this.waiting.shift()?.();
    }
  }
}
