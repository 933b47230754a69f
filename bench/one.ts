// One measured crawl in a process of its own, so that its peak RSS is its own: the library path
// (crawl() on a fixture already in memory, or on a site over HTTP). Prints one JSON line.
// Usage: node dist/bench/one.js --variant V (--fixture FILE [--latency-ms L] | --url URL) [--concurrency K] [--channel-buffer N|inf] [--repeat R]
import { parseArgs } from 'node:util';
import { crawl, variants, type Variant } from '../lib/crawl.js';
import { FixtureFetcher, loadFixture, startOf } from '../lib/fixture/fixture.js';
import type { Fetcher } from '../lib/types.js';

/** What one run measured; bench/go/main.go prints the same fields for the Go twins. */
export interface OneRun {
  variant: string;
  /** Found and failed results: the fetches. */
  fetches: number;
  /** Reading and validating the fixture (0 over HTTP). */
  loadMs: number;
  /** The crawl alone, from the first call to the last result: the first crawl in the process. */
  crawlMs: number;
  /** With --repeat R > 1, the last of R crawls in the process: the same work, its code compiled. */
  warmCrawlMs?: number;
  /** Peak resident set size of the whole process, in MB. */
  maxRssMB: number;
}

const { values } = parseArgs({
  options: {
    variant: { type: 'string', default: 'channel' },
    fixture: { type: 'string' },
    url: { type: 'string' },
    'latency-ms': { type: 'string', default: '0' },
    concurrency: { type: 'string' },
    'channel-buffer': { type: 'string' },
    repeat: { type: 'string', default: '1' },
  },
});
const variant = values.variant as Variant;
if (!variants.includes(variant)) throw new Error(`--variant: one of ${variants.join(', ')}`);
if ((values.fixture === undefined) === (values.url === undefined)) throw new Error('one of --fixture and --url');

const t0 = performance.now();
let start: string;
let fetcher: () => Fetcher;
if (values.fixture !== undefined) {
  const fixture = loadFixture(values.fixture);
  start = startOf(fixture);
  fetcher = () => new FixtureFetcher(fixture, Number(values['latency-ms']));
} else {
  start = values.url!;
  const { HttpFetcher } = await import('../lib/fetchers/http.js'); // undici and htmlparser2: not in a fixture run's RSS
  fetcher = () => new HttpFetcher();
}
const first = fetcher(); // a FixtureFetcher indexes its pages when made: that is loading, not crawling
const t1 = performance.now();
const concurrency = values.concurrency === undefined ? Infinity : Number(values.concurrency);
const buffer = values['channel-buffer'];
const channelBuffer = buffer === undefined ? undefined : buffer === 'inf' ? Infinity : Number(buffer);
/** One crawl with `f`: its fetches and milliseconds. */
async function once(f: Fetcher): Promise<[number, number]> {
  const t = performance.now();
  let fetches = 0;
  for await (const r of crawl(start, f, { variant, concurrency, ...(channelBuffer === undefined ? {} : { channelBuffer }) }))
    if (r.kind !== 'skipped') fetches += 1;
  return [fetches, performance.now() - t];
}
const [fetches, crawlMs] = await once(first);
const run: OneRun = { variant, fetches, loadMs: t1 - t0, crawlMs, maxRssMB: process.resourceUsage().maxRSS / 1024 };
for (let i = 1; i < Number(values.repeat); i++) run.warmCrawlMs = (await once(fetcher()))[1];
process.stdout.write(`${JSON.stringify(run)}\n`);
