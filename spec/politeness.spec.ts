// Per-host politeness: a cap on requests in flight to one host and a minimum time between the
// starts of two requests to one host (raised by a robots.txt Crawl-delay), both counted at the server.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { crawl, variants } from '../lib/crawl.js';
import { HttpFetcher } from '../lib/fetchers/http.js';
import { Politeness, maxCrawlDelayMs } from '../lib/seams/politeness.js';
import type { Fetcher } from '../lib/types.js';
import { collect, fetcherOf } from './support/fetchers.js';
import { expectEachDiscoveredOnce } from './support/outcomes.js';
import { page, respond, startSite, type Handler, type Site } from './support/site.js';

/** A fetcher that records, per host, the most fetches it had in flight at once and when each started. */
function watched(ms: number) {
  const now = new Map<string, number>();
  const most = new Map<string, number>();
  const starts: number[] = [];
  const fetcher: Fetcher = {
    async fetch(url, signal) {
      const host = new URL(url).host;
      now.set(host, (now.get(host) ?? 0) + 1);
      most.set(host, Math.max(most.get(host) ?? 0, now.get(host)!));
      starts.push(performance.now());
      try {
        await sleep(ms, undefined, { signal });
        return { url, urls: [] };
      } finally {
        now.set(host, now.get(host)! - 1);
      }
    },
  };
  return { fetcher, most, starts };
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

/** `inner`, noting when each fetch starts: the moment the politeness seam lets it go. */
function timedStarts(inner: Fetcher) {
  const starts: number[] = [];
  const fetcher: Fetcher = { fetch: (url, signal) => (starts.push(performance.now()), inner.fetch(url, signal)) };
  return { fetcher, starts };
}

/**
 * The spacing is exact where it is enforced, at the start of each fetch. At the server, a busy
 * machine can delay one arrival and shorten the next gap by as much (the whole suite once made an
 * 80 ms gap 60), so there it is held to half: a crawl that did not space its requests shows gaps near 0.
 */
function expectSpaced(starts: number[], arrivals: number[], ms: number): void {
  for (const gap of gaps(starts)) expect(gap).toBeGreaterThanOrEqual(ms - 1);
  for (const gap of gaps(arrivals)) expect(gap).toBeGreaterThanOrEqual(ms / 2);
}

describe('Politeness', () => {
  it('caps fetches in flight per host, not across hosts', async () => {
    const w = watched(20);
    const polite = new Politeness({ perHost: 2 });
    const f = polite.capped(w.fetcher);
    await Promise.all(['a', 'b', 'c'].flatMap((h) => Array.from({ length: 6 }, (_, i) => f.fetch(`http://${h}.test/${i}`))));
    expect([...w.most.values()]).toEqual([2, 2, 2]);
  });

  it('spaces the starts to one host by the delay; other hosts do not wait for it', async () => {
    const w = watched(0);
    const f = new Politeness({ delayMs: 60 }).spaced(w.fetcher);
    const t0 = performance.now();
    await Promise.all([...Array.from({ length: 4 }, (_, i) => f.fetch(`http://a.test/${i}`)), f.fetch('http://b.test/')]);
    const startsA = w.starts.filter((_, i) => i !== 1).sort((x, y) => x - y); // b.test started second, at once
    expect(w.starts[1]! - t0).toBeLessThan(50);
    for (const gap of gaps(startsA)) expect(gap).toBeGreaterThanOrEqual(55); // timers may fire a little early
  });

  it('a fetch waiting for its host or its turn rejects with the signal reason when aborted', async () => {
    const polite = new Politeness({ perHost: 1, delayMs: 10_000 });
    const f = polite.capped(polite.spaced(fetcherOf((url) => ({ url, urls: [] }))));
    await f.fetch('http://a.test/1'); // takes the host's first turn; the next is 10 s away
    const stop = new AbortController();
    const reason = new Error('stop');
    const waiting = [f.fetch('http://a.test/2', stop.signal), f.fetch('http://a.test/3', stop.signal)];
    setTimeout(() => stop.abort(reason), 20);
    const t0 = performance.now();
    for (const w of waiting) await expect(w).rejects.toBe(reason);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('waiters whose signal aborts leave the queue; the others keep their order and spacing', async () => {
    const w = watched(0);
    const f = new Politeness({ delayMs: 40 }).spaced(w.fetcher);
    const gone = new AbortController();
    const order: string[] = [];
    const run = (path: string, signal?: AbortSignal) => f.fetch(`http://a.test${path}`, signal).then(() => order.push(path));
    const kept = [run('/0'), run('/1'), run('/2', gone.signal), run('/3', gone.signal), run('/4')];
    gone.abort(new Error('gone'));
    const outcomes = await Promise.allSettled(kept);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(order).toEqual(['/0', '/1', '/4']);
    for (const gap of gaps(w.starts)) expect(gap).toBeGreaterThanOrEqual(40);
    expect(w.starts.length).toBe(3);
  });

  it('a Crawl-delay raises the delay of its host only, up to a cap, and never lowers it', () => {
    const polite = new Politeness({ delayMs: 500 });
    polite.crawlDelay('a.test', 2);
    polite.crawlDelay('b.test', 0.1);
    polite.crawlDelay('c.test', 86_400);
    expect([polite.delayOf('a.test'), polite.delayOf('b.test'), polite.delayOf('c.test'), polite.delayOf('d.test')]).toEqual([2000, 500, maxCrawlDelayMs, 500]);
  });

  it('rejects a nonsense cap or delay', () => {
    expect(() => new Politeness({ perHost: 0 })).toThrow(RangeError);
    expect(() => new Politeness({ perHost: 1.5 })).toThrow(RangeError);
    expect(() => new Politeness({ delayMs: -1 })).toThrow(RangeError);
  });
});

describe.each(variants)('%s over HTTP', (variant) => {
  const sites: Site[] = [];
  afterEach(async () => {
    await Promise.all(sites.splice(0).map((s) => s.close()));
  });
  const fast = { retries: 0, connectTimeoutMs: 2000, responseTimeoutMs: 4000, requestTimeoutMs: 8000 };

  /** A site of `n` pages, all linked from `/`, each answering after `ms`; the server counts what is in flight. */
  async function slowSite(n: number, ms: number, robots?: string) {
    const seen = { now: 0, most: 0, arrivals: [] as number[] };
    const slow =
      (html: string): Handler =>
      async (_req, res) => {
        seen.now += 1;
        seen.most = Math.max(seen.most, seen.now);
        seen.arrivals.push(performance.now());
        await sleep(ms);
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(html);
        seen.now -= 1;
      };
    const paths = Array.from({ length: n }, (_, i) => `/p${i}`);
    const s = await startSite({ '/': slow(page('Home', ...paths)), ...Object.fromEntries(paths.map((p) => [p, slow(page(p, '/'))])) });
    if (robots !== undefined) s.route('/robots.txt', respond(200, robots, { 'content-type': 'text/plain' }));
    sites.push(s);
    return { s, seen };
  }

  it('per-host cap K: the server never sees more than K requests at once', async () => {
    const { s, seen } = await slowSite(12, 30);
    const results = await collect(crawl(s.url('/'), new HttpFetcher(fast), { variant, perHost: 3 }));
    expect(seen.most).toBeLessThanOrEqual(3);
    if (variant !== 'serial') expect(seen.most).toBe(3); // the cap is reached, so it is what held them back
    expect(results.filter((r) => r.kind === 'found')).toHaveLength(13);
    expectEachDiscoveredOnce(results, s.url('/'));
  });

  it('delay D: requests to the host arrive at least D apart', async () => {
    const { s, seen } = await slowSite(5, 0);
    const { fetcher, starts } = timedStarts(new HttpFetcher(fast));
    await collect(crawl(s.url('/'), fetcher, { variant, delayMs: 80 }));
    expect(seen.arrivals).toHaveLength(6);
    expectSpaced(starts, seen.arrivals, 80);
  });

  it("robots.txt's Crawl-delay spaces the requests when no delay is asked for", async () => {
    const { s, seen } = await slowSite(4, 0, 'User-agent: *\nCrawl-delay: 0.1\n');
    const { fetcher, starts } = timedStarts(new HttpFetcher(fast));
    await collect(crawl(s.url('/'), fetcher, { variant, robots: {}, concurrency: 8 }));
    expect(seen.arrivals).toHaveLength(5);
    expectSpaced(starts, seen.arrivals, 100);
  });
});
