// The progress line: drawn on stderr while it is a terminal (done, in flight, queued, rate), erased
// before anything else is printed, and never written to a pipe or a file.
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { crawl } from '../lib/crawl.js';
import { FixtureFetcher, loadFixture, startOf } from '../lib/fixture/fixture.js';
import { Progress, progressLine } from '../lib/output/progress.js';
import { collect } from './support/fetchers.js';

const fan = loadFixture('fixtures/wide-fan.json');

function fakeStream(isTTY?: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (text: string) => writes.push(text) } };
}

const erase = '\x1b[K'; // ANSI: erase to the end of the line
const pattern = new RegExp(`^\\r(?:done (\\d+) {2}in flight (\\d+) {2}queued (\\d+) {2}skipped (\\d+) {2}(\\d+\\.\\d) pages/s)${erase.replace('[', '\\[')}$`);

describe('Progress', () => {
  it('on a terminal: redraws done, in flight, queued and rate in place, then erases itself', async () => {
    const { writes, stream } = fakeStream(true);
    const progress = new Progress(stream, { intervalMs: 15 });
    expect(progress.enabled).toBe(true);
    await collect(crawl(startOf(fan), new FixtureFetcher(fan, 10), { concurrency: 3, maxPages: 60, watch: progress.watch }));
    progress.stop();
    expect(writes.at(-1)).toBe('\r\x1b[K');
    const lines = writes.slice(0, -1).map((w) => pattern.exec(w));
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.every((m) => m !== null)).toBe(true);
    const done = lines.map((m) => Number(m![1]));
    const inFlight = lines.map((m) => Number(m![2]));
    const queued = lines.map((m) => Number(m![3]));
    expect(done).toEqual([...done].sort((a, b) => a - b)); // never goes back
    expect(Math.max(...done)).toBeLessThanOrEqual(60);
    expect(Math.max(...inFlight)).toBeLessThanOrEqual(3);
    expect(Math.max(...inFlight)).toBeGreaterThan(0);
    expect(Math.max(...queued)).toBeGreaterThan(0); // the fan has hundreds of pages waiting
  });

  it.each([false, undefined])('isTTY %s: writes nothing', async (isTTY) => {
    const { writes, stream } = fakeStream(isTTY);
    const progress = new Progress(stream, { intervalMs: 5 });
    await collect(crawl(startOf(fan), new FixtureFetcher(fan, 5), { concurrency: 3, maxPages: 20, watch: progress.watch }));
    progress.stop();
    expect(progress.enabled).toBe(false);
    expect(writes).toEqual([]);
  });

  it('turned off on a terminal (--quiet): writes nothing', async () => {
    const { writes, stream } = fakeStream(true);
    const progress = new Progress(stream, { intervalMs: 5, enabled: false });
    await collect(crawl(startOf(fan), new FixtureFetcher(fan, 5), { concurrency: 3, maxPages: 20, watch: progress.watch }));
    progress.stop();
    expect(writes).toEqual([]);
  });

  it('rate is fetches per second of the elapsed time', () => {
    expect(progressLine({ done: 30, inFlight: 2, queued: 7, skipped: 1 }, 1500)).toBe('done 30  in flight 2  queued 7  skipped 1  20.0 pages/s');
  });
});

describe('the CLI', () => {
  const args = ['dist/lib/cli/main.js', '--fixture', 'fixtures/wide-fan.json', '--latency-ms', '20', '--concurrency', '4', '--max-pages', '60'];

  it('draws progress when stderr is a terminal (run under script(1), which gives it a pty)', () => {
    const shown = execFileSync('script', ['-qec', `${process.execPath} ${args.join(' ')} >/dev/null`, '/dev/null'], { encoding: 'utf8', timeout: 20_000 });
    expect(shown).toMatch(/done \d+ {2}in flight [1-4] {2}queued \d+/);
    expect(shown.endsWith('\r\x1b[K')).toBe(true);
  });

  it('is quiet when stderr is a pipe', () => {
    const run = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
  });
});
