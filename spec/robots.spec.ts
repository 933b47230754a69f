// robots.txt: the rules per answer status (RFC 9309), one request per origin however many ask at
// once, and HTTP crawls on 127.0.0.1 that never request a disallowed URL yet report each one.
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { crawl, variants } from '../lib/crawl.js';
import { HttpFetcher } from '../lib/fetchers/http.js';
import { Robots, robotsMaxBytes, rulesOf } from '../lib/seams/robots.js';
import { collect } from './support/fetchers.js';
import { expectEachDiscoveredOnce, skippedFor } from './support/outcomes.js';
import { page, redirect, respond, startSite, type Route, type Site } from './support/site.js';

const text = [
  'User-agent: *',
  'Disallow: /private/',
  'Allow: /private/open',
  '',
  'User-agent: chancrawl',
  'Disallow: /no-bots/',
  'Disallow: /private/',
  'Allow: /private/open',
  'Crawl-delay: 2',
].join('\n');

describe('rulesOf', () => {
  it('2xx: the group that names chancrawl, longest match wins, Crawl-delay read', () => {
    const rules = rulesOf({ status: 200, body: text }, 'chancrawl');
    expect(rules.allowed('http://s.test/')).toBe(true);
    expect(rules.allowed('http://s.test/private/x')).toBe(false);
    expect(rules.allowed('http://s.test/private/open')).toBe(true);
    expect(rules.allowed('http://s.test/no-bots/x')).toBe(false);
    expect(rules.crawlDelay).toBe(2);
  });

  it('2xx: another agent falls back to the * group', () => {
    const rules = rulesOf({ status: 200, body: text }, 'otherbot');
    expect(rules.allowed('http://s.test/no-bots/x')).toBe(true);
    expect(rules.allowed('http://s.test/private/x')).toBe(false);
    expect(rules.crawlDelay).toBeUndefined();
  });

  it.each([404, 401, 403, 410, 301])('%i: no rules, everything allowed', (status) => {
    expect(rulesOf({ status, body: text }, 'chancrawl').allowed('http://s.test/no-bots/x')).toBe(true);
  });

  it.each([500, 503, 0])('%i (0: no answer): the site is unreachable, nothing allowed', (status) => {
    expect(rulesOf({ status, body: '' }, 'chancrawl').allowed('http://s.test/')).toBe(false);
  });
});

