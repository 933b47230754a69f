import fc from 'fast-check';
import { getEventListeners } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { crawl, variants } from '../lib/crawl.js';
import { FetchError, HttpFetcher, retryAfter, type HttpOptions } from '../lib/fetchers/http.js';
import type { Found, Result } from '../lib/types.js';
import { normalizeUrl } from '../lib/fetchers/normalize.js';
import { version } from '../lib/version.js';
import { page, redirect, respond, sitesClosedAfterEach, type Handler, type Route, type Site } from './support/site.js';

const fast: HttpOptions = { retryDelayMs: 10, responseTimeoutMs: 300, requestTimeoutMs: 2_000, maxBytes: 10_000 };

const site = sitesClosedAfterEach(afterEach);

async function all(results: AsyncIterable<Result>): Promise<Result[]> {
  const out: Result[] = [];
  for await (const r of results) out.push(r);
  return out;
}

/** A site with every hostile thing the issue lists, linked from `/`. */
function hostileRoutes(): Record<string, Route> {
  const filler = 'x'.repeat(1_000);
  return {
    '/': page(
      'Home',
      '/missing',
      '/flaky',
      '/busy',
      '/r1',
      '/loop-a',
      '/image.png',
      '/big',
      '/big-declared',
      '/slow',
      '/malformed',
      '/dir/sub/page',
      '/upper',
      '/dups',
      '/odd',
      '/based/',
      '/sniffed',
      '/text',
    ),
    '/flaky': (req, res, hit) => (hit === 1 ? respond(500, 'oops') : respond(200, page('Flaky', '/')))(req, res, hit),
    '/busy': (req, res, hit) => (hit === 1 ? respond(429, '', { 'retry-after': '1' }) : respond(200, page('Busy')))(req, res, hit),
    '/r1': redirect('/r2', 302),
    '/r2': redirect('/r3', 307), // made absolute by hostileSite
    '/r3': redirect('end#frag', 301),
    '/end': page('End', '/r1'),
    '/loop-a': redirect('/loop-b'),
    '/loop-b': redirect('/loop-a'),
    '/image.png': respond(200, '<a href="/never-from-png">', { 'content-type': 'image/png' }),
    '/big': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      for (let i = 0; i < 50; i++) res.write(`<p><a href="${i < 5 ? '/from-big' : i < 20 ? '/from-big?more' : '/never-from-big'}">${filler}</a></p>`); // the cap (10,000) cuts in the tenth link's text
      res.end();
    },
    '/from-big': page('From big'),
    '/big-declared': respond(200, `<title>Declared</title>${filler.repeat(20)}<a href="/never-from-declared">`),
    '/slow': (_req, res) => void setTimeout(() => respond(200, page('Slow', '/never-from-slow'))(_req, res, 1), 1_500),
    '/malformed': '<html><head><title>Mal\nformed</title><body><a href="/m1">one<a href=/m2><div><table><tr><a href=\'/m3\'</table><p><<a href="/m4">',
    '/dir/sub/page': page('Deep', '../up', './../../top', '../../../../../root-clamped', 'sibling', '.'),
    '/upper': '<HTML><HEAD><TITLE>Upper</TITLE></HEAD><BODY><A HREF="/U1">1</A><AREA HREF="/U2"><a Href="/U3">3</a><A name="no-href">x</A></BODY></HTML>',
    '/dups': page('Dups', '/d', '/d', '/d#x', '/d#y', ' /d ', '\n/d\t'), // more spellings of /d added by hostileSite
    '/odd': page('Odd', 'mailto:a@b.c', 'javascript:alert(1)', 'tel:+1', 'data:text/html,hello', 'ftp://127.0.0.1/f', 'about:blank', '#only-fragment', '?q=1'),
    '/based/':
      '<html><head><base href="/elsewhere/"><base href="/ignored/"><title>Based</title></head><body><a href="x">x</a><a href="/abs">abs</a></body></html>',
    '/sniffed': (_req, res) => {
      res.writeHead(200);
      res.end('  <!DOCTYPE html><title>Sniffed</title><a href="/from-sniffed">s</a>');
    },
    '/text': (_req, res) => {
      res.writeHead(200);
      res.end('plain words, then <a href="/never-from-text">');
    },
  };
}

