// Page and time limits: a limit stops the crawl through its own signal, no fetch starts past the
// page limit, and every URL discovered but not fetched is reported skipped with the limit's name.
import { describe, expect, it } from 'vitest';
import { crawl, variants } from '../lib/crawl.js';
import { PassThrough } from 'node:stream';
import { text as json } from 'node:stream/consumers';
import { FixtureFetcher, loadFixture, parseFixture, startOf } from '../lib/fixture/fixture.js';
import { generate } from '../lib/fixture/gen.js';
import type { Result } from '../lib/types.js';
import { CountingFetcher, collect, reachable } from './support/fetchers.js';
import { expectEachDiscoveredOnce, skippedFor, tally } from './support/outcomes.js';

const fan = loadFixture('fixtures/wide-fan.json');
const start = startOf(fan);
const jitter = { min: 0, max: 4, seed: 7 };

const fetchedCount = (results: Result[]) => results.filter((r) => r.kind !== 'skipped').length;

describe.each(variants)('%s', (variant) => {
  it.each([
    [1, Infinity],
    [7, Infinity],
    [60, Infinity],
    [60, 3],
  ])('maxPages %i (concurrency %s): exactly that many fetches start, the rest are skipped max-pages', async (maxPages, concurrency) => {
    const fetcher = new CountingFetcher(new FixtureFetcher(fan, jitter));
    const results = await collect(crawl(start, fetcher, { variant, maxPages, concurrency }));
    expect(fetcher.started).toBe(maxPages);
    expect(fetcher.repeats()).toEqual([]);
    expect(fetchedCount(results)).toBe(maxPages);
    expect(skippedFor(results, 'max-pages').length).toBeGreaterThan(0);
    expect(tally(results)['skipped:aborted']).toBeUndefined();
    expectEachDiscoveredOnce(results, start);
  });

  it('maxPages with a depth limit: re-expanding a page is not a second start', async () => {
    const shortcuts = loadFixture('fixtures/shortcuts.json');
    const from = startOf(shortcuts);
    const within = reachable(shortcuts, from, 3).size;
    for (const maxPages of [5, within, within + 10]) {
      const fetcher = new CountingFetcher(new FixtureFetcher(shortcuts, jitter));
      const results = await collect(crawl(from, fetcher, { variant, maxPages, maxDepth: 3 }));
      expect(fetcher.started).toBe(Math.min(maxPages, within));
      expect(fetcher.repeats()).toEqual([]);
      expectEachDiscoveredOnce(results, from);
      if (maxPages < within) expect(skippedFor(results, 'max-pages').length).toBeGreaterThan(0);
      else expect(skippedFor(results, 'max-pages')).toEqual([]);
    }
  });

  it('a page limit above the site size changes nothing', async () => {
    const all = reachable(fan, start).size;
    const results = await collect(crawl(start, new FixtureFetcher(fan), { variant, maxPages: all + 1 }));
    expect(fetchedCount(results)).toBe(all);
    expect(results.filter((r) => r.kind === 'skipped')).toEqual([]);
  });

  it('maxTimeMs stops a slow crawl: fetches in flight are aborted, what is left is skipped max-time', async () => {
    const fetcher = new CountingFetcher(new FixtureFetcher(fan, 40));
    const t0 = performance.now();
    const results = await collect(crawl(start, fetcher, { variant, maxTimeMs: 150, concurrency: 4 }));
    expect(performance.now() - t0).toBeLessThan(5000); // generous: it must stop, not run the 778 pages
    expect(fetchedCount(results)).toBeGreaterThan(0);
    expect(fetchedCount(results)).toBeLessThan(reachable(fan, start).size);
    expect(skippedFor(results, 'max-time').length).toBeGreaterThan(0);
    expect(tally(results)['skipped:aborted']).toBeUndefined();
    expect(fetcher.inFlight).toBe(0);
    expect(fetchedCount(results)).toBe(fetcher.answered); // a page fetched before the stop is reported found, not skipped
    expectEachDiscoveredOnce(results, start);
  });

  it('a stop from the caller is reported as aborted, not as a limit', async () => {
    const stop = new AbortController();
    const fetcher = new CountingFetcher(new FixtureFetcher(fan, 20));
    const results: Result[] = [];
    for await (const r of crawl(start, fetcher, { variant, signal: stop.signal, maxPages: 500, maxTimeMs: 60_000, concurrency: 4 })) {
      results.push(r);
      if (results.length === 10) stop.abort();
    }
    expect(skippedFor(results, 'aborted').length).toBeGreaterThan(0);
    expect(skippedFor(results, 'max-pages')).toEqual([]);
    expect(skippedFor(results, 'max-time')).toEqual([]);
    expect(fetchedCount(results)).toBe(fetcher.answered);
    expectEachDiscoveredOnce(results, start);
  });

  it('maxPages 0 fetches nothing and reports the start skipped', async () => {
    const fetcher = new CountingFetcher(new FixtureFetcher(fan));
    const results = await collect(crawl(start, fetcher, { variant, maxPages: 0 }));
    expect(fetcher.started).toBe(0);
    expect(results).toEqual([{ kind: 'skipped', url: start, depth: 0, reason: 'max-pages' }]);
  });
});

describe('a time limit on a crawl that never waits (no latency, all in memory)', () => {
  it.each(variants)('%s: the timer fires mid-crawl, so the crawl stops with most of a 30,000-page graph unfetched', async (variant) => {
    const out = new PassThrough();
    const text = json(out);
    await generate({ pages: 30_000, seed: 3 }, out);
    out.end();
    const graph = parseFixture(await text);
    const counting = new CountingFetcher(new FixtureFetcher(graph));
    const results = await collect(crawl(startOf(graph), counting, { variant, maxTimeMs: 1 }));
    expect(counting.started).toBeLessThan(Object.keys(graph.pages).length / 2); // without turns between channel operations, all of it
    expect(skippedFor(results, 'max-time').length).toBeGreaterThan(0);
    expect(fetchedCount(results)).toBe(counting.answered); // results already sent when the timer fires are received, not dropped
    expectEachDiscoveredOnce(results, startOf(graph));
  });
});
