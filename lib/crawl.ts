// The crawl as a user runs it: pick a design, wrap the fetcher in the seams the options ask for,
// and report every discovered URL exactly once, also the ones a limit or a stop left unfetched.
import { ConcurrentChannel } from './channel.js';
import { ConcurrentMutex, makeState } from './mutex.js';
import { Serial } from './serial.js';
import { limit, once } from './limit.js';
import type { CrawlOptions, Fetcher, Result, Skipped } from './types.js';

export const variants = ['serial', 'mutex', 'channel'] as const;
export type Variant = (typeof variants)[number];

/** The three designs behind one signature. */
export const designs: Record<Variant, (url: string, fetcher: Fetcher, options: CrawlOptions) => AsyncGenerator<Result>> = {
  serial: (url, fetcher, options) => Serial(url, fetcher, new Map(), options),
  mutex: (url, fetcher, options) => ConcurrentMutex(url, fetcher, makeState(), options),
  channel: (url, fetcher, options) => ConcurrentChannel(url, fetcher, options),
};

export interface CrawlerOptions extends CrawlOptions {
  /** Which design crawls. Default: 'channel'. */
  variant?: Variant;
  /** At most this many fetches in flight (the concurrent designs). Default: Infinity, as in Go. */
  concurrency?: number;
}

/**
 * Crawls from `url` with one of the designs. Yields one result per URL discovered: found or failed
 * for each fetch as it ends, then skipped ones (beyond maxDepth, or unfetched when the signal aborted).
 */
export async function* crawl(url: string, fetcher: Fetcher, options: CrawlerOptions = {}): AsyncGenerator<Result> {
  const { variant = 'channel', concurrency = Infinity, ...crawlOptions } = options;
  if (concurrency !== Infinity) fetcher = limit(fetcher, concurrency);
  if ((crawlOptions.maxDepth ?? Infinity) !== Infinity) fetcher = once(fetcher);

  const reported = new Set<string>();
  const unreported = new Map<string, number>(); // discovered, not yet reported: URL -> depth it was found at
  for await (const r of designs[variant](url, fetcher, crawlOptions)) {
    reported.add(r.url);
    unreported.delete(r.url);
    yield r;
    if (r.kind !== 'found') continue;
    for (const u of r.page.urls) if (!reported.has(u) && r.depth + 1 < (unreported.get(u) ?? Infinity)) unreported.set(u, r.depth + 1);
    for (const { url: u, reason } of r.page.dropped ?? []) {
      if (reported.has(u) || unreported.has(u)) continue;
      reported.add(u);
      yield skip(u, r.depth + 1, reason);
    }
  }
  if (reported.size === 0) yield skip(url, 0, 'aborted'); // stopped before the first fetch: the start is owed
  const maxDepth = crawlOptions.maxDepth ?? Infinity;
  for (const [u, depth] of unreported) yield skip(u, depth, depth > maxDepth ? 'depth' : 'aborted');
}

function skip(url: string, depth: number, reason: Skipped['reason']): Skipped {
  return { kind: 'skipped', url, depth, reason };
}
