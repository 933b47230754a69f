// The timeline: lanes hold one fetch at a time and are as few as the fetches in flight; the SVG,
// parsed back, has one bar per fetch of a real crawl, failed ones marked, and pages share one scale.
import fc from 'fast-check';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { crawl, variants } from '../lib/crawl.js';
import { FixtureFetcher, loadFixture, parseFixture, startOf } from '../lib/fixture/fixture.js';
import { referenceCrawl } from '../lib/fixture/reference.js';
import { duration, lanes, timelinePage, timelineSvg, type Bar } from '../lib/output/timeline.js';
import type { Failed, Found, Result } from '../lib/types.js';
import { collect } from './support/fetchers.js';

interface ParsedBar {
  url: string;
  lane: number;
  start: number;
  end: number;
  failed: boolean;
  x: number;
  width: number;
}

/** The bars of an SVG timeline, read back from the markup alone. */
function parseBars(svg: Element | Document): ParsedBar[] {
  return Array.from(svg.querySelectorAll('rect.fetch')).map((rect) => ({
    url: rect.getAttribute('data-url')!,
    lane: Number(rect.getAttribute('data-lane')),
    start: Number(rect.getAttribute('data-start')),
    end: Number(rect.getAttribute('data-end')),
    failed: rect.classList.contains('failed'),
    x: Number(rect.getAttribute('x')),
    width: Number(rect.getAttribute('width')),
  }));
}

/** Parsed as HTML, with the SVG inline as a browser would: linkedom's XML mode leaves `&lt;` in attributes undecoded. */
function parseSvg(text: string): Document {
  return parseHTML(`<!doctype html><html><body>${text}</body></html>`).document;
}

/**
 * Most intervals open at one instant, by a sweep. At one instant, fetches that end there leave
 * first, then zero-length fetches pass through (each needs a free lane, for no time), then the
 * fetches that start there open. Sorting is stable, so each zero-length pair stays in order.
 */
function mostAtOnce(intervals: readonly { start: number; end: number }[]): number {
  const events = intervals
    .flatMap(({ start, end }): [number, number, number][] =>
      start === end
        ? [
            [start, 1, 1],
            [start, 1, -1],
          ]
        : [
            [start, 2, 1],
            [end, 0, -1],
          ],
    )
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, , change] of events) most = Math.max(most, (open += change));
  return most;
}

function expectNoOverlapOnALane(bars: readonly { lane: number; start: number; end: number }[]): void {
  const byLane = new Map<number, { start: number; end: number }[]>();
  for (const b of bars) byLane.set(b.lane, [...(byLane.get(b.lane) ?? []), b]);
  for (const onLane of byLane.values()) {
    const sorted = [...onLane].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.start).toBeGreaterThanOrEqual(sorted[i - 1]!.end);
  }
}

const fetched = (results: Result[]) => results.filter((r): r is Found | Failed => r.kind !== 'skipped');

describe('lanes', () => {
  const interval = fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 200 })).map(([start, length]) => ({ start, end: start + length }));

  it('puts each fetch on a lane alone at any moment, on as few lanes as the most fetches at once', () => {
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 60 }), fc.boolean(), (intervals, failSome) => {
        const results: Result[] = intervals.map(({ start, end }, i) =>
          failSome && i % 3 === 0
            ? { kind: 'failed', url: `u${i}`, depth: 1, error: 'not found', start, end }
            : { kind: 'found', url: `u${i}`, depth: 1, page: { url: `u${i}`, urls: [] }, start, end },
        );
        results.push({ kind: 'skipped', url: 'never-fetched', depth: 2, reason: 'depth' });
        const bars = lanes(results);
        expect(bars.map((b) => b.url).sort()).toEqual(intervals.map((_, i) => `u${i}`).sort());
        expectNoOverlapOnALane(bars);
        const used = new Set(bars.map((b) => b.lane));
        expect(used.size).toBe(mostAtOnce(intervals));
        expect(Math.max(-1, ...used)).toBe(used.size - 1); // lanes 0..k-1, none left empty
      }),
      {
        numRuns: 1000,
        examples: [
          [[{ start: 0, end: 0 }], false],
          [
            [
              { start: 0, end: 10 },
              { start: 5, end: 5 },
            ],
            false,
          ],
          [
            [
              { start: 0, end: 0 },
              { start: 0, end: 0 },
            ],
            false,
          ],
        ],
      },
    );
  });
});

