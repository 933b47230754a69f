// Scope: which links a crawl follows. Unit checks of the rule per scope, then crawls over HTTP on
// 127.0.0.1 that must never request an out-of-scope URL, redirects included, and report each one.
import { afterEach, describe, expect, it } from 'vitest';
import { crawl, variants } from '../lib/crawl.js';
import { HttpFetcher } from '../lib/fetchers/http.js';
import { scopeTest, scoped } from '../lib/seams/scope.js';
import { collect, fetcherOf } from './support/fetchers.js';
import { expectEachDiscoveredOnce, skippedFor } from './support/outcomes.js';
import { page, redirect, startSite, type Site } from './support/site.js';

describe('scopeTest', () => {
  const start = 'https://www.example.co.uk/a/';

  it.each([
    ['origin', 'https://www.example.co.uk/b', true],
    ['origin', 'http://www.example.co.uk/b', false],
    ['origin', 'https://www.example.co.uk:8443/b', false],
    ['origin', 'https://shop.example.co.uk/', false],
    ['host', 'http://www.example.co.uk:8080/b', true],
    ['host', 'https://shop.example.co.uk/', false],
    ['domain', 'https://shop.example.co.uk/', true],
    ['domain', 'http://example.co.uk/', true],
    ['domain', 'https://other.co.uk/', false],
    ['domain', 'https://example.com/', false],
    ['any', 'http://anywhere.test/', true],
    ['any', 'mailto:me@example.co.uk', false],
    ['any', 'ftp://www.example.co.uk/file', false],
    ['any', 'not a url', false],
  ] as const)('%s: %s -> %s', (scope, url, expected) => {
    expect(scopeTest(start, { scope })(url)).toBe(expected);
  });

  it('domain: a public suffix is not a shared domain (co.uk, and private ones such as github.io)', () => {
    expect(scopeTest('https://x.co.uk/', { scope: 'domain' })('https://y.co.uk/')).toBe(false);
    expect(scopeTest('https://a.github.io/', { scope: 'domain' })('https://b.github.io/')).toBe(false);
    expect(scopeTest('https://a.github.io/', { scope: 'domain' })('https://a.github.io/x')).toBe(true);
  });

  it('domain: an IP address is compared as a whole', () => {
    expect(scopeTest('http://127.0.0.1:1/', { scope: 'domain' })('http://127.0.0.1:2/')).toBe(true);
    expect(scopeTest('http://127.0.0.1:1/', { scope: 'domain' })('http://127.0.0.2:1/')).toBe(false);
  });

  it('include and exclude: regexes on the whole URL; a link must match an include and no exclude', () => {
    const inScope = scopeTest('http://s.test/', { include: [/\/docs\//, /\/blog\//], exclude: [/\.pdf$/i] });
    expect(inScope('http://s.test/docs/a')).toBe(true);
    expect(inScope('http://s.test/blog/b')).toBe(true);
    expect(inScope('http://s.test/shop/c')).toBe(false);
    expect(inScope('http://s.test/docs/manual.PDF')).toBe(false);
    expect(inScope('http://elsewhere.test/docs/a')).toBe(false); // the scope still applies
  });

  it('a global regex gives the same answer every time', () => {
    const inScope = scopeTest('http://s.test/', { exclude: [/private/g] });
    expect([1, 2, 3].map(() => inScope('http://s.test/private/x'))).toEqual([false, false, false]);
  });

  it('the start URL is in scope even when a pattern would leave it out', () => {
    expect(scopeTest('http://s.test/home', { include: [/\/docs\//] })('http://s.test/home')).toBe(true);
  });
});

describe('scoped fetcher', () => {
  it('moves out-of-scope links to dropped, once each, keeping the others in order', async () => {
    const inner = fetcherOf((url) => ({ url, urls: ['http://s.test/1', 'http://x.test/', 'http://s.test/2', 'http://x.test/', 'mailto:a@b'] }));
    const got = await scoped(inner, scopeTest('http://s.test/')).fetch('http://s.test/');
    expect(got.urls).toEqual(['http://s.test/1', 'http://s.test/2']);
    expect(got.dropped).toEqual([
      { url: 'http://x.test/', reason: 'scope' },
      { url: 'mailto:a@b', reason: 'scope' },
    ]);
  });
});

describe.each(variants)('%s over HTTP', (variant) => {
  const sites: Site[] = [];
  afterEach(async () => {
    await Promise.all(sites.splice(0).map((s) => s.close()));
  });
  const fast = { retries: 0, connectTimeoutMs: 2000, responseTimeoutMs: 2000, requestTimeoutMs: 4000 };

  /** Site `a` links to `b` directly and through a redirect; both on 127.0.0.1, different ports. */
  async function twoSites() {
    const b = await startSite({ '/': page('B', '/b1'), '/b1': page('B1') });
    const a = await startSite();
    a.route('/', page('A', '/a1', b.url('/'), '/out', '/private/p'));
    a.route('/a1', page('A1', '/', b.url('/b1')));
    a.route('/out', redirect(b.url('/b1'), 302));
    a.route('/private/p', page('P', '/private/q'));
    a.route('/private/q', page('Q'));
    sites.push(a, b);
    return { a, b };
  }

  it('origin scope (the default in the CLI): another port is never requested, its links reported skipped', async () => {
    const { a, b } = await twoSites();
    const results = await collect(crawl(a.url('/'), new HttpFetcher(fast), { variant, scope: { scope: 'origin' } }));
    expect(b.requests).toEqual([]);
    expect(skippedFor(results, 'scope').sort()).toEqual([b.url('/'), b.url('/b1')].sort());
    expect(results.find((r) => r.url === a.url('/out'))).toMatchObject({ kind: 'found', page: { status: 302 } }); // the redirect, not followed
    expect(a.hits('/private/q')).toBe(1);
    expectEachDiscoveredOnce(results, a.url('/'));
  });

  it('host scope: the same host on another port is in scope', async () => {
    const { a, b } = await twoSites();
    const results = await collect(crawl(a.url('/'), new HttpFetcher(fast), { variant, scope: { scope: 'host' } }));
    expect(b.hits('/')).toBe(1);
    expect(b.hits('/b1')).toBe(1);
    expect(skippedFor(results, 'scope')).toEqual([]);
    expectEachDiscoveredOnce(results, a.url('/'));
  });

  it('an exclude pattern keeps a folder from being requested', async () => {
    const { a } = await twoSites();
    const results = await collect(crawl(a.url('/'), new HttpFetcher(fast), { variant, scope: { exclude: [/\/private\//] } }));
    expect(a.requests.filter((p) => p.startsWith('/private/'))).toEqual([]);
    expect(skippedFor(results, 'scope')).toContain(a.url('/private/p'));
    expectEachDiscoveredOnce(results, a.url('/'));
  });
});
