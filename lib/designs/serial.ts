// Serial crawler: depth-first recursion over a fetched map (Go: crawler.go, func Serial).
import { funnel } from '../runtime/funnel.js';
import type { CrawlOptions, Fetcher, Result } from '../types.js';
import { depthLeft, fetchResult, worthVisit } from './visit.js';

// TS: the recursion sends its results to the generator: yield* through thousands of nested
// generators overflows the stack, and a depth-first path on a large site is that deep. One at a
// time, so the recursion waits for each result to be taken and stays in step with its caller.
export function Serial(url: string, fetcher: Fetcher, fetched = new Map<string, number>(), options: CrawlOptions = {}): AsyncGenerator<Result> {
  return funnel<Result>(options.signal, 1, (results, signal) => {
    const serial = async (url: string, depth: number): Promise<void> => {
      const left = depthLeft(options, depth); // TS: the map holds the hops left from a URL, Go's holds true
      const seen = fetched.get(url);
      if (!worthVisit(seen, left)) {
        return;
      }
      fetched.set(url, left);
      const r = await fetchResult(fetcher, url, depth, signal);
      if (seen === undefined) await results.send(r); // TS: a shorter path re-expands a page silently
      if (r.kind !== 'found' || left <= 0) {
        return;
      }
      for (const u of r.page.urls) {
        await serial(u, depth + 1);
      }
    };
    return serial(url, 0);
  });
}
