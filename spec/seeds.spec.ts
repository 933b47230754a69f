// A crawl from several seeds: each at depth 0 with maxDepth counted from it, each reported once,
// the synthetic seeds page never reported nor counted, and the seeds judged by scope and robots.txt.
import { describe, expect, it } from 'vitest';
import { crawl, variants } from '../lib/crawl.js';
import { seedsUrl } from '../lib/seams/seeds.js';
import type { Page, Result } from '../lib/types.js';
import { CountingFetcher, collect, fetcherOf } from './support/fetchers.js';
import { expectEachDiscoveredOnce, tally } from './support/outcomes.js';

const graph: Record<string, string[]> = {
  'http://a.test/': ['http://a.test/1', 'http://b.test/'],
  'http://a.test/1': ['http://a.test/2'],
  'http://a.test/2': [],
  'http://b.test/': ['http://b.test/1', 'http://c.test/'],
  'http://b.test/1': [],
  'http://c.test/': [],
};
const answer = (url: string): Page => {
  const urls = graph[url];
  if (urls === undefined) throw Object.assign(new Error('HTTP 404 Not Found'), { status: 404 });
  return { url, urls };
};
const byUrl = (results: Result[]) => new Map(results.map((r) => [r.url, r]));

describe.each(variants)('crawl from several seeds (%s)', (variant) => {
  it('reports each seed once at depth 0, counts maxDepth from each, and never the seeds page', async () => {
    const fetcher = new CountingFetcher(fetcherOf(answer));
    const results = await collect(crawl(['http://a.test/', 'http://b.test/', 'http://a.test/'], fetcher, { variant, maxDepth: 1 }));
    expect(results.map((r) => r.url)).not.toContain(seedsUrl);
    expect(fetcher.calls.has(seedsUrl)).toBe(false);
    expect(fetcher.repeats()).toEqual([]);
    const r = byUrl(results);
    expect(r.get('http://a.test/')).toMatchObject({ kind: 'found', depth: 0 });
    expect(r.get('http://a.test/')).not.toHaveProperty('parent');
    // b.test/ is a seed and a link of a.test/: once, and its own links one hop from it.
    expect(results.filter((x) => x.url === 'http://b.test/')).toHaveLength(1);
    expect(r.get('http://b.test/1')).toMatchObject({ kind: 'found', depth: 1, parent: 'http://b.test/' });
    expect(r.get('http://a.test/1')).toMatchObject({ kind: 'found', depth: 1, parent: 'http://a.test/' });
    expect(r.get('http://a.test/2')).toMatchObject({ kind: 'skipped', reason: 'depth', depth: 2 });
    expectEachDiscoveredOnce(results, 'http://a.test/');
  });

  it('maxDepth 0 fetches the seeds and no more', async () => {
    const results = await collect(crawl(['http://a.test/', 'http://b.test/'], fetcherOf(answer), { variant, maxDepth: 0 }));
    expect(
      results
        .filter((r) => r.kind === 'found')
        .map((r) => r.url)
        .sort(),
    ).toEqual(['http://a.test/', 'http://b.test/']);
    expect(tally(results)).toEqual({ found: 2, 'skipped:depth': 3 });
  });

  it('a page limit counts the seeds, not the seeds page; a stop owes every seed', async () => {
    const limited = await collect(crawl(['http://a.test/2', 'http://b.test/1'], fetcherOf(answer), { variant, maxPages: 1, concurrency: 1 }));
    expect(tally(limited)).toEqual({ found: 1, 'skipped:max-pages': 1 });
    const stop = new AbortController();
    stop.abort();
    const stopped = await collect(crawl(['http://a.test/', 'http://b.test/'], fetcherOf(answer), { variant, signal: stop.signal }));
    expect(stopped.map((r) => [r.url, r.kind, r.depth])).toEqual([
      ['http://a.test/', 'skipped', 0],
      ['http://b.test/', 'skipped', 0],
    ]);
  });

  it("with origin scope each start's origin is in scope; a seed from a sitemap is judged like a link", async () => {
    const sitemap = 'http://a.test/sitemap.xml';
    const seeds = ['http://b.test/', { url: 'http://a.test/1', parent: sitemap }, { url: 'http://c.test/', parent: sitemap }];
    const results = await collect(crawl(seeds, fetcherOf(answer), { variant, scope: { scope: 'origin' } }));
    const r = byUrl(results);
    expect(r.get('http://b.test/')).toMatchObject({ kind: 'found', depth: 0 });
    expect(r.get('http://a.test/1')).toMatchObject({ kind: 'found', depth: 0, parent: sitemap });
    expect(r.get('http://a.test/2')).toMatchObject({ kind: 'found', depth: 1 }); // a.test is the sitemap's site
    expect(r.get('http://c.test/')).toMatchObject({ kind: 'skipped', reason: 'scope', depth: 0, parent: sitemap });
    expect(results.filter((x) => x.url === 'http://c.test/')).toHaveLength(1); // b.test/ links to it too
    expect(r.get('http://b.test/1')).toMatchObject({ kind: 'found', depth: 1 });
  });

  it('a seed that already failed is reported failed, once, and never fetched', async () => {
    const fetcher = new CountingFetcher(fetcherOf((url) => (url === 'http://a.test/' ? { url, urls: ['http://a.test/sitemap.xml'] } : answer(url))));
    const seeds = ['http://a.test/', { url: 'http://a.test/sitemap.xml', error: 'HTTP 410 Gone', status: 410 }];
    const results = await collect(crawl(seeds, fetcher, { variant }));
    expect(results.filter((r) => r.url === 'http://a.test/sitemap.xml')).toEqual([
      expect.objectContaining({ kind: 'failed', error: 'HTTP 410 Gone', status: 410 }),
    ]);
    expect(fetcher.calls.has('http://a.test/sitemap.xml')).toBe(false);
  });

  it('robots.txt judges each seed: a disallowed one is skipped "robots"', async () => {
    const load = async (url: string) => ({ status: 200, body: url.startsWith('http://b.test/') ? 'User-agent: *\nDisallow: /\n' : '' });
    const fetcher = new CountingFetcher(fetcherOf(answer));
    const results = await collect(crawl(['http://a.test/2', 'http://b.test/1'], fetcher, { variant, robots: { load } }));
    expect(results.map((r) => [r.url, r.kind === 'skipped' ? r.reason : r.kind])).toEqual(
      expect.arrayContaining([
        ['http://a.test/2', 'found'],
        ['http://b.test/1', 'robots'],
      ]),
    );
    expect(results).toHaveLength(2);
    expect(fetcher.calls.has('http://b.test/1')).toBe(false);
  });
});
