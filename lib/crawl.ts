// The crawl as a user runs it: pick a design, wrap the fetcher in the seams the options ask for,
// and report every discovered URL exactly once, also the ones a limit or a stop left unfetched.
import { once as onceEvent } from 'node:events';
import { ConcurrentChannel } from './channel.js';
import { ConcurrentMutex, makeState } from './mutex.js';
import { Serial } from './serial.js';
import { limit, once } from './limit.js';
import { Politeness } from './politeness.js';
import type { RobotsOptions } from './robots.js';
import type { ScopeOptions } from './scope.js';
import type { CrawlCounts, CrawlOptions, Fetcher, Result, SkipReason, Skipped } from './types.js';

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
  /**
   * At most this many fetches start (a redirect answer is one). When they have all ended the crawl
   * stops, and every URL discovered but not fetched is reported skipped with reason 'max-pages'.
   * Default: Infinity.
   */
  maxPages?: number;
  /** Stop after this many milliseconds: fetches in flight are aborted, the rest skipped 'max-time'. */
  maxTimeMs?: number;
  /** Follow only the links in this scope, the start URL deciding the origin. Default: no filter. */
  scope?: ScopeOptions;
  /** Obey robots.txt (and its Crawl-delay). Default: not consulted; a fixture graph has none. */
  robots?: RobotsOptions;
  /** At most this many fetches in flight to one host (name:port). Default: Infinity. */
  perHost?: number;
  /** At least this many milliseconds between the starts of two fetches to one host. Default: 0. */
  delayMs?: number;
  /** Called once, before the first fetch, with a function that reads the crawl's live counts. */
  watch?: (counts: () => CrawlCounts) => void;
}

/**
 * Crawls from `url` with one of the designs. Yields one result per URL discovered: found or failed
 * for each fetch as it ends, skipped for links a seam dropped (scope, robots) as they are met, and
 * at the end the rest: beyond maxDepth, or left unfetched when a limit or the signal stopped it.
 */
export async function* crawl(url: string, fetcher: Fetcher, options: CrawlerOptions = {}): AsyncGenerator<Result> {
  const { variant = 'channel', concurrency = Infinity, maxPages = Infinity, maxTimeMs = Infinity, scope, robots, perHost, delayMs = 0, watch, ...crawlOptions } = options;
  const maxDepth = crawlOptions.maxDepth ?? Infinity;

  // A limit stops the crawl through its own controller, remembering which limit it was.
  const stop = new AbortController();
  let stopReason: SkipReason | undefined;
  const halt = (reason: SkipReason) => {
    if (stop.signal.aborted) return;
    stopReason ??= reason;
    stop.abort(new Error(`stopped: ${reason}`));
  };
  const signal = crawlOptions.signal === undefined ? stop.signal : AbortSignal.any([crawlOptions.signal, stop.signal]);
  const why = (): SkipReason => (crawlOptions.signal?.aborted ? 'aborted' : (stopReason ?? 'aborted'));

  // The seams, innermost first. See Politeness for why its two halves sit either side of the cap.
  const counts = { done: 0, skipped: 0, inFlight: 0 };
  if (watch !== undefined) fetcher = inFlight(fetcher, counts); // only a watcher reads it, and it costs a promise per fetch
  const politeness = new Politeness({ perHost, delayMs });
  if (delayMs > 0 || robots !== undefined) fetcher = politeness.spaced(fetcher);
  if (concurrency !== Infinity) fetcher = limit(fetcher, concurrency);
  fetcher = politeness.capped(fetcher);
  if (maxPages !== Infinity) fetcher = firstN(fetcher, maxPages);
  // The scope and robots seams load on first use: their libraries (got, tldts) cost a crawl that
  // needs neither about 100 ms and 30 MB at start.
  if (scope !== undefined) {
    const { scopeTest, scoped } = await import('./scope.js');
    fetcher = scoped(fetcher, scopeTest(url, scope));
  }
  const rules = robots && new (await import('./robots.js')).Robots({ ...robots, signal, onCrawlDelay: (host, seconds) => (politeness.crawlDelay(host, seconds), robots.onCrawlDelay?.(host, seconds)) });
  if (rules !== undefined) fetcher = rules.filter(fetcher);
  if (maxDepth !== Infinity) fetcher = once(fetcher);

  const known = new Known();
  watch?.(() => ({ done: counts.done, skipped: counts.skipped, inFlight: counts.inFlight, queued: Math.max(0, known.pending(maxDepth) - counts.inFlight) }));
  const timer = maxTimeMs === Infinity ? undefined : setTimeout(() => halt('max-time'), maxTimeMs);
  try {
    if (maxPages <= 0) halt('max-pages');
    if (rules !== undefined && !signal.aborted) {
      const allowed = await rules.allowed(url, signal).catch(() => undefined); // rejects only when stopped
      if (allowed === false) {
        counts.skipped += 1;
        yield skip(url, 0, 'robots');
        return;
      }
    }
    for await (let r of designs[variant](url, fetcher, { ...crawlOptions, signal })) {
      if (r.kind === 'skipped' && r.reason === 'aborted') r = { ...r, reason: why() };
      known.report(r);
      if (r.kind === 'skipped') counts.skipped += 1;
      else counts.done += 1;
      yield r;
      if (r.kind === 'found') {
        for (const u of r.page.urls) known.link(u, r.depth + 1, r.url);
        for (const { url: u, reason } of r.page.dropped ?? []) {
          if (!known.dropped(u)) continue;
          counts.skipped += 1;
          yield { ...skip(u, r.depth + 1, reason), parent: r.url };
        }
      }
      // Every fetch that started has ended and been reported: the page limit stops the crawl here.
      if (counts.done >= maxPages) halt('max-pages');
    }
    if (known.reported === 0) yield skip(url, 0, why()); // stopped before the first fetch: the start is owed
    for (const [u, depth, parent] of known.unreported()) yield withParent(skip(u, depth, depth > maxDepth ? 'depth' : why()), parent);
  } finally {
    clearTimeout(timer);
  }
}

