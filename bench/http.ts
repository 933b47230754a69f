// How fast the three designs crawl over HTTP: a generated graph served by `chancrawl serve` in its
// own process (so server and crawler each get a core), crawled here with HttpFetcher.
// Usage: node dist/bench/http.js [--pages N] [--latency-ms L] [--concurrency K] [--runs R]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { text } from 'node:stream/consumers';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { crawl, variants } from '../lib/crawl.js';
import { generate } from '../lib/fixture/gen.js';
import { HttpFetcher } from '../lib/fetchers/http.js';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '2000' },
    'latency-ms': { type: 'string', default: '0' },
    concurrency: { type: 'string', default: '16' },
    runs: { type: 'string', default: '3' },
  },
});
const pages = Number(values.pages);
const concurrency = Number(values.concurrency);
const runs = Number(values.runs);

const out = new PassThrough();
const json = text(out);
await generate({ pages, seed: 1 }, out);
out.end();
const file = join(tmpdir(), `chancrawl-bench-http-${pages}.json`);
writeFileSync(file, await json);

const cli = fileURLToPath(new URL('../lib/cli/main.js', import.meta.url));
const server = spawn(process.execPath, [cli, 'serve', file, '--latency-ms', values['latency-ms']], { stdio: ['ignore', 'pipe', 'ignore'] });
const [firstChunk] = (await once(server.stdout, 'data')) as [Buffer];
const start = firstChunk.toString().split('\n')[0]!;

console.log(`${pages} pages served at ${start} with ${values['latency-ms']} ms latency; ${concurrency} in flight; best of ${runs}`);
try {
  for (const variant of variants) {
    let best = Infinity;
    let n = 0;
    for (let run = 0; run < runs; run++) {
      const t0 = performance.now();
      n = 0;
      for await (const r of crawl(start, new HttpFetcher(), { variant, concurrency })) if (r.kind !== 'skipped') n += 1;
      best = Math.min(best, performance.now() - t0);
    }
    const heap = process.memoryUsage().heapUsed / 1e6;
    console.log(`${variant.padEnd(8)} ${n} fetches in ${(best / 1000).toFixed(2)} s: ${Math.round((n / best) * 1000)} pages/s (heap ${heap.toFixed(0)} MB)`);
  }
} finally {
  server.kill('SIGTERM');
}
