// The crawl command's scope, robots, politeness and limit flags over HTTP, against a hostile site on
// 127.0.0.1: each run terminates, requests no URL twice, never requests a disallowed or
// out-of-scope URL, and reports every URL it discovered exactly once with its outcome.
import { afterEach, describe, expect, it } from 'vitest';
import { variants } from '../lib/crawl.js';
import { cli } from './support/cli.js';
import { page, redirect, respond, startSite, type Site } from './support/site.js';

interface Row {
  url: string;
  outcome: 'found' | 'failed' | 'skipped';
  reason?: string;
  status?: number;
  urls?: string[];
}
const rows = (stdout: string): Row[] =>
  stdout
    .trimEnd()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Row);

/** Each URL once; every link of a found page, and the start, reported. */
function expectEachDiscoveredOnce(report: Row[], start: string): void {
  const counts = new Map<string, number>();
  for (const r of report) counts.set(r.url, (counts.get(r.url) ?? 0) + 1);
  expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
  const discovered = new Set([start, ...report.flatMap((r) => r.urls ?? [])]);
  expect([...discovered].filter((u) => !counts.has(u))).toEqual([]);
}

const sites: Site[] = [];
afterEach(async () => {
  await Promise.all(sites.splice(0).map((s) => s.close()));
});

/** A hostile site `a`, and a site `b` on another port that `a` links and redirects to. */
async function hostile() {
  const b = await startSite({ '/': page('B', '/b1'), '/b1': page('B1') });
  const a = await startSite();
  sites.push(a, b);
  a.route('/robots.txt', respond(200, 'User-agent: *\nDisallow: /private/\n', { 'content-type': 'text/plain' }));
  a.route(
    '/',
    page(
      'Home',
      '/a',
      '/a#top',
      '/A',
      '/missing',
      '/private/x',
      '/go-private',
      '/go-out',
      '/loop1',
      b.url('/'),
      'mailto:x@y',
      'javascript:void(0)',
      '/file.pdf',
      '/docs/1',
      '/flaky',
    ),
  );
  a.route('/a', `<HTML><BODY><A HREF="../docs/2">up</A><a href="/">home</a><a href='/private/y'>p</a><p><b>unclosed`);
  a.route('/A', page('upper-case path: another page', '/a'));
  a.route('/go-private', redirect('/private/z'));
  a.route('/go-out', redirect(b.url('/b1'), 302));
  a.route('/loop1', redirect('/loop2'));
  a.route('/loop2', redirect('/loop1'));
  a.route('/file.pdf', respond(200, '%PDF-1.4', { 'content-type': 'application/pdf' }));
  a.route('/docs/1', page('D1', '/docs/2', '/docs/3'));
  a.route('/docs/2', page('D2', '/docs/1'));
  a.route('/docs/3', page('D3'));
  a.route('/flaky', (_req, res, hit) => respond(hit === 1 ? 503 : 200, page('Flaky'))(_req, res, hit));
  return { a, b };
}

