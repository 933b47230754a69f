// Fetcher seams that the designs never see: a concurrency cap, and fetch-once memory for depth limits.
import { Semaphore } from './sync.js';
import type { Fetcher, Page } from './types.js';

/** At most `k` fetches in flight at once; the others wait for a slot (or for their signal to abort). */
export function limit(fetcher: Fetcher, k: number): Fetcher {
  const slots = new Semaphore(k);
  return {
    async fetch(url, signal) {
      await slots.acquire(signal);
      try {
        return await fetcher.fetch(url, signal);
      } finally {
        slots.release();
      }
    },
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
