// `chancrawl URL1 URL2` and `--sitemap` on pages written like the Python docs, served on 127.0.0.1:
// each seed once at depth 0, sitemaps from robots.txt, off-site seeds skipped, an unreadable
// sitemap reported failed (exit 5 with --fail-on-broken), the pictures without the seeds page, bad input.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReportLine } from '../lib/output/schema.js';
import { seedsUrl } from '../lib/seams/seeds.js';
import { cli, cliPath } from './support/cli.js';
import { docsFiles, serveDocs } from './support/docs-site.js';
import { respond, type Site } from './support/site.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** The docs-like site, with a sitemap of three of its pages and one page elsewhere, named in its robots.txt. */
async function docs(): Promise<Site> {
  const s = await serveDocs(docsFiles('http://elsewhere.invalid'));
  cleanups.push(() => s.close());
  const locs = ['library/os.html', 'whatsnew/3.11.html', 'library/index.html'].map((p) => s.url(`/${p}`));
  s.route(
    '/sitemap.xml',
    respond(
      200,
      `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${[...locs, 'https://www.python.org/'].map((l) => `<url><loc>${l}</loc></url>`).join('')}</urlset>`,
      { 'content-type': 'application/xml' },
    ),
  );
  s.route('/robots.txt', respond(200, `User-agent: *\nDisallow:\n\nSitemap: ${s.url('/sitemap.xml')}\n`, { 'content-type': 'text/plain' }));
  return s;
}
const parse = (text: string): ReportLine[] =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as ReportLine);
const counts = (lines: ReportLine[]) => lines.reduce((m, l) => m.set(l.url, (m.get(l.url) ?? 0) + 1), new Map<string, number>());