describe.each(variants)('--variant %s over HTTP with the defaults (origin scope, robots.txt obeyed)', (variant) => {
  it('requests nothing twice, nothing disallowed, nothing off the origin; reports each discovered URL once', async () => {
    const { a, b } = await hostile();
    const run = await cli('--variant', variant, '--format', 'jsonl', '--quiet', '--retry-delay-ms', '10', a.url('/'));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = rows(run.stdout);
    expect(b.requests).toEqual([]);
    expect(a.requests.filter((p) => p.startsWith('/private/'))).toEqual([]);
    const twice = a.requests.filter((p, i) => a.requests.indexOf(p) !== i && p !== '/flaky'); // /flaky: one retry after its 503
    expect(twice).toEqual([]);
    expect(a.hits('/flaky')).toBe(2);
    const reasons = Object.fromEntries(
      report.filter((r) => r.outcome === 'skipped').map((r) => [new URL(r.url).pathname + (r.url.startsWith(a.origin) ? '' : ' (b)'), r.reason]),
    );
    expect(reasons).toEqual({ '/private/x': 'robots', '/private/y': 'robots', '/private/z': 'robots', '/ (b)': 'scope', '/b1 (b)': 'scope' });
    expect(report.find((r) => r.url === a.url('/missing'))).toMatchObject({ outcome: 'failed', status: 404 });
    expect(report.find((r) => r.url === a.url('/flaky'))).toMatchObject({ outcome: 'found' });
    expectEachDiscoveredOnce(report, a.url('/'));
  });

  it('--ignore-robots fetches the disallowed folder; --scope host follows the other port', async () => {
    const { a, b } = await hostile();
    const run = await cli('--variant', variant, '--format', 'jsonl', '--quiet', '--retry-delay-ms', '10', '--ignore-robots', '--scope', 'host', a.url('/'));
    expect(run.status).toBe(0);
    expect(a.hits('/robots.txt')).toBe(0);
    expect(a.hits('/private/x')).toBe(1);
    expect(b.hits('/b1')).toBe(1);
    expectEachDiscoveredOnce(rows(run.stdout), a.url('/'));
  });

  it('--include and --exclude: only /docs/ is followed, /docs/3 left out', async () => {
    const { a } = await hostile();
    const run = await cli('--variant', variant, '--format', 'jsonl', '--quiet', '--include', '/docs/', '--exclude', '/docs/3$', a.url('/'));
    expect(run.status).toBe(0);
    expect(a.requests.filter((p) => p !== '/robots.txt').sort()).toEqual(['/', '/docs/1', '/docs/2']);
    const report = rows(run.stdout);
    expect(report.find((r) => r.url === a.url('/docs/3'))).toMatchObject({ outcome: 'skipped', reason: 'scope' });
    expectEachDiscoveredOnce(report, a.url('/'));
  });

  it('--max-pages N: N requests for pages, the rest reported skipped "max-pages"', async () => {
    const { a } = await hostile();
    const run = await cli('--variant', variant, '--format', 'jsonl', '--max-pages', '4', '--retries', '0', a.url('/'));
    expect(run.status).toBe(0);
    expect(a.requests.filter((p) => p !== '/robots.txt')).toHaveLength(4);
    const report = rows(run.stdout);
    expect(report.filter((r) => r.outcome !== 'skipped')).toHaveLength(4);
    expect(report.filter((r) => r.reason === 'max-pages').length).toBeGreaterThan(0);
    expect(run.stderr).toMatch(/^chancrawl: \d+ ok, \d+ failed, \d+ skipped/m);
    expectEachDiscoveredOnce(report, a.url('/'));
  });

  it('--max-time S stops a slow site, aborting what is in flight', async () => {
    const { a } = await hostile();
    a.route('/docs/1', () => new Promise<void>(() => {})); // never answers
    const t0 = performance.now();
    const run = await cli('--variant', variant, '--format', 'jsonl', '--quiet', '--max-time', '0.7', a.url('/'));
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(run.status).toBe(0);
    const report = rows(run.stdout);
    expect(report.find((r) => r.url === a.url('/docs/1'))).toMatchObject({ outcome: 'skipped', reason: 'max-time' });
    expectEachDiscoveredOnce(report, a.url('/'));
  });
});

describe('politeness flags on the CLI', () => {
  it('--per-host 1 --delay-ms 60: one request at a time, starts at least 60 ms apart', async () => {
    let now = 0;
    let most = 0;
    const arrivals: number[] = [];
    const s = await startSite();
    sites.push(s);
    const paths = Array.from({ length: 6 }, (_, i) => `/p${i}`);
    for (const p of ['/', ...paths])
      s.route(p, async (_req, res) => {
        now += 1;
        most = Math.max(most, now);
        arrivals.push(performance.now());
        await new Promise((resolve) => setTimeout(resolve, 10));
        respond(200, page(p, ...(p === '/' ? paths : [])))(_req, res, 1);
        now -= 1;
      });
    const run = await cli('--per-host', '1', '--delay-ms', '60', '--quiet', s.url('/'));
    expect(run.status).toBe(0);
    expect(arrivals).toHaveLength(7);
    expect(most).toBe(1);
    for (let i = 1; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 1]!).toBeGreaterThanOrEqual(50);
  });
});

describe('bad policy flags: one line, exit 2', () => {
  it.each([
    [['--scope', 'planet'], /^chancrawl: --scope: must be one of origin, host, domain, any \(got "planet"\)\n$/],
    [['--include', '(unclosed'], /^chancrawl: --include: Invalid regular expression: \/\(unclosed\/: Unterminated group/],
    [['--per-host', '0'], /^chancrawl: --per-host: must be a whole number >= 1 \(got "0"\)\n$/],
    [['--max-time', 'soon'], /^chancrawl: --max-time: must be a number of seconds/],
    [['--max-pages=-3'], /^chancrawl: --max-pages: must be a whole number >= 0/],
    [['--ignore-robots'], /^chancrawl: --ignore-robots applies to crawling a site/],
  ])('%j', async (args, message) => {
    const run = await cli(...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
