// Fetcher seams that the designs never see: a concurrency cap, fetch-once memory for depth limits,
// the page limit's gate, the in-flight count a progress line reads, and when each request ran.
import pLimit from 'p-limit';
import { onAbort } from '../runtime/abort.js';
import type { Fetcher, Page } from '../types.js';

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

/** Counts the fetches on the wire: the innermost seam, so waiting for a slot or a delay is not counted. */
export function inFlight(fetcher: Fetcher, counts: { inFlight: number }): Fetcher {
  return {
    async fetch(url, signal) {
      counts.inFlight += 1;
      try {
        return await fetcher.fetch(url, signal);
      } finally {
        counts.inFlight -= 1;
      }
    },
  };
}

/**
 * Notes when each request really ran, innermost like inFlight: a result's own start is taken before
 * the seams, so under a cap, a delay or robots.txt it also counts the wait. `ran` maps URL -> [start, end].
 */
export function timed(fetcher: Fetcher, ran: Map<string, [number, number]>): Fetcher {
  return {
    async fetch(url, signal) {
      const start = performance.now();
      try {
        return await fetcher.fetch(url, signal);
      } finally {
        ran.set(url, [start, performance.now()]);
      }
    },
  };
}

/**
 * Lets the first `n` fetches start; any later one waits until `signal` aborts, which crawl() does
 * once those n have been reported. So the page limit never overshoots and never cuts a fetch short.
 */
export function firstN(fetcher: Fetcher, n: number): Fetcher {
  let started = 0;
  return {
    async fetch(url, signal) {
      if (started >= n) {
        if (signal === undefined) throw new Error('a page limit needs the crawl signal');
        // held until crawl() aborts the signal, then rejected with its reason, as the Fetcher contract asks
        await new Promise((_, reject) => (signal.aborted ? reject(signal.reason as Error) : onAbort(signal, reject)));
      }
      started += 1;
      return fetcher.fetch(url, signal);
    },
  };
}
