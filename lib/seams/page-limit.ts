// The page limit's gate: a Fetcher seam that lets the first n fetches start and holds the rest.
import { onAbort } from '../runtime/abort.js';
import type { Fetcher } from '../types.js';

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
