// Stopping: an abort or an early break leaves no fetch running, no task pending, no channel
// operation blocked, and (for an abort) every discovered URL reported exactly once.
import { spawn } from 'node:child_process';
import { setImmediate as tick } from 'node:timers/promises';
import { Chan } from 'ts-chan';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { crawl, variants } from '../lib/crawl.js';
import { FixtureFetcher, loadFixture } from '../lib/fixture/fixture.js';
import type { Result } from '../lib/types.js';
import { CountingFetcher } from './support/fetchers.js';

const fan = loadFixture('fixtures/wide-fan.json');

/** Counts channel operations still waiting, across every Chan the designs make. */
function watchChannels() {
  const pending = { send: 0, recv: 0 };
  for (const op of ['send', 'recv'] as const) {
    const original = Chan.prototype[op] as (...args: unknown[]) => Promise<unknown>;
    vi.spyOn(Chan.prototype, op).mockImplementation(function (this: Chan<unknown>, ...args: unknown[]) {
      pending[op] += 1;
      return original.apply(this, args).finally(() => (pending[op] -= 1)) as never;
    });
  }
  return pending;
}

afterEach(() => vi.restoreAllMocks());

describe.each(variants)('%s', (variant) => {
  it('an abort mid-crawl stops fetching and reports every discovered URL once', async () => {
    const pending = watchChannels();
    const fetcher = new CountingFetcher(new FixtureFetcher(fan, { min: 5, max: 40, seed: 7 }));
    const stop = new AbortController();
    const results: Result[] = [];
    let startedAtAbort = -1;
    for await (const r of crawl(fan.start!, fetcher, { variant, signal: stop.signal, concurrency: 16 })) {
      results.push(r);
      if (results.length === 20) {
        stop.abort();
        startedAtAbort = fetcher.started;
      }
    }
    await tick();
    expect(fetcher.started).toBe(startedAtAbort); // no fetch started after the abort
    expect(fetcher.inFlight).toBe(0);
    expect(pending).toEqual({ send: 0, recv: 0 });

    const urls = results.map((r) => r.url);
    expect(new Set(urls).size).toBe(urls.length); // each once
    const discovered = new Set([fan.start!, ...results.flatMap((r) => (r.kind === 'found' ? r.page.urls : []))]);
    expect(new Set(urls)).toEqual(discovered);
    const skipped = results.filter((r) => r.kind === 'skipped');
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every((r) => r.reason === 'aborted')).toBe(true);
    expect(results.filter((r) => r.kind !== 'skipped').length).toBeLessThan(discovered.size);
  });

  it('an abort before the first fetch reports the start as skipped', async () => {
    const fetcher = new CountingFetcher(new FixtureFetcher(fan));
    const results: Result[] = [];
    for await (const r of crawl(fan.start!, fetcher, { variant, signal: AbortSignal.abort() })) results.push(r);
    expect(fetcher.started).toBe(0);
    expect(results).toEqual([{ kind: 'skipped', url: fan.start, depth: 0, reason: 'aborted' }]);
  });

  it('breaking out of for-await leaves nothing running or blocked', async () => {
    const pending = watchChannels();
    const fetcher = new CountingFetcher(new FixtureFetcher(fan, { min: 5, max: 40, seed: 3 }));
    let seen = 0;
    for await (const r of crawl(fan.start!, fetcher, { variant })) {
      void r;
      if (++seen === 10) break;
    }
    const startedAtBreak = fetcher.started;
    await tick();
    expect(fetcher.inFlight).toBe(0);
    expect(pending).toEqual({ send: 0, recv: 0 });
    await new Promise((r) => setTimeout(r, 60)); // longer than any latency: nothing starts late
    expect(fetcher.started).toBe(startedAtBreak);
  });

  it('a process that breaks out early exits on its own, at once', async () => {
    // After the first three, every fetch takes 5 s: a timer or task that outlived the break would
    // keep the process alive that long.
    const script = `
      import { setTimeout as sleep } from 'node:timers/promises';
      import { crawl, FixtureFetcher, loadFixture } from './dist/lib/index.js';
      const fan = loadFixture('fixtures/wide-fan.json');
      const pages = new FixtureFetcher(fan);
      let calls = 0;
      const fetcher = { fetch: async (url, signal) => (++calls > 3 && (await sleep(5000, null, { signal })), pages.fetch(url, signal)) };
      let n = 0;
      for await (const r of crawl(fan.start, fetcher, { variant: '${variant}' })) if (++n === 3) break;
      console.log('broke after', n);`;
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 4500);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearTimeout(killer);
    expect(out.trim()).toBe('broke after 3');
    expect(code).toBe(0);
    expect(performance.now() - t0).toBeLessThan(4500);
  });
});