async function hostileSite(): Promise<Site> {
  const s = await site({});
  for (const [path, route] of Object.entries(hostileRoutes())) s.route(path, route);
  s.route('/r2', redirect(`${s.origin}/r3`, 307));
  s.route('/dups', page('Dups', '/d', '/d', '/d#x', '/d#y', ' /d ', '\n/d\t', `${s.origin}/d`, `HTTP://127.0.0.1:${new URL(s.origin).port}/./d`));
  return s;
}

describe.each(variants)('HttpFetcher under the %s design, on a hostile site', (variant) => {
  it('terminates, fetches no URL twice, reports every discovered URL once with its outcome', async () => {
    const s = await hostileSite();
    const results = await all(crawl(s.url('/'), new HttpFetcher(fast), { variant }));
    const byUrl = new Map(results.map((r) => [r.url, r]));
    const path = (r: Result) => new URL(r.url).pathname + new URL(r.url).search;

    // Each URL reported once, and every link of every found page was reported.
    expect(byUrl.size).toBe(results.length);
    for (const r of results) if (r.kind === 'found') for (const u of r.page.urls) expect(byUrl.has(u), `${u} (linked from ${r.url})`).toBe(true);
    expect(results.every((r) => r.kind !== 'skipped')).toBe(true);

    // Each URL but the start names a parent: a found page one hop nearer the start that links to it.
    for (const r of results) {
      if (r.depth === 0) {
        expect(r.parent).toBeUndefined();
        continue;
      }
      const parent = byUrl.get(r.parent ?? '');
      if (parent?.kind === 'failed') {
        // The target of a redirect in a loop: its parent failed "redirect loop", and led here.
        expect(parent, `parent of ${r.url}`).toMatchObject({ error: 'redirect loop', depth: r.depth - 1 });
        expect(parent.chain?.[1]).toBe(r.url);
        continue;
      }
      expect(parent, `parent of ${r.url}`).toMatchObject({ kind: 'found', depth: r.depth - 1 });
      expect((parent as Found).page.urls).toContain(r.url);
    }
    expect(byUrl.get(s.url('/end'))?.parent).toBe(s.url('/r3'));

    // The server saw each target once, except the two that answered "try again" the first time.
    const repeats = [...new Set(s.requests)].filter((t) => s.hits(t) > 1);
    expect(repeats.sort()).toEqual(['/busy', '/flaky']);
    expect(s.hits('/flaky')).toBe(2);
    expect(s.hits('/busy')).toBe(2);
    expect(s.requests.filter((t) => t.startsWith('/never'))).toEqual([]);
    expect(new Set(s.requests)).toEqual(new Set(results.map(path)));

    const at = (p: string) => byUrl.get(s.url(p));
    expect(at('/missing')).toMatchObject({ kind: 'failed', status: 404, error: 'HTTP 404 Not Found' });
    expect(at('/flaky')).toMatchObject({ kind: 'found', page: { status: 200, title: 'Flaky' } });
    expect(at('/busy')).toMatchObject({ kind: 'found', page: { status: 200, title: 'Busy' } });
    expect(at('/r1')).toMatchObject({ kind: 'found', page: { status: 302, url: s.url('/r2'), urls: [s.url('/r2')] } });
    expect(at('/r3')).toMatchObject({ kind: 'found', page: { status: 301, url: s.url('/end') } });
    expect(at('/end')).toMatchObject({ kind: 'found', depth: 4, page: { title: 'End' } });
    expect(at('/loop-a')).toMatchObject({ kind: 'failed', status: 301, error: 'redirect loop', chain: [s.url('/loop-a'), s.url('/loop-b'), s.url('/loop-a')] });
    expect(at('/loop-b')).toMatchObject({ kind: 'failed', status: 301, error: 'redirect loop', chain: [s.url('/loop-b'), s.url('/loop-a'), s.url('/loop-b')] });
    expect(at('/image.png')).toMatchObject({ kind: 'found', page: { status: 200, contentType: 'image/png', urls: [] } });
    // Past the cap a page is found, cut short, with the links before the cut.
    expect(at('/big')).toMatchObject({
      kind: 'found',
      page: { status: 200, truncated: true, bytes: fast.maxBytes, urls: [...Array(5).fill(s.url('/from-big')), ...Array(5).fill(s.url('/from-big?more'))] },
    });
    expect(at('/big-declared')).toMatchObject({ kind: 'found', page: { status: 200, truncated: true, bytes: fast.maxBytes, title: 'Declared', urls: [] } });
    expect(at('/missing')).not.toHaveProperty('page.truncated');
    expect(at('/slow')).toMatchObject({ kind: 'failed' });
    expect((at('/slow') as { error: string }).error).toMatch(/^timeout/);
    expect(s.hits('/slow')).toBe(1);

    const links = (p: string) => (at(p) as Found).page.urls.map((u) => u.replace(s.origin, ''));
    expect(links('/malformed')).toEqual(['/m1', '/m2', '/m3', '/m4']);
    expect((at('/malformed') as Found).page.title).toBe('Mal formed');
    expect(links('/dir/sub/page')).toEqual(['/dir/up', '/top', '/root-clamped', '/dir/sub/sibling', '/dir/sub/']);
    expect(links('/upper')).toEqual(['/U1', '/U2', '/U3']);
    expect(links('/dups')).toEqual(Array(8).fill('/d'));
    expect(links('/odd')).toEqual(['/odd', '/odd?q=1']);
    expect(links('/based/')).toEqual(['/elsewhere/x', '/abs']);
    expect(links('/sniffed')).toEqual(['/from-sniffed']);
    expect(at('/text')).toMatchObject({ kind: 'found', page: { urls: [] } });
  });

  it('with the seams a site crawl gets (same-origin scope, robots.txt, 2 per host, a depth limit), asks for nothing out of bounds', async () => {
    const other = await site({ '/': page('Other', '/deeper') });
    const s = await hostileSite();
    s.route(
      '/',
      page(
        'Home',
        ...Object.keys(hostileRoutes()).filter((p) => p !== '/'),
        '/chain',
        '/private/secret',
        '/open/../private/also',
        other.url('/'),
        '/to-other',
        '/robots.txt',
      ),
    );
    s.route('/robots.txt', respond(200, 'User-agent: *\nDisallow: /private/\n', { 'content-type': 'text/plain' }));
    s.route('/to-other', redirect(other.url('/'), 302));
    s.route('/private/secret', page('Secret', '/never-from-private'));
    s.route('/chain', page('Chain', '/chain2'));
    s.route('/chain2', redirect('/chain3'));
    s.route('/chain3', page('Chain 3', '/chain4'));
    const maxDepth = 3;
    const results = await all(crawl(s.url('/'), new HttpFetcher(fast), { variant, maxDepth, scope: { scope: 'origin' }, robots: {}, perHost: 2 }));
    const byUrl = new Map(results.map((r) => [r.url, r]));

    expect(byUrl.size).toBe(results.length);
    for (const r of results) if (r.kind === 'found') for (const u of r.page.urls) expect(byUrl.has(u), `${u} (linked from ${r.url})`).toBe(true);
    expect(other.requests).toEqual([]);
    expect(s.requests.filter((t) => t.startsWith('/private') || t.startsWith('/never'))).toEqual([]);
    expect(s.hits('/robots.txt')).toBe(2); // once for the rules, once as a page linked from /
    expect([...new Set(s.requests)].filter((t) => s.hits(t) > 1 && t !== '/robots.txt').sort()).toEqual(['/busy', '/flaky']);
    expect(byUrl.get(s.url('/private/secret'))).toMatchObject({ kind: 'skipped', reason: 'robots', parent: s.url('/') });
    expect(byUrl.get(s.url('/private/also'))).toMatchObject({ kind: 'skipped', reason: 'robots' });
    expect(byUrl.get(other.url('/'))).toMatchObject({ kind: 'skipped', reason: 'scope' });
    expect(byUrl.get(s.url('/chain4'))).toMatchObject({ kind: 'skipped', reason: 'depth', depth: 4, parent: s.url('/chain3') });
    expect(s.hits('/chain4')).toBe(0);
    expect(results.filter((r) => r.kind === 'skipped' && r.reason === 'depth').every((r) => r.depth === maxDepth + 1)).toBe(true);
  });

  it('follows a depth limit over HTTP, counting a redirect as a hop', async () => {
    const s = await site({ '/': page('Home', '/a', '/r'), '/a': page('A', '/b'), '/b': page('B', '/c'), '/r': redirect('/b') });
    const results = await all(crawl(s.url('/'), new HttpFetcher(fast), { variant, maxDepth: 1 }));
    const kinds = Object.fromEntries(results.map((r) => [r.url.replace(s.origin, ''), r.kind === 'skipped' ? `skipped:${r.reason}` : r.kind]));
    expect(kinds).toEqual({ '/': 'found', '/a': 'found', '/r': 'found', '/b': 'skipped:depth' });
    expect(s.hits('/b')).toBe(0);
  });
});

