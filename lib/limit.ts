// Fetcher seams that the designs never see: a concurrency cap, and fetch-once memory for depth limits.
import pLimit from 'p-limit';
import type { Fetcher, Page } from './types.js';

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

/**
 * Each URL fetched once; a repeat gets the first answer. A depth-limited crawl re-expands a page
 * that a shorter path reaches later, and this is what keeps that from fetching it twice.
 */
export function once(fetcher: Fetcher): Fetcher {
  const pages = new Map<string, Promise<Page>>();
  return {
    fetch(url, signal) {
      let page = pages.get(url);
      if (page === undefined) {
        page = fetcher.fetch(url, signal);
        pages.set(url, page);
      }
      return page;
    },
  };
}