describe('Robots over HTTP', () => {
  const sites: Site[] = [];
  afterEach(async () => {
    await Promise.all(sites.splice(0).map((s) => s.close()));
  });
  async function site(routes: Record<string, Route>) {
    const s = await startSite(routes);
    sites.push(s);
    return s;
  }

  it('fetches robots.txt once per origin, also when many ask at once', async () => {
    const s = await site({ '/robots.txt': respond(200, 'User-agent: *\nDisallow: /x/\n', { 'content-type': 'text/plain' }) });
    const robots = new Robots();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => robots.allowed(s.url(i % 2 ? '/x/y' : `/p${i}`))));
    expect(answers.filter((a) => a).length).toBe(10);
    expect(s.hits('/robots.txt')).toBe(1);
    expect(await robots.allowed(s.url('/later'))).toBe(true);
    expect(s.requests).toEqual(['/robots.txt']);
  });

  it('sends the chancrawl User-Agent', async () => {
    let agent: string | undefined;
    const s = await site({ '/robots.txt': (req, res) => void ((agent = req.headers['user-agent']), res.end('')) });
    await new Robots().allowed(s.url('/'));
    expect(agent).toMatch(/^chancrawl\/\d+\.\d+\.\d+/);
  });

  it('a robots.txt that does not answer in time disallows the origin', async () => {
    const s = await site({ '/robots.txt': () => new Promise<void>(() => {}) });
    const t0 = performance.now();
    expect(await new Robots({ timeoutMs: 200 }).allowed(s.url('/'))).toBe(false);
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it(`reads at most ${robotsMaxBytes / 1024} KiB of a robots.txt`, async () => {
    const huge = `User-agent: *\nDisallow: /early/\n${'# filler\n'.repeat(100_000)}Disallow: /late/\n`;
    const s = await site({ '/robots.txt': respond(200, huge, { 'content-type': 'text/plain' }) });
    const robots = new Robots();
    expect(await robots.allowed(s.url('/early/x'))).toBe(false);
    expect(await robots.allowed(s.url('/late/x'))).toBe(true);
  });

  it('follows a robots.txt redirect to another origin (RFC 9309 2.3.1.2), obeys what it finds there, and sends the credentials only to their own origin', async () => {
    const authorization: Record<string, string | undefined> = {};
    const other = await site({
      '/rules.txt': (req, res) =>
        void (
          (authorization.other = req.headers.authorization),
          res.writeHead(200, { 'content-type': 'text/plain' }),
          res.end('User-agent: *\nDisallow: /x/\n')
        ),
    });
    const s = await site({});
    s.route(
      '/robots.txt',
      (req, res) => void ((authorization.own = req.headers.authorization), res.writeHead(301, { location: other.url('/rules.txt') }), res.end()),
    );
    const robots = new Robots({ auth: { origin: s.origin, username: 'u', password: 'p' } });
    expect(await robots.allowed(s.url('/x/y'))).toBe(false);
    expect(await robots.allowed(s.url('/y'))).toBe(true);
    expect(authorization).toEqual({ own: `Basic ${Buffer.from('u:p').toString('base64')}`, other: undefined }); // same host, another port: another origin
    expect([s.requests, other.requests]).toEqual([['/robots.txt'], ['/rules.txt']]);
  });

  it('follows 10 redirects to a robots.txt; past 10 the origin is unreadable, so disallowed, and says why', async () => {
    const chain = (s: Site, hops: number) => {
      for (let i = 0; i < hops; i++) s.route(i === 0 ? '/robots.txt' : `/r${i}`, redirect(`/r${i + 1}`, 302));
      s.route(`/r${hops}`, respond(200, 'User-agent: *\nDisallow: /x/\n', { 'content-type': 'text/plain' }));
    };
    const ten = await site({});
    chain(ten, 10);
    expect(await new Robots().refusal(ten.url('/y'))).toBeUndefined();
    expect(await new Robots().refusal(ten.url('/x/y'))).toEqual({});
    const eleven = await site({});
    chain(eleven, 11);
    expect(await new Robots().refusal(eleven.url('/y'))).toEqual({
      detail: 'robots.txt unreadable (more than 10 redirects): its site is treated as disallowed',
    });
    expect(eleven.hits('/r11')).toBe(0);
  });

  it('decodes a gzip-encoded robots.txt', async () => {
    const s = await site({
      '/robots.txt': (_req, res) =>
        void (res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' }), res.end(gzipSync('User-agent: *\nDisallow: /x/\n'))),
    });
    const robots = new Robots();
    expect(await robots.allowed(s.url('/x/y'))).toBe(false);
    expect(await robots.allowed(s.url('/y'))).toBe(true);
  });

  it('reports the Crawl-delay of each origin once', async () => {
    const s = await site({ '/robots.txt': respond(200, 'User-agent: *\nCrawl-delay: 1.5\n', { 'content-type': 'text/plain' }) });
    const delays: [string, number][] = [];
    const robots = new Robots({ onCrawlDelay: (host, seconds) => delays.push([host, seconds]) });
    await Promise.all([robots.allowed(s.url('/a')), robots.allowed(s.url('/b'))]);
    expect(delays).toEqual([[new URL(s.origin).host, 1.5]]);
  });
});

describe.each(variants)('%s crawling a site with a robots.txt', (variant) => {
  const sites: Site[] = [];
  afterEach(async () => {
    await Promise.all(sites.splice(0).map((s) => s.close()));
  });
  const fast = { retries: 0, connectTimeoutMs: 2000, responseTimeoutMs: 2000, requestTimeoutMs: 4000 };
  const robotsTxt = respond(200, 'User-agent: *\nDisallow: /private/\nDisallow: /*.pdf$\n', { 'content-type': 'text/plain' });

  async function site() {
    const s = await startSite({
      '/robots.txt': robotsTxt,
      '/': page('Home', '/a', '/private/', '/private/secret', '/go-private', '/doc.pdf', '/a#frag'),
      '/a': page('A', '/', '/b', '/private/other'),
      '/b': page('B'),
      '/go-private': redirect('/private/via-redirect'),
    });
    sites.push(s);
    return s;
  }

  it('never requests a disallowed URL, fetches robots.txt once, reports each disallowed link skipped', async () => {
    const s = await site();
    const results = await collect(crawl(s.url('/'), new HttpFetcher(fast), { variant, robots: {} }));
    expect(s.requests.filter((p) => p.startsWith('/private/') || p.endsWith('.pdf'))).toEqual([]);
    expect(s.hits('/robots.txt')).toBe(1);
    expect(skippedFor(results, 'robots').sort()).toEqual(
      ['/doc.pdf', '/private/', '/private/other', '/private/secret', '/private/via-redirect'].map((p) => s.url(p)).sort(),
    );
    expect(
      results
        .filter((r) => r.kind === 'found')
        .map((r) => r.url)
        .sort(),
    ).toEqual(['/', '/a', '/b', '/go-private'].map((p) => s.url(p)).sort());
    expectEachDiscoveredOnce(results, s.url('/'));
  });

  it('a disallowed start URL is reported skipped, not fetched', async () => {
    const s = await site();
    const results = await collect(crawl(s.url('/private/start'), new HttpFetcher(fast), { variant, robots: {} }));
    expect(results).toEqual([{ kind: 'skipped', url: s.url('/private/start'), depth: 0, reason: 'robots' }]);
    expect(s.requests).toEqual(['/robots.txt']);
  });

  it('a robots.txt answering 500 keeps the whole site from being crawled', async () => {
    const s = await site();
    s.route('/robots.txt', respond(500, 'oops'));
    const results = await collect(crawl(s.url('/'), new HttpFetcher(fast), { variant, robots: {} }));
    expect(results).toEqual([
      {
        kind: 'skipped',
        url: s.url('/'),
        depth: 0,
        reason: 'robots',
        detail: 'robots.txt unreadable (HTTP 500 Internal Server Error): its site is treated as disallowed',
      },
    ]);
    expect(s.requests).toEqual(['/robots.txt']);
  });

  it('a limit that stops the crawl after robots.txt was read ends it cleanly', async () => {
    const s = await site();
    const results = await collect(crawl(s.url('/'), new HttpFetcher(fast), { variant, robots: {}, maxPages: 2 }));
    expect(results.filter((r) => r.kind === 'found')).toHaveLength(2);
    expect(skippedFor(results, 'max-pages').length).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 50)); // a late 'error' from the robots.txt request would land here
  });

  it('without robots options robots.txt is neither fetched nor obeyed (the --ignore-robots path)', async () => {
    const s = await site();
    const results = await collect(crawl(s.url('/'), new HttpFetcher(fast), { variant }));
    expect(s.hits('/robots.txt')).toBe(0);
    expect(s.hits('/private/secret')).toBe(1);
    expect(skippedFor(results, 'robots')).toEqual([]);
  });
});

