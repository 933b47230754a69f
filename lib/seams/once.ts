// Fetch-once memory: a Fetcher seam that a depth-limited crawl needs, so no URL is fetched twice.
import type { Fetcher, Page } from '../types.js';

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
