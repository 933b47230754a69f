// The progress line: drawn on stderr while it is a terminal (done, in flight, queued, rate), erased
// before anything else is printed, and never written to a pipe or a file.
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { crawl } from '../lib/crawl.js';
import { FixtureFetcher, loadFixture, startOf } from '../lib/fixture/fixture.js';
import { EventEmitter } from 'node:events';
import { openSync, closeSync } from 'node:fs';
import fc from 'fast-check';
import { Progress, progressLine, sameTerminal } from '../lib/output/progress.js';
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

describe('fitting the width', () => {
  const counts = fc.record({ done: fc.nat(10 ** 9), inFlight: fc.nat(10 ** 4), queued: fc.nat(10 ** 9), skipped: fc.nat(10 ** 9) });

  it('leaves the last column free at any width, so a redraw never wraps', () => {
    fc.assert(
      fc.property(counts, fc.nat(10 ** 7), fc.integer({ min: 1, max: 300 }), (c, ms, columns) => {
        const line = progressLine(c, ms, columns);
        expect(line.length).toBeLessThanOrEqual(columns - 1);
        if (columns > 10 + String(c.done).length) expect(line).toMatch(new RegExp(`^done ${c.done}( |$)`)); // the count that matters most stays whole
      }),
      { numRuns: 2000 },
    );
  });

  it('is the whole line when it fits, and closes up, then drops counts, as the width shrinks', () => {
    const c = { done: 120, inFlight: 8, queued: 340, skipped: 3 };
    const whole = 'done 120  in flight 8  queued 340  skipped 3  60.0 pages/s';
    expect(progressLine(c, 2000)).toBe(whole);
    expect(progressLine(c, 2000, 80)).toBe(whole);
    expect(progressLine(c, 2000, whole.length + 1)).toBe(whole);
    expect(progressLine(c, 2000, whole.length)).toBe('done 120 in flight 8 queued 340 skipped 3 60.0/s');
    expect(progressLine(c, 2000, 40)).toBe('done 120 in flight 8 queued 340 60.0/s');
    expect(progressLine(c, 2000, 30)).toBe('done 120 queued 340 60.0/s');
    expect(progressLine(c, 2000, 20)).toBe('done 120 queued 340');
    expect(progressLine(c, 2000, 10)).toBe('done 120');
    expect(progressLine(c, 2000, 5)).toBe('done');
  });
});

const escape = String.fromCharCode(0x1b);

/** A terminal as Progress sees one: its width, 'resize' events, and what was written. */
class FakeTerminal extends EventEmitter {
  readonly isTTY = true;
  readonly writes: string[] = [];
  constructor(public columns: number) {
    super();
  }
  write(text: string): boolean {
    this.writes.push(text);
    return true;
  }
  /** The text of each draw, escapes and carriage returns taken out. */
  drawn(): string[] {
    return this.writes.map((w) => w.replace(new RegExp(`${escape}\\[\\d*[AJK]`, 'g'), '').replace(/\r/g, '')).filter((t) => t !== '');
  }
}

describe('Progress on a terminal', () => {
  const counts = { done: 120, inFlight: 8, queued: 340, skipped: 3 };
  let clock = 0;
  const now = () => clock;

  it('draws each line to the width of the terminal', async () => {
    const term = new FakeTerminal(40);
    const progress = new Progress(term, { intervalMs: 5, now });
    progress.watch(() => counts);
    await new Promise((resolve) => setTimeout(resolve, 40));
    progress.stop();
    expect(term.drawn().length).toBeGreaterThan(1);
    for (const line of term.drawn()) expect(line.length).toBeLessThan(40);
  });

  it('draws again at once when the terminal is resized, clearing the rows a narrower terminal wrapped the old line into', () => {
    const term = new FakeTerminal(80);
    const progress = new Progress(term, { intervalMs: 60_000, now });
    progress.watch(() => counts);
    clock += 2000;
    expect(term.listenerCount('resize')).toBe(1);
    term.emit('resize'); // the same width: drawn in place
    expect(term.writes).toEqual(['\rdone 120  in flight 8  queued 340  skipped 3  60.0 pages/s\x1b[K']);
    term.columns = 40;
    term.emit('resize'); // the 58 characters are two rows now: up one, clear below, draw
    expect(term.writes.at(-1)).toBe('\x1b[1A\r\x1b[Jdone 120 in flight 8 queued 340 60.0/s\x1b[K');
    term.columns = 20;
    term.emit('resize'); // 38 characters at 20 columns: two rows again
    expect(term.writes.at(-1)).toBe('\x1b[1A\r\x1b[Jdone 120 queued 340\x1b[K');
    progress.stop();
    expect(term.writes.at(-1)).toBe('\r\x1b[K');
    expect(term.listenerCount('resize')).toBe(0);
  });

  it('interleave: erases the line, lets the report line be written, then draws the line again below it', () => {
    const term = new FakeTerminal(80);
    const progress = new Progress(term, { intervalMs: 60_000, now });
    progress.interleave(() => term.write('before any progress\n')); // nothing drawn: nothing to erase
    progress.watch(() => counts);
    clock += 2000;
    term.emit('resize');
    progress.interleave(() => term.write('{"url":"http://a/"}\n'));
    const line = '\rdone 120  in flight 8  queued 340  skipped 3  60.0 pages/s\x1b[K';
    expect(term.writes).toEqual(['before any progress\n', line, '\r\x1b[K', '{"url":"http://a/"}\n', line]);
    progress.stop();
    progress.interleave(() => term.write('after\n')); // stopped: written as it is
    expect(term.writes.slice(-2)).toEqual(['\r\x1b[K', 'after\n']);
  });
});

describe('sameTerminal', () => {
  it('is false for files and pipes (only two descriptors of one terminal share a screen)', () => {
    const a = openSync('/dev/null', 'w');
    const b = openSync('/dev/null', 'w');
    try {
      expect(sameTerminal(a, b)).toBe(false); // one device, but no terminal
      expect(sameTerminal(a, 987)).toBe(false); // not open
    } finally {
      closeSync(a);
      closeSync(b);
    }
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
