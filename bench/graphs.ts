// The bench's graphs: generated once per size into out/bench/, and the figures a bound needs.
import { createWriteStream, existsSync, renameSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { join } from 'node:path';
import { loadFixture, startOf } from '../lib/fixture/fixture.js';
import { generate } from '../lib/fixture/gen.js';

/** out/bench/gen-N.json (seed 1, `chancrawl gen`'s defaults), written if it is not there yet. */
export async function ensureGraph(dir: string, pages: number): Promise<string> {
  const file = join(dir, `gen-${pages}.json`);
  if (existsSync(file)) return file;
  const part = `${file}.part`;
  const out = createWriteStream(part);
  await generate({ pages, seed: 1 }, out);
  out.end();
  await finished(out);
  renameSync(part, file);
  return file;
}

/**
 * The graph's breadth-first depth from its start (the farthest fetched URL, missing ones included,
 * in hops) and how many URLs a crawl fetches: with no cap, no design can end sooner than
 * (depth + 1) fetches one after another.
 */
export function criticalPath(file: string): { depth: number; fetches: number } {
  const fixture = loadFixture(file);
  const { pages } = fixture;
  const start = startOf(fixture);
  const distance = new Map([[start, 0]]);
  let frontier = [start];
  let depth = 0;
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const url of frontier) {
      for (const u of Object.hasOwn(pages, url) ? pages[url]!.urls : []) {
        if (distance.has(u)) continue;
        distance.set(u, depth + 1);
        next.push(u);
      }
    }
    if (next.length > 0) depth += 1;
    frontier = next;
  }
  return { depth, fetches: distance.size };
}