describe('HttpFetcher', () => {
  it('names itself in the User-Agent and asks for HTML', async () => {
    let headers: Record<string, string | string[] | undefined> = {};
    const s = await site({ '/': (req, res, hit) => ((headers = req.headers), respond(200, page('x'))(req, res, hit)) });
    await new HttpFetcher(fast).fetch(s.url('/'));
    expect(headers['user-agent']).toMatch(new RegExp(`^chancrawl/${version.replaceAll('.', '\\.')} \\(\\+https?://`));
    expect(headers.accept).toMatch(/text\/html/);
  });

  it('fails a 5xx after its retries, with the status, having asked retries + 1 times', async () => {
    const s = await site({ '/': respond(503, 'down') });
    const error = await new HttpFetcher({ ...fast, retries: 3 }).fetch(s.url('/')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchError);
    expect(error).toMatchObject({ status: 503 });
    expect(s.hits('/')).toBe(4);
  });

  it('waits as Retry-After says, else backs off doubling', async () => {
    const times = new Map<string, number[]>();
    const timed =
      (status: number, headers: Record<string, string> = {}): Handler =>
      (req, res, hit) => {
        times.set(req.url!, [...(times.get(req.url!) ?? []), performance.now()]);
        respond(hit === 3 ? 200 : status, page('ok'), hit === 3 ? {} : headers)(req, res, hit);
      };
    const s = await site({ '/after': timed(429, { 'retry-after': '1' }), '/backoff': timed(503) });
    const fetcher = new HttpFetcher({ ...fast, retries: 2, retryDelayMs: 150 });
    await Promise.all([fetcher.fetch(s.url('/after')), fetcher.fetch(s.url('/backoff'))]);
    const gaps = (path: string) =>
      times
        .get(path)!
        .slice(1)
        .map((t, i) => t - times.get(path)![i]!);
    for (const gap of gaps('/after')) expect(gap).toBeGreaterThanOrEqual(950);
    const [first, second] = gaps('/backoff') as [number, number];
    expect(first).toBeGreaterThanOrEqual(140);
    expect(second).toBeGreaterThanOrEqual(290);
  });

  it('keeps its connection through 404s, redirects and pages that are not HTML, whose small bodies it reads to the end', async () => {
    const s = await site({
      '/': page('Home'),
      '/moved': redirect('/'),
      '/gone': respond(410, 'gone for good'),
      '/data.json': respond(200, '{}', { 'content-type': 'application/json' }),
    });
    const fetcher = new HttpFetcher({ ...fast, connectionsPerOrigin: 1 }); // a request waits for the one connection, which a closed one would not save
    for (const path of ['/', '/missing', '/moved', '/gone', '/data.json', '/', '/missing']) await fetcher.fetch(s.url(path)).catch(() => undefined);
    expect(s.requests).toHaveLength(7);
    expect(s.connections()).toBe(1);
  });

  it('sends the headers it is given with every request, one of a default name replacing the default', async () => {
    const seen: Record<string, string | string[] | undefined>[] = [];
    const s = await site({ '/': (req, res, hit) => (seen.push(req.headers), respond(200, page('Home'))(req, res, hit)) });
    const fetcher = new HttpFetcher({ ...fast, headers: { 'X-Team': 'docs', Accept: 'text/html' } });
    await fetcher.fetch(s.url('/'));
    await fetcher.fetch(s.url('/'));
    expect(seen.map((h) => [h['x-team'], h.accept])).toEqual([
      ['docs', 'text/html'],
      ['docs', 'text/html'],
    ]);
    await fetcher.close();
  });

  it('close() ends its kept-alive connections and a request still on the wire, and refuses fetches after', async () => {
    const sockets: Socket[] = [];
    let hits = 0;
    const server = createServer((req, res) => void (hits++, req.url === '/' && respond(200, page('Home'))(req, res, 1))); // /hang never answers
    server.on('connection', (socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const fetcher = new HttpFetcher(fast);
      const hanging = fetcher.fetch(`${origin}/hang`).catch((error: unknown) => error);
      await fetcher.fetch(`${origin}/`);
      while (hits < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(sockets).toHaveLength(2); // the kept-alive one, idle in the pool, and the one waiting on /hang
      expect(sockets.some((socket) => socket.destroyed)).toBe(false);
      await fetcher.close();
      expect(await hanging).toMatchObject({ message: 'the fetcher was closed' });
      const deadline = Date.now() + 1_000;
      while (!sockets.every((socket) => socket.destroyed) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(sockets.map((socket) => socket.destroyed)).toEqual([true, true]); // the client closed both
      await expect(fetcher.fetch(`${origin}/`)).rejects.toThrow('the fetcher was closed');
      expect(hits).toBe(2);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('does not read a large body it does not need, and still fails the fetch with its status', async () => {
    const s = await site({ '/huge-404': respond(404, 'x'.repeat(1 << 20)) });
    await expect(new HttpFetcher(fast).fetch(s.url('/huge-404'))).rejects.toMatchObject({ status: 404 });
  });

  it('does not retry a 404', async () => {
    const s = await site({});
    await expect(new HttpFetcher(fast).fetch(s.url('/gone'))).rejects.toMatchObject({ status: 404 });
    expect(s.hits('/gone')).toBe(1);
  });

  it('does not wait for a Retry-After past its cap', async () => {
    const s = await site({ '/': respond(429, '', { 'retry-after': '3600' }) });
    await expect(new HttpFetcher({ ...fast, maxRetryAfterMs: 5_000 }).fetch(s.url('/'))).rejects.toThrow(/Retry-After 3600 s/);
    expect(s.hits('/')).toBe(1);
  });

  it('retries a connection reset, then succeeds', async () => {
    const s = await site({ '/': (req, res, hit) => void (hit === 1 ? req.socket.destroy() : respond(200, page('Back'))(req, res, hit)) });
    await expect(new HttpFetcher(fast).fetch(s.url('/'))).resolves.toMatchObject({ title: 'Back' });
    expect(s.hits('/')).toBe(2);
  });

  it('caps a redirect chain', async () => {
    const routes: Record<string, Route> = { '/end': page('End') };
    for (let i = 0; i < 5; i++) routes[`/r${i}`] = redirect(i === 4 ? '/end' : `/r${i + 1}`);
    const s = await site(routes);
    const results = await all(crawl(s.url('/r0'), new HttpFetcher({ ...fast, maxRedirects: 3 })));
    expect(results.find((r) => r.url === s.url('/r3'))).toMatchObject({ kind: 'failed', error: 'too many redirects (more than 3)', status: 301 });
    expect(s.hits('/r4')).toBe(0);
  });

  it('fails a redirect to a scheme it does not fetch, and one with no Location', async () => {
    const s = await site({ '/ftp': redirect('ftp://127.0.0.1/x'), '/none': respond(302) });
    await expect(new HttpFetcher(fast).fetch(s.url('/ftp'))).rejects.toThrow(/not http\(s\)/);
    await expect(new HttpFetcher(fast).fetch(s.url('/none'))).rejects.toThrow(/without a Location/);
  });

  it('rejects with the signal reason when aborted in flight, and does not retry', async () => {
    const s = await site({ '/': (_req, res) => void setTimeout(() => res.end('late'), 5_000) });
    const stop = new AbortController();
    const reason = new Error('stopped by test');
    const fetching = new HttpFetcher({ ...fast, responseTimeoutMs: 10_000 }).fetch(s.url('/'), stop.signal);
    setTimeout(() => stop.abort(reason), 50);
    const t0 = performance.now();
    await expect(fetching).rejects.toBe(reason);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(s.hits('/')).toBe(1);
  });

  it('rejects with the signal reason when aborted while waiting to retry', async () => {
    const s = await site({ '/': respond(503, '', { 'retry-after': '30' }) });
    const stop = new AbortController();
    const fetching = new HttpFetcher(fast).fetch(s.url('/'), stop.signal);
    setTimeout(() => stop.abort('enough'), 100);
    await expect(fetching).rejects.toBe('enough');
    expect(s.hits('/')).toBe(1);
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(retryAfter('7')).toBe(7_000);
    expect(retryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfter('soon')).toBeUndefined();
    expect(retryAfter(undefined)).toBeUndefined();
  });

  it('decodes by the Content-Type charset, else by <meta charset>, else as UTF-8', async () => {
    const send =
      (contentType: string, html: string, encoding: BufferEncoding): Handler =>
      (_req, res) => {
        res.writeHead(200, { 'content-type': contentType });
        res.end(Buffer.from(html, encoding));
      };
    const s = await site({
      '/header': send('text/html; charset=iso-8859-1', '<title>caf\u00e9</title>', 'latin1'),
      '/meta': send('text/html', '<meta charset="windows-1252"><title>caf\u00e9</title>', 'latin1'),
      '/http-equiv': send('text/html', '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"><title>na\u00efve</title>', 'latin1'),
      '/utf8': send('text/html', '<title>caf\u00e9</title>', 'utf8'),
    });
    const fetcher = new HttpFetcher(fast);
    expect((await fetcher.fetch(s.url('/header'))).title).toBe('caf\u00e9');
    expect((await fetcher.fetch(s.url('/meta'))).title).toBe('caf\u00e9');
    expect((await fetcher.fetch(s.url('/http-equiv'))).title).toBe('na\u00efve');
    expect((await fetcher.fetch(s.url('/utf8'))).title).toBe('caf\u00e9');
  });

  it('normalizes links with its options', async () => {
    const s = await site({ '/': page('Q', '/p?utm_source=x&b=2&a=1') });
    const found = await new HttpFetcher({ ...fast, normalize: { sortQuery: true, removeTracking: true } }).fetch(s.url('/'));
    expect(found.urls).toEqual([s.url('/p?a=1&b=2')]);
  });
});

describe('HttpFetcher.links on any markup', () => {
  const piece = fc.oneof(
    fc.string(),
    fc.constantFrom(
      '<a href="/x">',
      '<A HREF=../y>',
      '<area href="z#f">',
      '<base href="/b/">',
      '<BASE HREF="http://other/">',
      '</a>',
      '<a href>',
      '<a href="">',
      '<a href="mailto:m@x">',
      '<a href=" //h/p ">',
      '<title>',
      '</title>',
      '<!--',
      '-->',
      '<script>',
      '</script>',
      '<table>',
      '<',
      '"',
      "'",
      '&amp;',
      '\u0000',
    ),
  );
  const markup = fc.array(piece, { maxLength: 30 }).map((parts) => parts.join(''));

  it('never throws, and gives only normal http(s) URLs and a trimmed title', () => {
    const fetcher = new HttpFetcher();
    fc.assert(
      fc.property(markup, (html) => {
        const { title, urls } = fetcher.links(html, 'http://site.test/dir/page');
        for (const u of urls) expect(normalizeUrl(u)).toBe(u);
        if (title !== undefined) expect(title).toBe(title.trim());
      }),
      { numRuns: 500 },
    );
  });
});

describe('HttpFetcher and the crawl signal', () => {
  it('listens on the signal once however many fetches wait, and a stop ends them all', async () => {
    const held = (_req: unknown, res: { writeHead(s: number): void; end(b: string): void }) => void setTimeout(() => (res.writeHead(200), res.end('')), 5_000);
    const s = await site(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`/slow/${i}`, held as Handler])));
    const fetcher = new HttpFetcher(fast);
    const stop = new AbortController();
    const fetches = Array.from({ length: 20 }, (_, i) =>
      fetcher.fetch(s.url(`/slow/${i}`), stop.signal).then(
        () => 'answered',
        () => 'stopped',
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(getEventListeners(stop.signal, 'abort').length).toBe(1); // undici's own `signal` option adds one per request
    stop.abort(new Error('stop'));
    expect(await Promise.all(fetches)).toEqual(Array(20).fill('stopped'));
  });
});
