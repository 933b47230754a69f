// crawlSite(): a site over HTTP with the CLI's defaults (origin scope, robots.txt, 8 per host, 16
// in all) unless the caller overrides them, and a process that exits as soon as the loop is over.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { crawlSite, siteDefaults } from '../lib/index.js';
import type { Result } from '../lib/types.js';
import { cli } from './support/cli.js';
import { page, sitesClosedAfterEach, type Handler } from './support/site.js';

const site = sitesClosedAfterEach(afterEach);

async function collect(results: AsyncIterable<Result>): Promise<Result[]> {
  const all: Result[] = [];
  for await (const r of results) all.push(r);
  return all;
}

const byUrl = (results: Result[]) => Object.fromEntries(results.map((r) => [r.url, r.kind === 'skipped' ? `skipped ${r.reason}` : r.kind]));

/** A handler that answers a page after `ms`, counting the requests it is answering at once. */
function slow(ms: number, gauge: { now: number; max: number }, body = page('slow')): Handler {
  return async (_req, res) => {
    gauge.max = Math.max(gauge.max, ++gauge.now);
    await new Promise((r) => setTimeout(r, ms));
    gauge.now -= 1;
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(body);
  };
}

describe('crawlSite: the defaults', () => {
  it('follows only the start origin, obeys robots.txt, and never asks outside hosts', async () => {
    const other = await site({ '/': page('other') });
    const s = await site({
      '/robots.txt': 'User-agent: *\nDisallow: /private/\n',
      '/': page('home', '/a', '/private/x', 'http://example.org/', 'https://203.0.113.9/x', `${other.origin}/`),
      '/a': page('a', '/'),
    });
    const results = await collect(crawlSite(`${s.origin}`)); // no trailing slash: the start is normalized, fetched once
    expect(byUrl(results)).toEqual({
      [`${s.origin}/`]: 'found',
      [`${s.origin}/a`]: 'found',
      [`${s.origin}/private/x`]: 'skipped robots',
      'http://example.org/': 'skipped scope',
      'https://203.0.113.9/x': 'skipped scope',
      [`${other.origin}/`]: 'skipped scope',
    });
    expect(results.find((r) => r.kind === 'found' && r.url === `${s.origin}/`)).toMatchObject({ page: { title: 'home' } });
    expect(s.requests.sort()).toEqual(['/', '/a', '/robots.txt']);
    expect(other.requests).toEqual([]);
  });

  // The CLI crawls a site with the same defaults: the caps are checked through both doors.
  const doors = {
    crawlSite: async (start: string) => (await collect(crawlSite(start, { scope: 'any' }))).filter((r) => r.kind === 'found').length,
    'the CLI': async (start: string) => (await cli(start, '--scope', 'any', '--quiet')).stdout.split('\n').filter((line) => line.startsWith('found:')).length,
  };
  it.each(Object.keys(doors) as (keyof typeof doors)[])(
    `%s: at most ${siteDefaults.perHost} requests in flight to one host and ${siteDefaults.concurrency} in all`,
    async (door) => {
      // Three hosts (127.0.0.1 on three ports) of 20 slow pages each, linked together, crawled with scope 'any'.
      const gauges = [0, 1, 2].map(() => ({ now: 0, max: 0 }));
      const sites = await Promise.all(gauges.map(() => site()));
      const paths = Array.from({ length: 20 }, (_, i) => `/p${i}`);
      const links = sites.flatMap((x) => paths.map((p) => x.url(p)));
      let inAll = 0;
      let maxInAll = 0;
      sites.forEach((x, i) => {
        x.route('/', page('home', ...links));
        for (const p of paths) {
          const inner = slow(150, gauges[i]!);
          x.route(p, async (req, res, hit) => {
            maxInAll = Math.max(maxInAll, ++inAll);
            await inner(req, res, hit);
            inAll -= 1;
          });
        }
      });
      expect(await doors[door](sites[0]!.url('/'))).toBe(1 + 3 * 20);
      expect(gauges.map((g) => g.max <= siteDefaults.perHost)).toEqual([true, true, true]);
      expect(Math.max(...gauges.map((g) => g.max)), 'the per-host cap is reached, not a lower one').toBe(siteDefaults.perHost);
      expect(maxInAll, 'the global cap: 3 hosts of 8 would make 24').toBe(siteDefaults.concurrency);
    },
    30_000,
  );

  it('the caller overrides any default: scope, robots, the caps, the fetcher', async () => {
    const other = await site({ '/': page('other') });
    const s = await site({ '/robots.txt': 'User-agent: *\nDisallow: /\n', '/': page('home', `${other.origin}/`) });
    const results = await collect(crawlSite(s.url('/'), { scope: 'any', robots: false, perHost: 1, concurrency: 1 }));
    expect(byUrl(results)).toEqual({ [s.url('/')]: 'found', [`${other.origin}/`]: 'found' });
    expect(s.hits('/robots.txt')).toBe(0);
    const own = { fetch: async (url: string) => ({ url, urls: [], title: 'mine' }) };
    expect(await collect(crawlSite('http://never.invalid/', { fetcher: own, robots: false }))).toMatchObject([
      { kind: 'found', url: 'http://never.invalid/', page: { title: 'mine' } },
    ]);
    await expect(collect(crawlSite('ftp://example.org/'))).rejects.toThrow('not an http(s) URL: "ftp://example.org/"');
  });
});

