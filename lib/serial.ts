// Serial crawler: depth-first recursion over a fetched map (Go: crawler.go, func Serial).
import type { CrawlOptions, Fetcher, Result } from './types.js';
import { depthLeft, fetchResult, worthVisit } from './visit.js';

export async function* Serial(
  url: string,
  fetcher: Fetcher,
  fetched = new Map<string, number>(), // TS: holds the hops left from each URL (depthLeft), Go holds true
  options: CrawlOptions = {},
  depth = 0,
): AsyncGenerator<Result> {
  const left = depthLeft(options, depth);
  const seen = fetched.get(url);
  if (!worthVisit(seen, left)) {
    return;
  }
  fetched.set(url, left);
  const r = await fetchResult(fetcher, url, depth, options.signal);
  if (seen === undefined) yield r; // TS: the generator reports each fetch; a shorter path re-expands silently
  if (r.kind !== 'found' || left <= 0) {
    return;
  }
  for (const u of r.page.urls) {
    yield* Serial(u, fetcher, fetched, options, depth + 1);
  }
}
