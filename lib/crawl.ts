// The crawl as a user runs it: pick a design, wrap the fetcher in the seams the options ask for,
// and report every discovered URL exactly once, also the ones a limit or a stop left unfetched.
import { ConcurrentChannel, type ChannelOptions } from './designs/channel.js';
import { ConcurrentMutex, makeState } from './designs/mutex.js';
import { Serial } from './designs/serial.js';
import { limit } from './seams/cap.js';
import { ReportLedger } from './seams/ledger.js';
import { once } from './seams/once.js';
import { firstN } from './seams/page-limit.js';
import { Politeness, politenessDefaults } from './seams/politeness.js';
import { probe } from './seams/probe.js';
import { RedirectChains } from './seams/redirects.js';
import type { Extractor, Selectors } from './seams/extract.js';
import type { Resume } from './seams/resume.js';
import type { RobotsOptions } from './seams/robots.js';
import type { ScopeOptions } from './seams/scope.js';
import { seedRoots, seeded, seedsUrl, seedUrl, type Seed } from './seams/seeds.js';
import type { CrawlCounts, Fetcher, Page, Result, SkipReason, Skipped } from './types.js';

export const variants = ['serial', 'mutex', 'channel'] as const;
export type Variant = (typeof variants)[number];

/** The three designs behind one signature. */
export const designs: Record<Variant, (url: string, fetcher: Fetcher, options: ChannelOptions) => AsyncGenerator<Result>> = {
  serial: (url, fetcher, options) => Serial(url, fetcher, new Map(), options),
  mutex: (url, fetcher, options) => ConcurrentMutex(url, fetcher, makeState(), options),
  channel: (url, fetcher, options) => ConcurrentChannel(url, fetcher, options),
};

/** Each CrawlerOptions default that is a value (the CLI's --help shows these). */
export const crawlerDefaults = { variant: 'channel', concurrency: Infinity, maxPages: Infinity, maxTimeMs: Infinity } as const satisfies CrawlerOptions;

/** The designs' own options (ConcurrentChannel's channelBuffer among them), and the seams'. */
export interface CrawlerOptions extends ChannelOptions {
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
  /** Follow only the links in this scope, the start URLs deciding the origins. Default: no filter. */
  scope?: ScopeOptions;
  /** Obey robots.txt (and its Crawl-delay). Default: not consulted; a fixture graph has none. */
  robots?: RobotsOptions;
  /** At most this many fetches in flight to one host (name:port). Default: Infinity. */
  perHost?: number;
  /** At least this many milliseconds between the starts of two fetches to one host. Default: 0. */
  delayMs?: number;
  /** Called once, before the first fetch, with a function that reads the crawl's live counts. */
  watch?: (counts: () => CrawlCounts) => void;
  /**
   * Continue a stopped crawl: pages the earlier reports settled are answered from them and left
   * out of this crawl's results, which are every other URL once. Default: a fresh crawl.
   */
  resume?: Resume;
  /**
   * Extract from each page the fetcher kept the body of (HttpFetcher's keepBody, which may pick
   * the URLs): a callback given the page, its headers (keepHeaders) and its linkedom document,
   * built on first use, once; or a map NAME -> `SELECTOR` or `SELECTOR@attr` (see Selectors).
   * Its answer is `page.data`; the body and the DOM are let go before the page is reported. A
   * callback that throws fails its page. Default: none.
   */
  extract?: Extractor | Selectors;
  /**
   * Give each failed result `linkedFrom`: the found pages that link to it and were reported before
   * it. It is yielded at once, not held for pages found later (a killed process would lose it):
   * those list the URL in their own `urls`. Costs one entry per link to a URL not yet reported.
   * Default: false.
   */
  linkedFrom?: boolean;
}

/**
 * Crawls from `start` with one of the designs. Yields one result per URL discovered: found or failed
 * for each fetch as it ends, skipped for links a seam dropped (scope, robots) as they are met, and
 * at the end the rest: beyond maxDepth, or left unfetched when a limit or the signal stopped it.
 * Several seeds (see Seed) are each at depth 0, maxDepth counted from each, and each reported once.
 */
