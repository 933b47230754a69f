// What every design does at one URL beyond the Go lines: the depth bookkeeping and the guarded fetch.
import { errorMessage } from '../runtime/error.js';
import type { CrawlOptions, Failed, Fetcher, Found, Skipped } from '../types.js';

/**
 * The value a design's fetched map holds for a URL: the hops it may still follow from there
 * (Go's map holds `true`). With no depth limit every value is Infinity, so "seen" is all that counts.
 */
export function depthLeft(options: CrawlOptions, depth: number): number {
  return (options.maxDepth ?? Infinity) - depth;
}

/** Go's `!fetched[url]`, with depth: never seen, or seen along a longer path than this one. */
export function worthVisit(seen: number | undefined, left: number): boolean {
  return seen === undefined || seen < left;
}

/**
 * Go's `urls, err := fetcher.Fetch(url)`, as one result: never rejects, so a fetcher that throws
 * cannot crash a crawl. Once `signal` has aborted, no fetch starts and the URL is reported skipped.
 */
export async function fetchResult(fetcher: Fetcher, url: string, depth: number, signal?: AbortSignal): Promise<Found | Failed | Skipped> {
  if (signal?.aborted) return { kind: 'skipped', url, depth, reason: 'aborted' };
  const start = performance.now();
  try {
    const page = await fetcher.fetch(url, signal);
    return { kind: 'found', url, depth, page, start, end: performance.now() };
  } catch (error) {
    if (signal?.aborted) return { kind: 'skipped', url, depth, reason: 'aborted' };
    return { kind: 'failed', url, depth, error: errorMessage(error), ...statusOf(error), start, end: performance.now() };
  }
}

function statusOf(error: unknown): { status?: number } {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? { status } : {};
}