/**
 * Runs a child process that crawls `start` with crawlSite and leaves the loop by `mode`; resolves
 * with how long after the loop's end (as the child saw it) the process exited, and its output.
 */
function exitAfterLoop(start: string, mode: 'end' | 'break' | 'throw' | 'abort' | 'return'): Promise<{ lag: number; code: number | null; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'chancrawl-exit-'));
  const script = join(dir, 'crawl.mjs');
  const lib = pathToFileURL(resolve('dist/lib/index.js')).href;
  writeFileSync(
    script,
    `import { crawlSite } from ${JSON.stringify(lib)};
const [start, mode] = process.argv.slice(2);
const stop = new AbortController();
async function run() {
  for await (const r of crawlSite(start, { signal: stop.signal })) {
    console.log(r.kind, r.url);
    if (r.url.endsWith('/first')) {
      if (mode === 'break') break;
      if (mode === 'return') return;
      if (mode === 'throw') throw new Error('left by a throw');
      if (mode === 'abort') stop.abort();
    }
  }
}
await run().catch((error) => console.log('caught', error.message));
console.log('loop ended', Date.now());
`,
  );
  return new Promise((done) => {
    const child = spawn(process.execPath, [script, start, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => {
      const now = Date.now();
      const ended = Number(/^loop ended (\d+)$/m.exec(out)?.[1] ?? NaN);
      done({ lag: now - ended, code, out });
    });
  });
}

describe('crawlSite: nothing keeps the process alive once the loop is over', () => {
  // The start page links to /first (answered after 300 ms), to /slow (answered after 60 s, so it is on the
  // wire when the loop is left early), to outside hosts (never asked), and to itself.
  const routes = (s: { origin: string }): Record<string, string | Handler> => ({
    '/': page('home', '/first', '/slow', 'http://example.org/', 'https://203.0.113.9/', '/'),
    '/first': slow(300, { now: 0, max: 0 }, page('first')), // by then /slow is on the wire
    '/slow': slow(60_000, { now: 0, max: 0 }),
    '/end': page('end', '/first', `${s.origin}/more`),
    '/more': page('more', 'http://example.com/x'),
  });

  it.each(['break', 'return', 'throw', 'abort'] as const)(
    'left early by %s, with a fetch in flight: exits within a second',
    async (mode) => {
      const s = await site();
      for (const [path, route] of Object.entries(routes(s))) s.route(path, route);
      const { lag, code, out } = await exitAfterLoop(s.url('/'), mode);
      expect(out).toMatch(/^found http:\/\/127\.0\.0\.1:\d+\/first$/m);
      expect(s.hits('/slow'), 'the slow page was on the wire').toBe(1);
      expect(code).toBe(0);
      expect(lag).toBeLessThan(1000);
    },
    20_000,
  );

  it('the whole crawl done: exits within a second', async () => {
    const s = await site();
    for (const [path, route] of Object.entries(routes(s))) s.route(path, route);
    const { lag, code, out } = await exitAfterLoop(s.url('/end'), 'end');
    expect(out.match(/^found /gm)).toHaveLength(3);
    expect(code).toBe(0);
    expect(lag).toBeLessThan(1000);
  }, 20_000);
});