/** Marks a URL reported: it was fetched or skipped, and links to it need no more bookkeeping. */
const REPORTED = 0;

/**
 * Every URL discovered, in one map (a large crawl meets each URL several times, so one lookup per
 * link counts): reported, or not yet and then the least depth it was found at and which page
 * discovered it from each depth. That page is the result's parent, so a result at depth d gets a
 * parent at depth d - 1 (the design may have reached it along a longer path than the shortest known).
 */
class Known {
  readonly #urls = new Map<string, Discovered | typeof REPORTED>();
  #unreported = 0;
  reported = 0;

  /** A link from `parent` to `url`, found at `depth`. */
  link(url: string, depth: number, parent: string): void {
    const d = this.#urls.get(url);
    if (d === REPORTED) return;
    if (d === undefined) {
      this.#urls.set(url, { least: depth, depth, parent, next: undefined });
      this.#unreported += 1;
      return;
    }
    if (depth < d.least) d.least = depth;
    let at: ParentAt = d;
    for (;;) {
      if (at.depth === depth) return;
      if (at.next === undefined) break;
      at = at.next;
    }
    at.next = { depth, parent, next: undefined };
  }

  /** Gives `r` its parent (a fresh result, so it is set in place) and forgets the URL's links. */
  report(r: Result): void {
    const d = this.#urls.get(r.url);
    this.#urls.set(r.url, REPORTED);
    this.reported += 1;
    if (d === undefined || d === REPORTED) return;
    this.#unreported -= 1;
    const parent = parentAt(d, r.depth);
    if (parent !== undefined) r.parent = parent;
  }

  /** A link a seam dropped: true when it is to be reported now, the URL being new. */
  dropped(url: string): boolean {
    if (this.#urls.has(url)) return false;
    this.#urls.set(url, REPORTED);
    this.reported += 1;
    return true;
  }

  /** Discovered within `maxDepth` and not yet reported. */
  pending(maxDepth: number): number {
    if (maxDepth === Infinity) return this.#unreported;
    let n = 0;
    for (const d of this.#urls.values()) if (d !== REPORTED && d.least <= maxDepth) n += 1;
    return n;
  }

  /** The URLs never reported, with the least depth each was found at and a parent from there. */
  *unreported(): Generator<[string, number, string | undefined]> {
    for (const [url, d] of this.#urls) if (d !== REPORTED) yield [url, d.least, parentAt(d, d.least)];
  }
}

/** A page that links to a URL, from one depth; the next one from another depth. */
interface ParentAt {
  depth: number;
  parent: string;
  next: ParentAt | undefined;
}

interface Discovered extends ParentAt {
  /** The least depth a link to this URL was found at. */
  least: number;
}

function parentAt(d: ParentAt, depth: number): string | undefined {
  for (let at: ParentAt | undefined = d; at !== undefined; at = at.next) if (at.depth === depth) return at.parent;
  return undefined;
}

function withParent(r: Skipped, parent: string | undefined): Skipped {
  if (parent !== undefined) r.parent = parent;
  return r;
}

function skip(url: string, depth: number, reason: Skipped['reason']): Skipped {
  return { kind: 'skipped', url, depth, reason };
}

/** Counts the fetches on the wire: the innermost seam, so waiting for a slot or a delay is not counted. */
function inFlight(fetcher: Fetcher, counts: { inFlight: number }): Fetcher {
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
 * Lets the first `n` fetches start; any later one waits until `signal` aborts, which crawl() does
 * once those n have been reported. So the page limit never overshoots and never cuts a fetch short.
 */
function firstN(fetcher: Fetcher, n: number): Fetcher {
  let started = 0;
  // The held fetches share one abort listener per signal: Node's addEventListener compares each new
  // listener with all the others, and a page with 60,000 links took 28 s to stop at --max-pages 100.
  const aborted = new WeakMap<AbortSignal, Promise<unknown>>();
  return {
    async fetch(url, signal) {
      if (started >= n) {
        if (signal === undefined) throw new Error('a page limit needs the crawl signal');
        if (!signal.aborted) {
          let wait = aborted.get(signal);
          if (wait === undefined) aborted.set(signal, (wait = onceEvent(signal, 'abort')));
          await wait;
        }
        throw signal.reason;
      }
      started += 1;
      return fetcher.fetch(url, signal);
    },
  };
}
