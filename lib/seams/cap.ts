// The concurrency cap: a Fetcher seam that lets at most k fetches be in flight at once.
import pLimit from 'p-limit';
import type { Fetcher } from '../types.js';

/**
 * At most `k` fetches in flight at once: a semaphore (p-limit). The others wait in line; once their
 * signal has aborted, a waiter that reaches a slot gives it up at once instead of fetching.
 */
export function limit(fetcher: Fetcher, k: number): Fetcher {
  const slots = pLimit(k);
  return {
    fetch: (url, signal) =>
      slots(() => {
        signal?.throwIfAborted();
        return fetcher.fetch(url, signal);
      }),
  };
}
