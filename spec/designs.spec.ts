// The three designs on the Go tour's graph and on random graphs: each fetches every reachable URL
// exactly once and nothing else, and Serial keeps the Go original's depth-first order.
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConcurrentChannel } from '../lib/designs/channel.js';
import { crawl, designs, variants } from '../lib/crawl.js';
import { FixtureFetcher, loadFixture, defaultFixturePath, type Fixture } from '../lib/fixture/fixture.js';
import { ConcurrentMutex } from '../lib/designs/mutex.js';
import { referenceCrawl } from '../lib/fixture/reference.js';
import { Serial } from '../lib/designs/serial.js';
import type { Result } from '../lib/types.js';
import { CountingFetcher, collect, fetcherOf, reachable } from './support/fetchers.js';

const golang = loadFixture(defaultFixturePath);
const start = 'http://golang.org/';
const goLines = (results: Result[]) => results.filter((r) => r.kind !== 'skipped').map((r) => `${r.kind === 'found' ? 'found' : 'missing'} ${r.url}`);

describe('the golang.org fixture', () => {
  it('Serial fetches in the Go original order', async () => {
    const results = await collect(Serial(start, new FixtureFetcher(golang)));
    expect(goLines(results)).toEqual([
      'found http://golang.org/',
      'found http://golang.org/pkg/',
      'missing http://golang.org/cmd/',
      'found http://golang.org/pkg/fmt/',
      'found http://golang.org/pkg/os/',
    ]);
  });

  it.each(variants)('%s fetches the 4 found pages and the 1 missing page, each once', async (variant) => {
    const fetcher = new CountingFetcher(new FixtureFetcher(golang));
    const results = await collect(designs[variant](start, fetcher, {}));
    expect(
      results
        .filter((r) => r.kind === 'found')
        .map((r) => r.url)
        .sort(),
    ).toEqual(Object.keys(golang.pages).sort());
    expect(results.filter((r) => r.kind === 'failed').map((r) => r.url)).toEqual(['http://golang.org/cmd/']);
    expect(fetcher.calls.size).toBe(5);
    expect(fetcher.repeats()).toEqual([]);
  });

  it('the designs can be called directly with the Go signatures', async () => {
    const f = new FixtureFetcher(golang);
    expect(await collect(Serial(start, f, new Map()))).toHaveLength(5);
    expect(await collect(ConcurrentMutex(start, f))).toHaveLength(5);
    expect(await collect(ConcurrentChannel(start, f))).toHaveLength(5);
  });
});

/** A random graph over `n` URLs: some missing, links with cycles, self-links and duplicates. */
const graphs = fc
  .integer({ min: 1, max: 14 })
  .chain((n) =>
    fc.record({
      present: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      links: fc.array(fc.array(fc.nat(n - 1), { maxLength: 6 }), { minLength: n, maxLength: n }),
    }),
  )
  .map(({ present, links }): Fixture => {
    const url = (i: number) => `http://g.test/${i}`;
    const pages: Fixture['pages'] = {};
    present.forEach((p, i) => {
      if (p || i === 0) pages[url(i)] = { body: `page ${i}`, urls: links[i]!.map(url) };
    });
    return { start: url(0), pages };
  });

const depths = fc.oneof(fc.constant(Infinity), fc.integer({ min: 0, max: 5 }));

