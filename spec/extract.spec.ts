// Extraction on pages written like the Python docs: --extract NAME=SELECTOR[@attr] filling each
// found page's data, --extract-from choosing the pages, and the library's extract option (a map or
// a callback given the page's lazily built DOM and, when kept, its headers).
import { afterEach, describe, expect, it } from 'vitest';
import { crawl } from '../lib/crawl.js';
import { HttpFetcher } from '../lib/fetchers/http.js';
import { ReportLine } from '../lib/output/schema.js';
import type { Page, Result } from '../lib/types.js';
import { cli } from './support/cli.js';
import { docsFiles, serveDocs } from './support/docs-site.js';
import type { Site } from './support/site.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
async function docs(): Promise<Site> {
  const s = await serveDocs(docsFiles('http://127.0.0.1:9'));
  cleanups.push(() => s.close());
  return s;
}
const parse = (text: string): ReportLine[] =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => ReportLine.parse(JSON.parse(l)));
const found = (lines: ReportLine[], url: string) => lines.find((l): l is Extract<ReportLine, { outcome: 'found' }> => l.url === url && l.outcome === 'found');

describe('--extract', () => {
  it('fills data.NAME of each found page with every match: text, spaces collapsed, or SELECTOR@attr as written; prints jsonl', async () => {
    const s = await docs();
    const run = await cli(
      '--quiet',
      '--extract',
      'title=title',
      '--extract',
      'links=a.reference.internal@href',
      '--extract',
      'logo=img@alt',
      '--extract',
      'none=h6',
      s.url('/index.html'),
    );
    expect(run.status).toBe(0);
    const lines = parse(run.stdout);
    expect(found(lines, s.url('/library/os.html'))?.data).toEqual({
      title: ['os \u2014 Miscellaneous operating system interfaces \u2014 Python 3.11.2 documentation'],
      links: ['functions.html', 'missing.html', 'http://127.0.0.1:9/ok', 'http://127.0.0.1:9/gone', 'http://127.0.0.1:9/no-head'],
      logo: ['Logo', 'a broken image'],
      none: [],
    });
    for (const l of lines) if (l.outcome !== 'found') expect(l).not.toHaveProperty('data');
    expect(lines.filter((l) => l.outcome === 'found').every((l) => l.outcome === 'found' && l.data !== undefined)).toBe(true);
  });

  it('--extract-from REGEX extracts only from the pages whose URL matches', async () => {
    const s = await docs();
    const lines = parse((await cli('--quiet', '--extract', 'title=title', '--extract-from', '/library/', s.url('/index.html'))).stdout);
    const withData = lines.filter((l) => l.outcome === 'found' && l.data !== undefined).map((l) => l.url.replace(s.origin, ''));
    expect(withData.sort()).toEqual(['/library/functions.html', '/library/index.html', '/library/os.html']);
    expect(found(lines, s.url('/genindex.html'))).not.toHaveProperty('data');
  });

  it('a bad selector, a pair without =, a bad regex, --extract-from alone: one line, exit 2, nothing crawled', async () => {
    const s = await docs();
    const cases: [string[], RegExp][] = [
      [['--extract', 'x=a[href'], /^chancrawl: --extract x=a\[href: not a CSS selector: .+\n$/],
      [['--extract', 'h1'], /^chancrawl: --extract: must be NAME=SELECTOR.*\n$/],
      [['--extract', 'a=h1', '--extract', 'a=h2'], /^chancrawl: --extract: a is given twice.*\n$/],
      [['--extract', 'a=h1', '--extract-from', '('], /^chancrawl: --extract-from: Invalid regular expression.*\n$/],
      [['--extract-from', 'x'], /^chancrawl: --extract-from limits --extract, which is not given\n$/],
    ];
    for (const [args, message] of cases) {
      const run = await cli(...args, s.url('/index.html'));
      expect({ args, status: run.status }).toEqual({ args, status: 2 });
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    }
    expect(s.requests).toEqual([]);
  });
});

describe('the extract option', () => {
  it('hands each kept page to a callback with its DOM built on first use, once, and its headers; the body is let go before the page is reported', async () => {
    const s = await docs();
    const seen: string[] = [];
    const fetcher = new HttpFetcher({ keepBody: (url) => url.includes('/library/'), keepHeaders: true });
    const results: Result[] = [];
    for await (const r of crawl(s.url('/index.html'), fetcher, {
      scope: { scope: 'origin' },
      extract: (view) => {
        seen.push(view.url);
        expect(view.document).toBe(view.document);
        return { h: view.document.querySelectorAll('a').length, type: view.headers?.['content-type'], bytes: Buffer.byteLength(view.html) };
      },
    }))
      results.push(r);
    expect(seen.map((u) => u.replace(s.origin, '')).sort()).toEqual(['/library/functions.html', '/library/index.html', '/library/os.html']);
    const os = results.find((r): r is Extract<Result, { kind: 'found' }> => r.url === s.url('/library/os.html') && r.kind === 'found')!;
    expect(os.page.data).toEqual({ h: 5, type: 'text/html; charset=utf-8', bytes: os.page.bytes });
    for (const r of results) if (r.kind === 'found') expect((r.page as Page).html).toBeUndefined();
  });

  it('takes a map of selectors, as --extract does; a callback that throws fails its page', async () => {
    const s = await docs();
    const fetcher = new HttpFetcher({ keepBody: true });
    const byUrl = new Map<string, Result>();
    for await (const r of crawl(s.url('/library/index.html'), fetcher, {
      scope: { scope: 'origin' },
      maxDepth: 0,
      extract: { title: 'title', up: 'a[href^=".."]@href' },
    }))
      byUrl.set(r.url, r);
    expect(byUrl.get(s.url('/library/index.html'))).toMatchObject({
      kind: 'found',
      page: { data: { title: ['The Python Standard Library \u2014 Python 3.11.2 documentation'], up: ['../index.html'] } },
    });
    const failed: Result[] = [];
    for await (const r of crawl(s.url('/library/index.html'), fetcher, {
      maxDepth: 0,
      extract: () => {
        throw new Error('no price on the page');
      },
    }))
      failed.push(r);
    const [only] = failed;
    expect(only).toMatchObject({ kind: 'failed', error: 'no price on the page' });
  });
});