export async function* crawl(start: string | readonly Seed[], fetcher: Fetcher, options: CrawlerOptions = {}): AsyncGenerator<Result> {
  const {
    variant = crawlerDefaults.variant,
    concurrency = crawlerDefaults.concurrency,
    maxPages = crawlerDefaults.maxPages,
    maxTimeMs = crawlerDefaults.maxTimeMs,
    scope,
    robots,
    perHost,
    delayMs = politenessDefaults.delayMs,
    watch,
    resume,
    linkedFrom = false,
    extract,
    ...crawlOptions
  } = options;
  const maxDepth = crawlOptions.maxDepth ?? Infinity;
  // One start URL is the design's own; several start from the seeds page, one hop above them, left out of the report.
  const seeds = typeof start === 'string' || (start.length === 1 && typeof start[0] === 'string') ? undefined : start;
  const url = typeof start === 'string' ? start : seeds === undefined ? seedUrl(start[0]!) : seedsUrl;
  const hop = seeds === undefined ? 0 : 1;
  const seedSet = seeds && new Set(seeds.map(seedUrl));

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
  // The probe costs a promise per fetch, so it is there only when asked: the in-flight count when a
  // watcher reads it, the request's own times when a seam can make a fetch wait before its request.
  const waits = concurrency !== Infinity || perHost !== undefined || delayMs > 0 || robots !== undefined || maxPages !== Infinity;
  const ran = waits ? new Map<string, [number, number]>() : undefined;
  if (watch !== undefined || ran !== undefined) fetcher = probe(fetcher, { counts: watch === undefined ? undefined : counts, ran });
  if (extract !== undefined) {
    const { extracting, selectorsExtractor } = await import('./seams/extract.js'); // loads linkedom
    fetcher = extracting(fetcher, typeof extract === 'function' ? extract : selectorsExtractor(extract));
  }
  const politeness = new Politeness({ perHost, delayMs });
  if (delayMs > 0 || robots !== undefined) fetcher = politeness.spaced(fetcher);
  if (concurrency !== Infinity) fetcher = limit(fetcher, concurrency);
  fetcher = politeness.capped(fetcher);
  if (maxPages !== Infinity) fetcher = firstN(fetcher, maxPages);
  if (seeds !== undefined) fetcher = seeded(fetcher, seeds); // outside the page count and the slots, inside the filters that judge the seeds
  // The scope and robots seams load on first use: their libraries (undici, tldts) cost a crawl that
  // needs neither about 100 ms and 30 MB at start.
  if (scope !== undefined) {
    const { scopeTests, scoped } = await import('./seams/scope.js');
    const { inScope, offSite } = scopeTests(seeds === undefined ? url : seedRoots(seeds), scope);
    fetcher = scoped(fetcher, inScope, offSite);
  }
  const rules =
    robots &&
    new (await import('./seams/robots.js')).Robots({
      ...robots,
      signal,
      onCrawlDelay: (host, seconds) => (politeness.crawlDelay(host, seconds), robots.onCrawlDelay?.(host, seconds)),
    });
  if (rules !== undefined) fetcher = rules.filter(fetcher);
  if (maxDepth !== Infinity) fetcher = once(fetcher);
  if (resume !== undefined) fetcher = resume.replay(fetcher); // outermost: a replayed page costs no slot, delay or page count

  const ledger = new ReportLedger(linkedFrom);
  for (const s of seeds ?? []) ledger.link(seedUrl(s), 0, typeof s === 'string' ? undefined : s.parent); // owed from the start, with their parents
  const chains = new RedirectChains((u) => ledger.reported(u));
  watch?.(() => ({ done: counts.done, skipped: counts.skipped, inFlight: counts.inFlight, queued: Math.max(0, ledger.pending(maxDepth) - counts.inFlight) }));
  const timer = maxTimeMs === Infinity ? undefined : setTimeout(() => halt('max-time'), maxTimeMs);
  // The seeds a filter dropped from the seeds page (scope, robots): each reported skipped once, with its own parent.
  function* reportDropped(dropped: NonNullable<Page['dropped']>): Generator<Result> {
    for (const { url: u, reason, detail } of dropped) {
      if (ledger.reported(u) || resume?.settled(u) === true) continue;
      const s: Skipped = { ...skip(u, 0, reason), ...(detail === undefined ? {} : { detail }) };
      ledger.report(s);
      counts.skipped += 1;
      yield* chains.report(s);
    }
  }
  try {
    if (maxPages <= 0) halt('max-pages');
    if (rules !== undefined && !signal.aborted && seeds === undefined) {
      // several seeds: robots.txt filters the seeds page's links
      const refusal = await rules.refusal(url, signal).catch(() => undefined); // rejects only when stopped
      if (refusal !== undefined) {
        counts.skipped += 1;
        yield { ...skip(url, 0, 'robots'), ...refusal };
        return;
      }
    }
    for await (let r of designs[variant](url, fetcher, { ...crawlOptions, maxDepth: maxDepth + hop, signal })) {
      if (r.kind === 'skipped' && r.reason === 'aborted') r = { ...r, reason: why() };
      r.depth = seedSet?.has(r.url) === true ? 0 : r.depth - hop; // a seed is hop 0, also when Serial met it first as another seed's link
      if (r.url === seedsUrl) {
        if (r.kind === 'found') yield* reportDropped(r.page.dropped ?? []);
        continue;
      }
      ledger.report(r);
      const times = ran?.get(r.url);
      if (times !== undefined) {
        ran?.delete(r.url);
        if (r.kind !== 'skipped') [r.wait, r.start, r.end] = [times[0] - r.start, times[0], times[1]];
      }
      if (resume?.settled(r.url) !== true) {
        if (r.kind === 'skipped') counts.skipped += 1;
        else counts.done += 1;
        for (const x of chains.report(r)) {
          // r, unless a redirect waiting for its chain's end
          if (linkedFrom && x.kind === 'failed') x.linkedFrom = ledger.linkedFrom(x.url);
          yield x;
        }
      }
      if (r.kind === 'found') {
        for (const u of r.page.urls) ledger.link(u, r.depth + 1, r.url);
        for (const { url: u, reason, detail } of r.page.dropped ?? []) {
          if (!ledger.dropped(u) || resume?.settled(u) === true) continue;
          counts.skipped += 1;
          yield* chains.report({ ...skip(u, r.depth + 1, reason), parent: r.url, ...(detail === undefined ? {} : { detail }) });
        }
      }
      // Every fetch that started has ended and been reported: the page limit stops the crawl here.
      if (counts.done >= maxPages) halt('max-pages');
    }
    yield* chains.rest();
    if (seeds === undefined && counts.done + counts.skipped === 0 && resume?.settled(url) !== true) yield skip(url, 0, why()); // stopped before the first fetch: the start is owed
    for (const [u, depth, parent] of ledger.unreported())
      if (resume?.settled(u) !== true) yield withParent(skip(u, depth, depth > maxDepth ? 'depth' : why()), parent);
  } finally {
    clearTimeout(timer);
    stop.abort(new Error('the crawl is over')); // a consumer that left early leaves no robots.txt load or fetch running
  }
}

function withParent(r: Skipped, parent: string | undefined): Skipped {
  if (parent !== undefined) r.parent = parent;
  return r;
}

function skip(url: string, depth: number, reason: Skipped['reason']): Skipped {
  return { kind: 'skipped', url, depth, reason };
}
