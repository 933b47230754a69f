// ConcurrentChannel across processes (Go: crawler.go, worker, coordinator and ConcurrentChannel):
// the channel is a Redis Stream that every process reads, and the coordinator's loop body (the
// fetched map, n) is one atomic step in Redis (runtime/redis.ts), so no process coordinates.
import type { Entry, RedisCrawl } from '../runtime/redis.js';
import { redisDefaults } from '../runtime/redis-defaults.js';
import { eitherSignal, firstOrAfter } from '../runtime/abort.js';
import { funnelBuffer } from '../runtime/chan.js';
import { funnel } from '../runtime/funnel.js';
import type { CrawlOptions, Failed, Fetcher, Found, Result } from '../types.js';
import { depthLeft, fetchResult } from './visit.js';

export interface RedisChannelOptions extends CrawlOptions {
  /** Entries this process holds at once: its fetches in flight. Default: redisDefaults.concurrency. */
  concurrency?: number;
  /** Resets the idle time of this process's entries this often, so no live fetch is taken. */
  leaseMs?: number;
  /** One result's report line. */
  line: (r: Result) => string;
}

// TS: Go's worker sends its URLs on ch; here send() is the coordinator's step too, and answers with the lines this process reported.
async function worker(e: Entry, crawl: RedisCrawl, fetcher: Fetcher, options: RedisChannelOptions, signal: AbortSignal): Promise<string[]> {
  const r = e.first ? await fetchResult(fetcher, e.url, e.depth, signal) : await relinked(crawl, e); // TS: a shorter path re-expands a page without fetching it again
  if (r.kind === 'skipped') return []; // TS: stopped: the entry stays pending, and another process takes it after the lease
  const line = e.first ? options.line(e.parent === '' ? r : { ...r, parent: e.parent }) : undefined;
  const dropped =
    r.kind === 'found'
      ? (r.page.dropped ?? []).map(({ url, reason }) => ({ url, line: options.line({ kind: 'skipped', url, depth: e.depth + 1, reason, parent: e.url }) }))
      : [];
  const links = r.kind === 'found' && options.maxDepth !== undefined ? r.page.urls : undefined;
  if (r.kind !== 'found' || depthLeft(options, e.depth) <= 0) {
    return crawl.send(e, { line, urls: [], beyond: r.kind === 'found' ? r.page.urls : [], dropped, links });
  } else {
    return crawl.send(e, { line, urls: r.page.urls, beyond: [], dropped, links });
  }
}

async function relinked(crawl: RedisCrawl, e: Entry): Promise<Found | Failed> {
  const urls = await crawl.links(e.url);
  if (urls === undefined) return { kind: 'failed', url: e.url, depth: e.depth, error: 'not found before', start: 0, end: 0 };
  return { kind: 'found', url: e.url, depth: e.depth, page: { url: e.url, urls }, start: 0, end: 0 };
}

/** Yields the report lines this process wrote to the crawl's results; all processes' lines together are the whole crawl, each URL once. */
export async function* RedisChannel(crawl: RedisCrawl, fetcher: Fetcher, options: RedisChannelOptions): AsyncGenerator<string> {
  const { concurrency = redisDefaults.concurrency, leaseMs = redisDefaults.leaseMs } = options;
  yield* funnel<string>(options.signal, funnelBuffer, async (results, outer) => {
    const over = new AbortController(); // TS: n is 0: a fetch still here was taken by another process after its lease
    const signal = eitherSignal(outer, over.signal);
    const inFlight = new Map<string, Promise<void>>();
    let failure: { error: unknown } | undefined; // TS: the first failure stops the others, and is what the task ends with
    const fail = (error: unknown) => ((failure ??= { error }), over.abort(error));
    let touched = Date.now();
    try {
      while (!signal.aborted) {
        if (inFlight.size >= concurrency) {
          await firstOrAfter(leaseMs / 3, inFlight.values()); // TS: fetches slower than a lease are renewed below all the same
        } else {
          const got = await crawl.receive(concurrency - inFlight.size);
          if (got === 'over') break;
          for (const l of got.lines) await results.send(l); // TS: the page limit ended the crawl: the URLs it left, reported skipped
          for (const e of got.entries) {
            if (inFlight.has(e.id)) continue;
            const task = worker(e, crawl, fetcher, options, signal)
              .then(async (lines) => {
                for (const l of lines) await results.send(l);
              })
              .catch(fail)
              .finally(() => inFlight.delete(e.id));
            inFlight.set(e.id, task);
          }
        }
        if (Date.now() - touched > leaseMs / 3) {
          touched = Date.now();
          await crawl.touch([...inFlight.keys()]);
        }
      }
    } catch (error) {
      fail(error);
    }
    over.abort();
    await Promise.all(inFlight.values());
    if (failure !== undefined) throw failure.error;
  });
}