describe('random graphs', () => {
  it.each(variants)('%s fetches exactly the URLs within the depth limit, each once', async (variant) => {
    await fc.assert(
      fc.asyncProperty(graphs, depths, fc.nat(), async (fixture, maxDepth, seed) => {
        // Random latency per URL lets a long path win the race to a URL, as on a real network.
        const fetcher = new CountingFetcher(new FixtureFetcher(fixture, { min: 0, max: 3, seed }));
        const results = await collect(crawl(fixture.start!, fetcher, { variant, maxDepth }));
        const within = reachable(fixture, fixture.start!, maxDepth);
        expect([...fetcher.calls.keys()].sort()).toEqual([...within.keys()].sort());
        expect(fetcher.repeats()).toEqual([]);
        for (const r of results) {
          if (r.kind === 'skipped') continue;
          expect(r.kind).toBe(Object.hasOwn(fixture.pages, r.url) ? 'found' : 'failed');
        }
        // Every discovered URL is reported exactly once; the unfetched ones lie beyond the limit.
        const everything = reachable(fixture, fixture.start!, maxDepth + 1);
        expect(results.map((r) => r.url).sort()).toEqual([...everything.keys()].sort());
        for (const r of results.filter((r) => r.kind === 'skipped')) {
          expect(r).toMatchObject({ reason: 'depth' });
          expect(everything.get(r.url)).toBe(maxDepth + 1);
        }
      }),
      { numRuns: 100 },
    );
  });

  it.each([0, 1, Infinity])(
    'channel with a buffer of %s fetches exactly the URLs within the depth limit, each once, and reports them all',
    async (channelBuffer) => {
      await fc.assert(
        fc.asyncProperty(graphs, depths, fc.nat(), async (fixture, maxDepth, seed) => {
          const fetcher = new CountingFetcher(new FixtureFetcher(fixture, { min: 0, max: 3, seed }));
          const results = await collect(crawl(fixture.start!, fetcher, { variant: 'channel', channelBuffer, maxDepth }));
          expect([...fetcher.calls.keys()].sort()).toEqual([...reachable(fixture, fixture.start!, maxDepth).keys()].sort());
          expect(fetcher.repeats()).toEqual([]);
          expect(results.map((r) => r.url).sort()).toEqual([...reachable(fixture, fixture.start!, maxDepth + 1).keys()].sort());
        }),
        { numRuns: 50 },
      );
    },
  );

  it('Serial fetches in the order of the independent reference, with and without a depth limit', async () => {
    await fc.assert(
      fc.asyncProperty(graphs, depths, async (fixture, maxDepth) => {
        const results = await collect(crawl(fixture.start!, new FixtureFetcher(fixture), { variant: 'serial', maxDepth }));
        const expected = referenceCrawl(fixture, fixture.start!, maxDepth).map(({ url, found }) => `${found ? 'found' : 'missing'} ${url}`);
        expect(goLines(results)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it.each(variants)('%s: a shorter path found later re-expands a page, without fetching or reporting it twice', async (variant) => {
    // With --depth 3, d is first reached along a-b-c-d (fast pages): its link e lies at hop 4.
    // The slow page s then reaches d along a-s-d, at hop 2, so e (hop 3) must be fetched after all.
    const u = (s: string) => `http://short.test/${s}`;
    const fixture: Fixture = {
      pages: {
        [u('a')]: { body: 'a', urls: [u('b'), u('s')] },
        [u('b')]: { body: 'b', urls: [u('c')] },
        [u('c')]: { body: 'c', urls: [u('d')] },
        [u('s')]: { body: 's', urls: [u('d')] },
        [u('d')]: { body: 'd', urls: [u('e')] },
        [u('e')]: { body: 'e', urls: [] },
      },
    };
    const pages = new FixtureFetcher(fixture);
    const fetcher = new CountingFetcher({
      async fetch(url, signal) {
        if (url === u('s')) await sleep(30);
        return pages.fetch(url, signal);
      },
    });
    const results = await collect(crawl(u('a'), fetcher, { variant, maxDepth: 3 }));
    expect(results.map((r) => `${r.kind} ${r.url}`).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 's'].map((s) => `found ${u(s)}`));
    expect(fetcher.repeats()).toEqual([]);
  });
});

describe('a fetcher that fails', () => {
  const fixture: Fixture = {
    pages: {
      'http://f.test/': { body: 'home', urls: ['http://f.test/throws', 'http://f.test/rejects', 'http://f.test/ok'] },
      'http://f.test/ok': { body: 'ok', urls: ['http://f.test/leaf'] },
      'http://f.test/leaf': { body: 'leaf', urls: [] },
    },
  };
  const inner = new FixtureFetcher(fixture);
  const hostile = {
    fetch(url: string, signal?: AbortSignal) {
      if (url.endsWith('/throws')) throw new TypeError('boom, synchronously');
      if (url.endsWith('/rejects')) return Promise.reject(new Error('boom, asynchronously'));
      return inner.fetch(url, signal);
    },
  };

  it.each(variants)('%s reports the error for that URL and crawls on', async (variant) => {
    const results = await collect(crawl('http://f.test/', hostile, { variant }));
    const byUrl = Object.fromEntries(results.map((r) => [r.url, r]));
    expect(byUrl['http://f.test/throws']).toMatchObject({ kind: 'failed', error: 'boom, synchronously' });
    expect(byUrl['http://f.test/rejects']).toMatchObject({ kind: 'failed', error: 'boom, asynchronously' });
    expect(byUrl['http://f.test/leaf']).toMatchObject({ kind: 'found' });
    expect(results).toHaveLength(5);
  });

  it('a rejection that is not an Error still gives a one-line message', async () => {
    const results = await collect(
      crawl(
        'http://x.test/',
        fetcherOf(() => Promise.reject('plain string')),
        { variant: 'mutex' },
      ),
    );
    expect(results).toEqual([expect.objectContaining({ kind: 'failed', error: 'plain string' })]);
  });
});
