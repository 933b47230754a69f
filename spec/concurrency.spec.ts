// Concurrency is real: the concurrent designs overlap their fetches, and a cap holds.
import { describe, expect, it } from 'vitest';
import { crawl, variants } from '../lib/crawl.js';
import { PassThrough } from 'node:stream';
import { text as json } from 'node:stream/consumers';
import { FixtureFetcher, loadFixture, parseFixture, startOf } from '../lib/fixture/fixture.js';
import { generate } from '../lib/fixture/gen.js';
import { CountingFetcher, collect, reachable } from './support/fetchers.js';

// A hub linking 30 pages that also form a chain: depth-first the path is 31 long, breadth-first 2.
const shortcuts = loadFixture('fixtures/shortcuts.json');
const start = shortcuts.start!;
const latency = 10;

async function timed(variant: (typeof variants)[number], concurrency?: number) {
  const fetcher = new CountingFetcher(new FixtureFetcher(shortcuts, latency));
  const t0 = performance.now();
  const results = await collect(crawl(start, fetcher, { variant, concurrency }));
  return { ms: performance.now() - t0, fetcher, results };
}

describe('latency overlaps', () => {
  const pages = reachable(shortcuts, start).size;
  const bfsDepth = Math.max(...reachable(shortcuts, start).values());

  it('Serial takes the sum of the latencies', async () => {
    const { ms, fetcher } = await timed('serial');
    expect(fetcher.maxInFlight).toBe(1);
    expect(ms).toBeGreaterThanOrEqual(pages * latency);
  });

  it.each(['mutex', 'channel'] as const)('%s takes about (breadth-first depth + 1) x latency, not the sum', async (variant) => {
    const { ms, fetcher, results } = await timed(variant);
    expect(results).toHaveLength(pages);
    expect(ms).toBeGreaterThanOrEqual((bfsDepth + 1) * latency - 1);
    // Generous: the critical path is 20 ms, the sum 310 ms; a loaded machine still stays far below half.
    expect(ms).toBeLessThan((pages * latency) / 2);
    expect(fetcher.maxInFlight).toBeGreaterThanOrEqual(pages - 1);
  });
});

describe('Serial hands over one result at a time', () => {
  it('never runs ahead of its caller: each result is taken before the next fetch starts', async () => {
    const out = new PassThrough();
    const text = json(out);
    await generate({ pages: 5_000, seed: 5 }, out);
    out.end();
    const graph = parseFixture(await text);
    const fetcher = new CountingFetcher(new FixtureFetcher(graph)); // no latency: nothing but the hand-over holds it back
    let taken = 0;
    let ahead = 0;
    for await (const r of crawl(startOf(graph), fetcher, { variant: 'serial' })) {
      if (r.kind !== 'skipped') taken += 1;
      ahead = Math.max(ahead, fetcher.started - taken);
    }
    expect(taken).toBe(reachable(graph, startOf(graph)).size);
    expect(ahead).toBeLessThanOrEqual(2); // a buffered hand-over ran 286 ahead here
  });
});

describe('a concurrency cap', () => {
  it.each(['mutex', 'channel'] as const)('%s never has more than K fetches in flight, and reaches K', async (variant) => {
    for (const k of [1, 3, 8]) {
      const { fetcher, results } = await timed(variant, k);
      expect(fetcher.maxInFlight, `K=${k}`).toBe(k);
      expect(results).toHaveLength(reachable(shortcuts, start).size);
    }
  });
});
