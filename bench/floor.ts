// The floor under every design: the least a crawl can cost in Node with the Fetcher interface, an
// async fetch per page and each result through one async generator. No design shape, no channel,
// no recursion: a loop over a stack with a Set of the URLs seen. No design can go below it, so it
// says how much of a gap to Go is the language and how much is ours. Prints one JSON line, as one.ts.
// Usage: node dist/bench/floor.js --fixture FILE
import { parseArgs } from 'node:util';
import { FixtureFetcher, loadFixture, startOf } from '../lib/fixture/fixture.js';
import type { Fetcher, Result } from '../lib/types.js';
import type { OneRun } from './one.js';

const { values } = parseArgs({ options: { fixture: { type: 'string' } } });
if (values.fixture === undefined) throw new Error('--fixture FILE');

/** Fetches every URL reachable from `start` once, depth first, yielding a result for each. */
async function* floor(start: string, fetcher: Fetcher): AsyncGenerator<Result> {
  const seen = new Set([start]);
  const stack: [string, number][] = [[start, 0]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [url, depth] = next;
    try {
      const page = await fetcher.fetch(url);
      yield { kind: 'found', url, depth, page, start: 0, end: 0 };
      for (let i = page.urls.length - 1; i >= 0; i--) {
        const u = page.urls[i]!;
        if (seen.has(u)) continue;
        seen.add(u);
        stack.push([u, depth + 1]);
      }
    } catch (error) {
      yield { kind: 'failed', url, depth, error: String(error), start: 0, end: 0 };
    }
  }
}

const t0 = performance.now();
const fixture = loadFixture(values.fixture);
const fetcher = new FixtureFetcher(fixture);
const t1 = performance.now();
let fetches = 0;
for await (const r of floor(startOf(fixture), fetcher)) if (r.kind !== 'skipped') fetches += 1;
const run: OneRun = { variant: 'floor', fetches, loadMs: t1 - t0, crawlMs: performance.now() - t1, maxRssMB: process.resourceUsage().maxRSS / 1024 };
process.stdout.write(`${JSON.stringify(run)}\n`);
