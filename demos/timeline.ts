// `make timeline`: the three designs crawl one graph with simulated latency, and docs/timeline.html
// shows their fetches on one time scale: Serial's one lane of bars end to end beside the concurrent
// designs' many lanes at once.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { crawl, type Variant } from '../lib/crawl.js';
import { InputError } from '../lib/errors.js';
import { FixtureFetcher, loadFixture, startOf } from '../lib/fixture/fixture.js';
import { lanes, timelinePage, type TimelineSection } from '../lib/output/timeline.js';
import type { Result } from '../lib/types.js';
import { isMainModule } from '../lib/main-module.js';

const goNames: Record<Variant, string> = { serial: 'Serial', mutex: 'ConcurrentMutex', channel: 'ConcurrentChannel' };

export interface PageOptions {
  fixture: string;
  latency: { min: number; max: number; seed: number };
  concurrency?: number;
}

/** Crawls the fixture with each design in turn and returns the page. */
export async function timelineHtml(options: PageOptions): Promise<string> {
  const fixture = loadFixture(options.fixture);
  const start = startOf(fixture);
  const sections: TimelineSection[] = [];
  for (const variant of ['serial', 'mutex', 'channel'] as const) {
    const results: Result[] = [];
    const t0 = performance.now();
    for await (const r of crawl(start, new FixtureFetcher(fixture, options.latency), { variant, concurrency: options.concurrency })) results.push(r);
    sections.push({ title: `${goNames[variant]} (lib/designs/${variant}.ts)`, bars: lanes(results), t0 });
  }
  const { min, max, seed } = options.latency;
  const cap = options.concurrency === undefined ? 'no cap on fetches in flight, as in Go' : `at most ${options.concurrency} fetches in flight`;
  return timelinePage(
    'chancrawl: three designs, one crawl, one time scale',
    `Each bar is one fetch of ${options.fixture} (from ${start}), from its start to its end; each fetch takes ${min}-${max} ms (seed ${seed}); ${cap}. A lane holds one fetch at a time, so the lanes in use are the fetches in flight. Colour: the depth the fetch was reached at; hatched red: a missing page.`,
    sections,
  );
}

function number(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new InputError(`--${name}: must be a whole number (got "${text}")`);
  return Number(text);
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      fixture: { type: 'string' },
      'latency-ms': { type: 'string' },
      seed: { type: 'string' },
      concurrency: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
  });
  const latency = /^(\d+)-(\d+)$/.exec(values['latency-ms'] ?? '20-60');
  if (!latency || Number(latency[1]) > Number(latency[2]))
    throw new InputError(`--latency-ms: must be MIN-MAX with MIN <= MAX (got "${values['latency-ms']}")`);
  const out = values.out ?? 'docs/timeline.html';
  const html = await timelineHtml({
    fixture: values.fixture ?? 'fixtures/golang-org.json',
    latency: { min: Number(latency[1]), max: Number(latency[2]), seed: number('seed', values.seed, 1) },
    concurrency: values.concurrency === undefined ? undefined : number('concurrency', values.concurrency, 0) || undefined,
  });
  writeFileSync(out, html);
  process.stdout.write(`wrote ${out}\n`);
}

if (isMainModule(import.meta)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(
      `timeline: ${error instanceof InputError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = error instanceof InputError ? 2 : 1;
  });
}
