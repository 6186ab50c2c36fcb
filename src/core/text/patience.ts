// Waiting for something that may never come, for a while.

/**
 * What `promise` gives if it settles within `ms`; undefined once `ms` have passed first
 * (the promise is left to run; a rejection within `ms` is passed on). The timer is
 * cleared either way.
 */
export async function withPatience<T>(promise: PromiseLike<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
