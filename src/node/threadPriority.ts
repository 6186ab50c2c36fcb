// THE rule for how a thread of ours that does background work (the index worker, its
// tokenizer) shares the cores with the extension host it runs in.
import { setPriority } from 'node:os';

/**
 * The nice value of a background thread: on two cores, with the worker indexing at the
 * host's priority, the host's longest event-loop blocks were as much waiting for a core
 * as running (the load bench's schedstat); at nice 10 the scheduler gives the host a core
 * when it wakes. See ARCHITECTURE.md, "The worker below the host's priority".
 */
export const BACKGROUND_NICE = 10;

/**
 * Lowers the calling thread's priority to BACKGROUND_NICE, on Linux only: there a nice
 * value is each thread's own (setpriority on "0" names the calling thread); on macOS and
 * Windows the same call names the whole process, the extension host with it. Never
 * throws: where the system refuses (a sandbox), the thread runs as it did. Returns
 * whether the priority was lowered.
 */
export function asBackgroundThread(platform: NodeJS.Platform = process.platform, set: (pid: number, nice: number) => void = setPriority): boolean {
  if (platform !== 'linux') {
    return false;
  }
  try {
    set(0, BACKGROUND_NICE);
    return true;
  } catch {
    return false;
  }
}
