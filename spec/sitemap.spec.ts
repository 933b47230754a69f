// Sitemaps as seeds: the <loc>s of a urlset read as the XML streams in, indexes followed, gzip by
// Content-Encoding or by magic bytes, robots.txt's Sitemap lines, the caps; then crawlSite from
// them on 127.0.0.1, with what is out of scope skipped and what cannot be read reported failed.
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpFetcher } from '../lib/fetchers/http.js';
import { readSitemap } from '../lib/fetchers/sitemap.js';
import { sitemapLines } from '../lib/seams/robots-txt.js';
import { sitemapSeeds, type BodyReader } from '../lib/seams/sitemaps.js';
import { crawlSite } from '../lib/site.js';
import type { Result } from '../lib/types.js';
import { collect } from './support/fetchers.js';
import { cleanedUpAfterEach, page, respond, type Site } from './support/site.js';

const { cleanups, site } = cleanedUpAfterEach(afterEach);

const urlset = (...locs: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${locs.map((l) => `<url><loc>${l}</loc><lastmod>2026-01-01</lastmod></url>`).join('\n')}</urlset>`;
const index = (...locs: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${locs.map((l) => `<sitemap><loc>${l}</loc></sitemap>`).join('')}</sitemapindex>`;
const xml = (body: string | Buffer, headers: Record<string, string> = {}) => respond(200, body as string, { 'content-type': 'application/xml', ...headers });
/** A body in chunks of `size` bytes, so a tag or an entity is cut across two chunks. */
async function* chunks(body: string | Buffer, size = 7): AsyncGenerator<Buffer> {
  const b = Buffer.from(body);
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

describe('readSitemap', () => {
  it("takes each <url>'s <loc>, entities decoded, across chunk boundaries, and no extension's <image:loc>", async () => {
    const body = `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
      <url><loc> https://s.test/a?x=1&amp;y=2 </loc><image:image><image:loc>https://s.test/pic.png</image:loc></image:image></url>
      <url><loc>https://s.test/caf&#xE9;</loc></url></urlset>`;
    expect(await readSitemap(chunks(body))).toEqual({ kind: 'urlset', locs: ['https://s.test/a?x=1&y=2', 'https://s.test/café'] });
  });

  it('reads a sitemap index, a namespace prefix, and gzip by its magic bytes', async () => {
    expect(await readSitemap(chunks(gzipSync(index('https://s.test/1.xml', 'https://s.test/2.xml.gz')), 5))).toEqual({
      kind: 'sitemapindex',
      locs: ['https://s.test/1.xml', 'https://s.test/2.xml.gz'],
    });
    expect(
      (
        await readSitemap(
          chunks('<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"><sm:url><sm:loc>https://s.test/p</sm:loc></sm:url></sm:urlset>'),
        )
      ).locs,
    ).toEqual(['https://s.test/p']);
  });

  it('stops at maxUrls, and at maxBytes, saying so', async () => {
    const many = urlset(...Array.from({ length: 30 }, (_, i) => `https://s.test/${i}`));
    expect(await readSitemap(chunks(many, 64), { maxUrls: 10 })).toEqual({
      kind: 'urlset',
      locs: Array.from({ length: 10 }, (_, i) => `https://s.test/${i}`),
      cut: 'max-urls',
    });
    const cut = await readSitemap(chunks(many, 64), { maxBytes: 300 });
    expect(cut.cut).toBe('max-bytes');
    expect(cut.locs.length).toBeGreaterThan(0);
    expect(cut.locs.length).toBeLessThan(30);
  });

  it("reads the protocol's text sitemap: its lines that are http(s) URLs, across chunk boundaries, CRLF or LF", async () => {
    expect(await readSitemap(chunks('\uFEFFhttps://s.test/a\r\n\r\nhttps://s.test/b?x=1\n  https://s.test/c  \nnot a url\nhttps://s.test/d', 3))).toEqual({
      kind: 'urlset',
      locs: ['https://s.test/a', 'https://s.test/b?x=1', 'https://s.test/c', 'https://s.test/d'],
    });
    expect(await readSitemap(chunks(gzipSync('https://s.test/z\n')))).toEqual({ kind: 'urlset', locs: ['https://s.test/z'] });
    await expect(readSitemap(chunks('Not Found\n'))).rejects.toThrow('not a sitemap: neither XML nor lines of http(s) URLs');
  });

  it('an HTML page or an empty body is not a sitemap', async () => {
    await expect(readSitemap(chunks(page('Not found')))).rejects.toThrow('not a sitemap: its root element is <html>, not <urlset> or <sitemapindex>');
    await expect(readSitemap(chunks(''))).rejects.toThrow('not a sitemap: no XML element in it');
  });
});

it("sitemapLines: robots.txt's Sitemap lines, any case, outside and inside groups", () => {
  const body =
    'User-agent: *\nDisallow: /x\nSitemap: https://s.test/a.xml # main\nsitemap:https://s.test/b.xml.gz\nUser-agent: other\nSITEMAP: https://s.test/c.xml\n';
  expect(sitemapLines(body)).toEqual(['https://s.test/a.xml', 'https://s.test/b.xml.gz', 'https://s.test/c.xml']);
});

describe('sitemaps over HTTP', () => {
  /** robots.txt -> an index (gzip Content-Encoding) -> a .xml.gz file (gzip by magic) and a missing one. */
  async function sitemapSite(): Promise<Site> {
    const s = await site({});
    s.route('/robots.txt', respond(200, `User-agent: *\nDisallow: /private\nSitemap: ${s.url('/sitemap_index.xml')}\n`, { 'content-type': 'text/plain' }));
    s.route('/sitemap_index.xml', xml(gzipSync(index(s.url('/pages.xml.gz'), s.url('/gone.xml'))), { 'content-encoding': 'gzip' }));
    s.route(
      '/pages.xml.gz',
      respond(200, gzipSync(urlset(s.url('/a'), s.url('/b'), 'http://elsewhere.test/x', s.url('/private/p'))) as unknown as string, {
        'content-type': 'application/gzip',
      }),
    );
    s.route('/a', page('A', '/c'));
    s.route('/b', page('B', '/a'));
    s.route('/c', page('C'));
    return s;
  }

  it('sitemapSeeds reads robots.txt, the index and its sitemaps: each <loc> a seed with its sitemap, a file that cannot be read a failed one', async () => {
    const s = await sitemapSite();
    const reader = new HttpFetcher({ retries: 0 });
    cleanups.push(() => reader.close());
    const seeds = await sitemapSeeds(['robots'], [s.url('/')], (u, consume, signal) => reader.read(u, consume, signal));
    expect(seeds).toEqual([
      { url: s.url('/a'), parent: s.url('/pages.xml.gz') },
      { url: s.url('/b'), parent: s.url('/pages.xml.gz') },
      { url: 'http://elsewhere.test/x', parent: s.url('/pages.xml.gz') },
      { url: s.url('/private/p'), parent: s.url('/pages.xml.gz') },
      { url: s.url('/gone.xml'), parent: s.url('/sitemap_index.xml'), error: 'HTTP 404 Not Found', status: 404 },
    ]);
  });

  it('a robots.txt answering 4xx has no Sitemap lines; one answering 5xx is reported failed', async () => {
    const none = await site({});
    const down = await site({ '/robots.txt': respond(503, 'down') });
    const reader = new HttpFetcher({ retries: 0 });
    cleanups.push(() => reader.close());
    const read: BodyReader = (u, consume, signal) => reader.read(u, consume, signal);
    expect(await sitemapSeeds(['robots'], [none.url('/')], read)).toEqual([]);
    expect(await sitemapSeeds(['robots'], [down.url('/x')], read)).toEqual([
      { url: down.url('/robots.txt'), error: 'HTTP 503 Service Unavailable', status: 503 },
    ]);
  });

  it("HttpFetcher.read sends the fetcher's headers, a URL's own (cookies), and credentials, and follows a redirect", async () => {
    const s = await site({ '/old.xml': (_req, res) => void res.writeHead(301, { location: '/sitemap.xml' }).end() });
    s.route('/sitemap.xml', (req, res) => {
      const ok =
        req.headers['x-token'] === 't' && req.headers.cookie === 'k=v' && req.headers.authorization === `Basic ${Buffer.from('u:p').toString('base64')}`;
      res.writeHead(ok ? 200 : 403, { 'content-type': 'application/xml' }).end(urlset(s.url('/a')));
    });
    const reader = new HttpFetcher({
      retries: 0,
      headers: { 'X-Token': 't' },
      headersFor: () => ({ Cookie: 'k=v' }),
      auth: { origin: s.origin, username: 'u', password: 'p' },
    });
    cleanups.push(() => reader.close());
    expect(await sitemapSeeds([s.url('/old.xml')], [], (u, consume, signal) => reader.read(u, consume, signal))).toEqual([
      { url: s.url('/a'), parent: s.url('/old.xml') },
    ]);
  });

  it('indexes are followed 2 levels down at most, and a loop of indexes ends', async () => {
    const s = await site({});
    for (let i = 0; i < 4; i++) s.route(`/i${i}.xml`, xml(index(s.url(`/i${i + 1}.xml`), s.url('/i0.xml'))));
    const reader = new HttpFetcher({ retries: 0 });
    cleanups.push(() => reader.close());
    const seeds = await sitemapSeeds([s.url('/i0.xml')], [], (u, consume, signal) => reader.read(u, consume, signal));
    expect(seeds).toEqual([{ url: s.url('/i3.xml'), parent: s.url('/i2.xml'), error: 'not read: sitemap indexes nested more than 2 deep' }]);
    expect(s.hits('/i0.xml')).toBe(1);
  });

  it('crawlSite from a start URL and its sitemaps: each seed once at depth 0, off the site skipped, robots obeyed, the unreadable reported failed', async () => {
    const s = await sitemapSite();
    const results = await collect(crawlSite(s.url('/b'), { sitemaps: ['robots'], retries: 0, maxDepth: 0 }));
    const line = (r: Result) => [r.url, r.kind === 'skipped' ? `skipped ${r.reason}` : r.kind, r.depth, r.parent];
    expect(results.map(line).sort()).toEqual(
      [
        [s.url('/a'), 'found', 0, s.url('/pages.xml.gz')],
        [s.url('/b'), 'found', 0, undefined],
        [s.url('/c'), 'skipped depth', 1, s.url('/a')],
        ['http://elsewhere.test/x', 'skipped scope', 0, s.url('/pages.xml.gz')],
        [s.url('/private/p'), 'skipped robots', 0, s.url('/pages.xml.gz')],
        [s.url('/gone.xml'), 'failed', 0, s.url('/sitemap_index.xml')],
      ].sort(),
    );
    expect(s.hits('/private/p')).toBe(0);
    expect(s.hits('/b')).toBe(1);
  });

  it('crawlSite from a sitemap alone: its site is in scope; one that cannot be read is the one failed line', async () => {
    const s = await sitemapSite();
    const results = await collect(crawlSite([], { sitemaps: [s.url('/pages.xml.gz')], retries: 0, robots: false }));
    expect(
      results
        .filter((r) => r.kind === 'found')
        .map((r) => r.url)
        .sort(),
    ).toEqual([s.url('/a'), s.url('/b'), s.url('/c')].sort());
    expect(results.find((r) => r.url === s.url('/private/p'))).toMatchObject({ kind: 'failed', status: 404, depth: 0 }); // robots: false
    expect(results.find((r) => r.url === s.url('/c'))).toMatchObject({ depth: 1, parent: s.url('/a') });
    const missing = await collect(crawlSite([], { sitemaps: [s.url('/nope.xml')], retries: 0 }));
    expect(missing).toEqual([expect.objectContaining({ kind: 'failed', url: s.url('/nope.xml'), depth: 0, error: 'HTTP 404 Not Found', status: 404 })]);
  });
});
