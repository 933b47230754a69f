// Redirect chains that never end are failures, each URL of them once; the ones that end are found.
// And the Content-Encodings a server may send, raw deflate included, a decompression bomb capped.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { crawl, variants } from '../lib/crawl.js';
import { HttpFetcher } from '../lib/fetchers/http.js';
import { RedirectChains } from '../lib/seams/redirects.js';
import type { Found, Result } from '../lib/types.js';
import { collect } from './support/fetchers.js';
import { page, redirect, sitesClosedAfterEach, type Handler } from './support/site.js';

const site = sitesClosedAfterEach(afterEach);

describe.each(variants)('a redirect loop under the %s design', (variant) => {
  it('reports each URL of a two-URL loop, a self-redirect and a chain into a loop failed "redirect loop", once, with its chain', async () => {
    const s = await site({
      '/': page('Home', '/a', '/self', '/into', '/r1'),
      '/a': redirect('/b', 302),
      '/b': redirect('/a', 301),
      '/self': redirect('/self'),
      '/into': redirect('/b'),
      '/r1': redirect('/r2'),
      '/r2': redirect('/end'),
      '/end': page('End'),
    });
    const results = await collect(crawl(s.url('/'), new HttpFetcher({ retries: 0 }), { variant }));
    const byUrl = new Map(results.map((r) => [r.url.replace(s.origin, ''), r]));
    expect(results).toHaveLength(byUrl.size);
    const chain = (...paths: string[]) => paths.map((p) => s.url(p));
    expect(byUrl.get('/a')).toMatchObject({ kind: 'failed', error: 'redirect loop', status: 302, chain: chain('/a', '/b', '/a'), parent: s.url('/') });
    expect(byUrl.get('/b')).toMatchObject({ kind: 'failed', error: 'redirect loop', status: 301, chain: chain('/b', '/a', '/b') });
    expect(byUrl.get('/self')).toMatchObject({ kind: 'failed', error: 'redirect loop', chain: chain('/self', '/self') });
    expect(byUrl.get('/into')).toMatchObject({ kind: 'failed', error: 'redirect loop' });
    expect((byUrl.get('/into') as { chain: string[] }).chain.slice(0, 2)).toEqual(chain('/into', '/b'));
    // A chain that ends is found, as before.
    expect(byUrl.get('/r1')).toMatchObject({ kind: 'found', page: { status: 301, urls: [s.url('/r2')] } });
    expect(byUrl.get('/r2')).toMatchObject({ kind: 'found', page: { status: 301 } });
    expect(byUrl.get('/end')).toMatchObject({ kind: 'found', page: { title: 'End' } });
    for (const p of ['/a', '/b', '/self', '/into']) expect(s.hits(p)).toBe(1);
  });
});

describe('RedirectChains', () => {
  const redirectTo = (url: string, target: string): Found => ({
    kind: 'found',
    url,
    depth: 1,
    page: { url: target, urls: [target], status: 302 },
    start: 0,
    end: 0,
  });
  const page = (url: string): Found => ({ kind: 'found', url, depth: 1, page: { url, urls: [], status: 200 }, start: 0, end: 0 });

  it('holds a redirect until its target has an outcome, then reports it as it came', () => {
    const reported = new Set<string>();
    const chains = new RedirectChains((u) => reported.has(u));
    const pass = (r: Result) => (reported.add(r.url), chains.report(r).map((x) => `${x.kind} ${x.url}`));
    expect(pass(redirectTo('x', 'y'))).toEqual([]);
    expect(pass(redirectTo('y', 'z'))).toEqual([]);
    expect(pass(page('z'))).toEqual(['found z', 'found y', 'found x']);
    expect(pass(redirectTo('w', 'z'))).toEqual(['found w']); // its target already has an outcome
    expect(pass(redirectTo('v', 'never-fetched'))).toEqual([]);
    expect(chains.rest().map((r) => r.url)).toEqual(['v']);
  });
});

describe('HttpFetcher and Content-Encoding', () => {
  const html = page('Encoded', '/one', '/two');
  const encoded =
    (encoding: string, body: Buffer): Handler =>
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': encoding });
      res.end(body);
    };

  it('decodes gzip, zlib deflate, raw deflate and br', async () => {
    const s = await site({
      '/gzip': encoded('gzip', gzipSync(html)),
      '/deflate': encoded('deflate', deflateSync(html)),
      '/raw-deflate': encoded('deflate', deflateRawSync(html)),
      '/br': encoded('br', brotliCompressSync(html)),
    });
    const fetcher = new HttpFetcher({ retries: 0 });
    for (const path of ['/gzip', '/deflate', '/raw-deflate', '/br']) {
      const found = await fetcher.fetch(s.url(path));
      expect(found, path).toMatchObject({ title: 'Encoded', urls: [s.url('/one'), s.url('/two')], bytes: html.length });
    }
  });

  it('stops a decompression bomb at the byte cap, keeping the links before it', async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from('<a href="/before">'), Buffer.alloc(200 << 20, ' '), Buffer.from('<a href="/after">')]));
    expect(bomb.length).toBeLessThan(1 << 20);
    const s = await site({ '/bomb': encoded('gzip', bomb) });
    const found = await new HttpFetcher({ retries: 0, maxBytes: 1 << 20 }).fetch(s.url('/bomb'));
    expect(found).toMatchObject({ truncated: true, bytes: 1 << 20, urls: [s.url('/before')] });
  });
});

describe('chancrawl --format jsonl and a redirect loop', () => {
  it('prints the chain', async () => {
    const s = await site({ '/': redirect('/') });
    const { stdout } = await promisify(execFile)(process.execPath, ['dist/lib/cli/main.js', '--format', 'jsonl', '--quiet', s.url('/')], { encoding: 'utf8' });
    expect(JSON.parse(stdout)).toMatchObject({ url: s.url('/'), outcome: 'failed', error: 'redirect loop', status: 301, chain: [s.url('/'), s.url('/')] });
  });
});