describe('several START_URLs', () => {
  it('crawls each from depth 0, reports each once (one links to the other), and follows --depth from each', async () => {
    const s = await docs();
    const run = await cli(
      '--format',
      'jsonl',
      '--quiet',
      '--depth',
      '1',
      s.url('/library/functions.html'),
      s.url('/whatsnew/3.11.html'),
      s.url('/library/os.html'),
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = parse(run.stdout);
    expect([...counts(lines)].filter(([, n]) => n > 1)).toEqual([]);
    expect(lines.map((l) => l.url)).not.toContain(seedsUrl);
    const at = (path: string) => lines.find((l) => l.url === s.url(path));
    for (const seed of ['/library/functions.html', '/whatsnew/3.11.html', '/library/os.html']) expect(at(seed)).toMatchObject({ depth: 0, outcome: 'found' });
    expect(at('/library/functions.html')).not.toHaveProperty('parent');
    expect(at('/index.html')).toMatchObject({ depth: 1, outcome: 'found' }); // one hop from functions.html and from 3.11.html
    expect(at('/library/index.html')).toMatchObject({ depth: 2, outcome: 'skipped', reason: 'depth' });
    expect(s.hits('/library/os.html')).toBe(1);
  });

  it('draws the seeds as starts in --graph and --timeline, without the seeds page; the summary counts seeds, not it', async () => {
    const s = await docs();
    const dir = mkdtempSync(join(tmpdir(), 'chancrawl-seeds-'));
    const run = await cli(
      '--depth',
      '0',
      '--graph',
      join(dir, 'g.dot'),
      '--timeline',
      join(dir, 't.svg'),
      s.url('/library/os.html'),
      s.url('/whatsnew/3.11.html'),
    );
    expect(run.status).toBe(0);
    expect(run.stdout.trimEnd().split('\n').sort()).toEqual([`found:   ${s.url('/library/os.html')}`, `found:   ${s.url('/whatsnew/3.11.html')}`]);
    expect(run.stderr).toMatch(/^chancrawl: 2 ok, 0 failed, \d+ skipped/);
    const dot = readFileSync(join(dir, 'g.dot'), 'utf8');
    const svg = readFileSync(join(dir, 't.svg'), 'utf8');
    expect(dot).not.toContain(seedsUrl);
    expect(svg).not.toContain(seedsUrl);
    expect(dot.match(/class = "found start"/g)).toHaveLength(2);
    expect(svg).toContain(`${s.url('/library/os.html')} + 1 more`);
  });
});

describe('--sitemap', () => {
  it("robots: the Sitemap lines of START_URL's robots.txt, each <loc> a seed at depth 0 with the sitemap as parent, one elsewhere skipped 'scope'", async () => {
    const s = await docs();
    const run = await cli('--sitemap', 'robots', '--depth', '0', '--format', 'jsonl', '--quiet', s.url('/index.html'));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = parse(run.stdout);
    expect([...counts(lines)].filter(([, n]) => n > 1)).toEqual([]); // library/index.html is a seed and a link of index.html
    const sitemap = s.url('/sitemap.xml');
    expect(
      lines
        .filter((l) => l.depth === 0)
        .map((l) => [l.url, l.outcome, l.parent])
        .sort(),
    ).toEqual(
      [
        [s.url('/index.html'), 'found', undefined],
        [s.url('/library/os.html'), 'found', sitemap],
        [s.url('/whatsnew/3.11.html'), 'found', sitemap],
        [s.url('/library/index.html'), 'found', sitemap],
        ['https://www.python.org/', 'skipped', sitemap],
      ].sort(),
    );
    expect(lines.find((l) => l.url === 'https://www.python.org/')).toMatchObject({ reason: 'scope' });
  });

  it('a sitemap URL alone is enough; one that cannot be read is reported failed, the crawl goes on, and --fail-on-broken exits 5', async () => {
    const s = await docs();
    const run = await cli('--sitemap', s.url('/sitemap.xml'), '--sitemap', s.url('/sitemap-old.xml'), '--depth', '0', '--quiet', '--fail-on-broken');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(5);
    expect(run.stdout.trimEnd().split('\n').sort()).toEqual(
      [
        `found:   ${s.url('/library/index.html')}`,
        `found:   ${s.url('/library/os.html')}`,
        `found:   ${s.url('/whatsnew/3.11.html')}`,
        `missing: ${s.url('/sitemap-old.xml')}`,
      ].sort(),
    );
    const jsonl = parse((await cli('--sitemap', s.url('/sitemap-old.xml'), '--format', 'jsonl', '--quiet')).stdout);
    expect(jsonl).toEqual([expect.objectContaining({ url: s.url('/sitemap-old.xml'), depth: 0, outcome: 'failed', status: 404, error: 'HTTP 404 Not Found' })]);
  });

  it('SIGINT while a sitemap is read: exit 130, the seeds so far reported skipped, no stack trace', async () => {
    const s = await docs();
    let asked!: () => void;
    const reading = new Promise<void>((resolve) => (asked = resolve));
    s.route('/slow.xml', () => asked()); // never answers
    const child = spawn(process.execPath, [cliPath, '--sitemap', s.url('/slow.xml'), '--format', 'jsonl', s.url('/index.html')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    await reading;
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(err).not.toContain('internal error');
    expect(code).toBe(130);
    expect(parse(out)).toEqual([expect.objectContaining({ url: s.url('/index.html'), depth: 0, outcome: 'skipped', reason: 'aborted' })]);
  });

  it.each([
    [['--sitemap', 'robots'], "--sitemap robots reads the robots.txt of each START_URL's origin: give a START_URL"],
    [['--sitemap', 'ftp://x/s.xml', 'http://127.0.0.1:9/'], '--sitemap: not an http(s) URL, nor robots (got "ftp://x/s.xml")'],
    [
      ['--fixture', 'fixtures/golang-org.json', '--sitemap', 'http://127.0.0.1:9/s.xml'],
      '--sitemap applies to crawling a site (an http(s) START_URL without --fixture)',
    ],
    [['--resume', '/dev/null', 'http://127.0.0.1:9/a', 'http://127.0.0.1:9/b'], '--resume takes one START_URL, not several or --sitemap'],
  ])('bad input %j: one line, exit 2', async (args, message) => {
    const run = await cli(...args);
    expect(run.stderr).toBe(`chancrawl: ${message}\n`);
    expect(run.status).toBe(2);
  });
});