// Serial is left out: it fetches only while its consumer waits for the next result, so nothing of
// it is loading when the consumer leaves.
describe.each(['mutex', 'channel'] as const)('%s, left early by its consumer', (variant) => {
  const sites: Site[] = [];
  afterEach(async () => {
    await Promise.all(sites.splice(0).map((s) => s.close()));
  });

  it('aborts the robots.txt loads it started', async () => {
    let asked!: () => void;
    const robotsAsked = new Promise<void>((resolve) => (asked = resolve));
    let closed!: () => void;
    const robotsClosed = new Promise<void>((resolve) => (closed = resolve));
    const other = await startSite({
      '/robots.txt': (_req, res) => {
        res.on('close', closed); // never answered: it ends only when the crawl lets it go
        asked();
      },
    });
    sites.push(other);
    const s = await startSite({ '/': page('home', '/a'), '/a': page('a', other.url('/x')) });
    sites.push(s);
    const fetcher = new HttpFetcher({ retries: 0 });
    try {
      for await (const r of crawl(s.url('/'), fetcher, { variant, scope: { scope: 'any' }, robots: { timeoutMs: 60_000 } })) {
        expect(r).toMatchObject({ kind: 'found', url: s.url('/') });
        await robotsAsked; // the second page's links are being judged: the other origin's robots.txt is on the wire
        break;
      }
      const lag = await Promise.race([robotsClosed.then(() => 'closed'), new Promise((resolve) => setTimeout(resolve, 2000, 'still open after 2 s'))]);
      expect(lag).toBe('closed');
    } finally {
      await fetcher.close();
    }
  });
});
