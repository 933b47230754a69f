// A crawl shared by many processes through Redis, as a user runs it: connect, start or join the
// crawl by name, wrap the fetcher in the seams the options ask for, and run the Redis design.
import { RedisChannel } from './designs/redis.js';
import { CrawlLostError, InputError } from './errors.js';
import { RedisCrawl, RedisCrawlError, type CrawlIdentity, type CrawlStatus } from './runtime/redis.js';
import { Politeness } from './seams/politeness.js';
import type { RobotsOptions } from './seams/robots.js';
import type { ScopeOptions } from './seams/scope.js';
import type { Fetcher, Result } from './types.js';

export interface SharedCrawlOptions {
  /** redis://host:port of the Redis that holds the crawl. */
  redis: string;
  /** The crawl's name: processes with the same name share one crawl. */
  name: string;
  /** What makes the crawl what it is (start, depth, scope, the graph): a process that joins must agree. */
  identity: CrawlIdentity;
  maxDepth?: number;
  /** At most this many fetches, all processes together; the URLs left are reported skipped 'max-pages', once. */
  maxPages?: number;
  /** This process's fetches in flight. Default: redisDefaults.concurrency (16). */
  concurrency?: number;
  /** A process silent on its entries this long is presumed dead and its entries taken. Default: redisDefaults.leaseMs (5000). */
  leaseMs?: number;
  scope?: ScopeOptions;
  /** Obeyed by each process; each origin's robots.txt is requested once for the whole crawl. */
  robots?: RobotsOptions;
  /** At most this many requests in flight to one host, all processes together. */
  perHost?: number;
  /** At least this long between the starts of two requests to one host, all processes together (and at least a robots.txt's Crawl-delay). */
  delayMs?: number;
  signal?: AbortSignal;
  /** One result's report line; `t0` is the crawl's start on this process's performance.now() clock. */
  line: (r: Result, t0: number) => string;
}

/** Crawls from `url` with the other processes of crawl `name`; yields the lines this process reported. */
export async function* crawlShared(url: string, fetcher: Fetcher, options: SharedCrawlOptions): AsyncGenerator<string> {
  const { maxDepth = Infinity, scope, robots, perHost, delayMs = 0, signal } = options;
  const crawl = await RedisCrawl.connect(options.redis, options.name, { maxDepth, maxPages: options.maxPages, leaseMs: options.leaseMs }).catch(rethrow);
  try {
    await crawl.join(url, options.identity);
    const t0 = crawl.t0 - performance.timeOrigin;
    const politeness = new Politeness({ perHost, delayMs, turns: crawl.hosts }); // the cap and the delay hold for all processes together
    fetcher = politeness.capped(fetcher);
    if (scope !== undefined) {
      const { scopeTest, scoped } = await import('./seams/scope.js');
      fetcher = scoped(fetcher, scopeTest(url, scope));
    }
    if (robots !== undefined) {
      const { Robots } = await import('./seams/robots.js');
      fetcher = new Robots({ ...robots, signal, files: crawl.robotsFiles, onCrawlDelay: (host, seconds) => politeness.crawlDelay(host, seconds) }).filter(
        fetcher,
      );
    }
    yield* RedisChannel(crawl, fetcher, {
      maxDepth: options.maxDepth,
      concurrency: options.concurrency,
      leaseMs: options.leaseMs,
      signal,
      line: (r) => options.line(r, t0),
    });
  } catch (error) {
    rethrow(error);
  } finally {
    // Stopped (SIGINT, a consumer that left): the fetches it cut short go back to the others now.
    // A Redis that fails or is gone (waited for up to a second, not the minute a crawl waits) is
    // not needed for that: they come back all the same once the lease runs out.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([crawl.release().catch(() => 0), new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
    clearTimeout(timer);
    crawl.close();
  }
}

/** A shared crawl's whole report (`report`) or its counts (`status`), read from Redis. */
export async function readShared(
  redis: string,
  name: string,
): Promise<{ report: () => AsyncGenerator<string>; status: () => Promise<CrawlStatus>; close: () => void }> {
  const crawl = await RedisCrawl.connect(redis, name, { maxDepth: Infinity }).catch(rethrow);
  return {
    async *report() {
      try {
        yield* crawl.report();
      } catch (error) {
        rethrow(error);
      }
    },
    status: () => crawl.status().catch(rethrow),
    close: () => crawl.close(),
  };
}

/** A RedisCrawlError as what a user is told: bad input (Redis unreachable, options that disagree) or a lost crawl. */
function rethrow(error: unknown): never {
  if (!(error instanceof RedisCrawlError)) throw error;
  throw error.kind === 'lost' ? new CrawlLostError(error.message) : new InputError(error.message);
}