describe('timelineSvg on real crawls', () => {
  const goTour = loadFixture('fixtures/golang-org.json');

  it.each(variants)('%s: one bar per fetch, failed ones marked, none overlapping on a lane', async (variant) => {
    const t0 = performance.now();
    const results = await collect(crawl(startOf(goTour), new FixtureFetcher(goTour, { min: 5, max: 15, seed: 2 }), { variant }));
    const svg = timelineSvg(lanes(results), { t0, title: variant });
    const bars = parseBars(parseSvg(svg));

    expect(bars.map((b) => b.url).sort()).toEqual(
      fetched(results)
        .map((r) => r.url)
        .sort(),
    );
    expect(bars.filter((b) => b.failed).map((b) => b.url)).toEqual(['http://golang.org/cmd/']);
    expectNoOverlapOnALane(bars);
    for (const b of bars) {
      const r = fetched(results).find((x) => x.url === b.url)!;
      expect(b.start).toBeCloseTo(r.start - t0, 2);
      expect(b.end).toBeCloseTo(r.end - t0, 2);
    }
    // Serial fetches one page at a time; the others fetch /pkg/ and /cmd/ together.
    const laneCount = new Set(bars.map((b) => b.lane)).size;
    if (variant === 'serial') expect(laneCount).toBe(1);
    else expect(laneCount).toBeGreaterThanOrEqual(2);
  });

  it.each(variants)(
    "%s under --concurrency 3: the results' times draw the fetches as they ran, on 3 lanes at most, later ones further right",
    async (variant) => {
      const graph = parseFixture(
        JSON.stringify({
          start: 'http://t/0',
          pages: Object.fromEntries(
            Array.from({ length: 12 }, (_, i) => [`http://t/${i}`, { body: '', urls: [`http://t/${(i + 1) % 12}`, `http://t/${(i * 5) % 13}`] }]),
          ),
        }),
      );
      const results = await collect(crawl('http://t/0', new FixtureFetcher(graph, { min: 2, max: 8, seed: 1 }), { variant, concurrency: 3 }));
      const bars = parseBars(parseSvg(timelineSvg(lanes(results))));
      expect(bars.map((b) => b.url).sort()).toEqual(
        fetched(results)
          .map((r) => r.url)
          .sort(),
      );
      expectNoOverlapOnALane(bars);
      expect(new Set(bars.map((b) => b.lane)).size).toBeLessThanOrEqual(3);
      expect(bars.filter((b) => b.failed).map((b) => b.url)).toEqual(['http://t/12']);
      const byStart = [...bars].sort((a, b) => a.start - b.start);
      for (let i = 1; i < byStart.length; i++) expect(byStart[i]!.x).toBeGreaterThanOrEqual(byStart[i - 1]!.x);
      for (const b of bars) expect(b.width).toBeGreaterThanOrEqual(1);
    },
  );

  it('keeps URLs with markup characters intact', () => {
    const url = 'http://a/?q="<b>"&x=1';
    const bars: Bar[] = [{ url, kind: 'found', depth: 0, start: 0, end: 5, lane: 0 }];
    const parsed = parseBars(parseSvg(timelineSvg(bars, { title: '<&>' })));
    expect(parsed.map((b) => b.url)).toEqual([url]);
  });
});

describe('the subtitle', () => {
  const summaryOf = (svg: string) => parseSvg(svg).querySelector('text.summary')!.textContent!;
  const bar = (end: number, kind: Bar['kind'] = 'found'): Bar => ({ url: `http://a/${end}`, kind, depth: 0, start: 0, end, lane: 0 });

  it('rounds the crawl\'s length as a reader reads it (it said "1675.055 ms")', () => {
    expect(summaryOf(timelineSvg([bar(1675.055)]))).toBe('1 fetch, 0 failed, 1 lane (most in flight at once), 1.68 s');
    expect(summaryOf(timelineSvg([bar(412.5), bar(3.21, 'failed')]))).toBe('2 fetches, 1 failed, 1 lane (most in flight at once), 413 ms');
  });

  it.each([
    [0, '0.0 ms'],
    [3.2149, '3.2 ms'],
    [9.96, '10.0 ms'],
    [10, '10 ms'],
    [999.4, '999 ms'],
    [999.6, '1.00 s'],
    [61234.5, '61.23 s'],
  ])('duration(%s) is %s', (ms, text) => {
    expect(duration(ms)).toBe(text);
  });

  it('of a real crawl is rounded too', async () => {
    const goTour = loadFixture('fixtures/golang-org.json');
    const t0 = performance.now();
    const results = await collect(crawl(startOf(goTour), new FixtureFetcher(goTour, { min: 3, max: 9, seed: 4 }), { variant: 'channel' }));
    expect(summaryOf(timelineSvg(lanes(results), { t0 }))).toMatch(/, (\d\.\d ms|\d{2,3} ms|\d+\.\d\d s)$/);
  });
});

describe('timelinePage', () => {
  it('stacks the three designs on one time scale', async () => {
    const goTour = loadFixture('fixtures/golang-org.json');
    const sections = [];
    for (const variant of variants) {
      const t0 = performance.now();
      const results = await collect(crawl(startOf(goTour), new FixtureFetcher(goTour, { min: 20, max: 30, seed: 3 }), { variant }));
      sections.push({ title: variant, bars: lanes(results), t0 });
    }
    const { document } = parseHTML(timelinePage('three designs', 'intro', sections));
    const svgs = Array.from(document.querySelectorAll('svg.timeline'));
    expect(svgs).toHaveLength(3);
    const axes = svgs.map((svg) => Array.from(svg.querySelectorAll('g.axis text')).map((t) => `${t.getAttribute('x')} ${t.textContent}`));
    expect(axes[1]).toEqual(axes[0]);
    expect(axes[2]).toEqual(axes[0]);
    // On one scale, the same millisecond is the same x in each picture: Serial's bars reach furthest right.
    const rightEdge = svgs.map((svg) => Math.max(...parseBars(svg).map((b) => b.x + b.width)));
    expect(rightEdge[0]).toBeGreaterThan(rightEdge[1]!);
    expect(rightEdge[0]).toBeGreaterThan(rightEdge[2]!);
    for (const svg of svgs) expect(parseBars(svg)).toHaveLength(referenceCrawl(goTour, startOf(goTour)).length);
  });
});
