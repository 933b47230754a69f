// --header and --cookies: what the site's server sees on which paths, the cookie file read as curl
// and wget write it, and bad input as one line and exit 2.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CookieJar, readCookieFile } from '../lib/fetchers/cookies.js';
import { cli } from './support/cli.js';
import { page, respond, sitesClosedAfterEach, type Handler } from './support/site.js';

const site = sitesClosedAfterEach(afterEach);
const dir = mkdtempSync(join(tmpdir(), 'chancrawl-headers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const now = Date.parse('2026-06-01T00:00:00Z');
const future = String(now / 1000 + 86_400);

/** A file of these lines in a temp folder. */
function file(name: string, ...lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n'));
  return path;
}

/** A cookie line: DOMAIN INCLUDE-SUBDOMAINS PATH SECURE EXPIRES NAME VALUE, tab-separated. */
const line = (...fields: string[]) => fields.join('\t');

/** Routes that record each request's headers by path, then answer `page`. */
function recorded(routes: Record<string, string>): { seen: Map<string, IncomingHttpHeaders>; routes: Record<string, Handler> } {
  const seen = new Map<string, IncomingHttpHeaders>();
  return {
    seen,
    routes: Object.fromEntries(
      Object.entries(routes).map(([path, body]) => [path, (req, res, hit) => (seen.set(path, req.headers), respond(200, body)(req, res, hit))]),
    ),
  };
}

describe('readCookieFile', () => {
  it('reads a file as curl -c writes it: comments, #HttpOnly_ lines, six fields for an empty value; expired cookies left out', () => {
    const text = [
      '# Netscape HTTP Cookie File',
      '# https://curl.se/docs/http-cookies.html',
      '',
      line('.example.org', 'TRUE', '/', 'FALSE', '0', 'session', 'one'),
      line('#HttpOnly_www.example.org', 'FALSE', '/docs', 'TRUE', future, 'http', 'two=2'),
      line('www.example.org', 'FALSE', '/', 'FALSE', '0', 'empty') + '\r',
      line('example.org', 'FALSE', '/', 'FALSE', String(now / 1000 - 1), 'old', 'gone'),
    ].join('\n');
    expect(readCookieFile(text, 'f', now)).toEqual([
      { domain: 'example.org', subdomains: true, path: '/', secure: false, expires: 0, name: 'session', value: 'one' },
      { domain: 'www.example.org', subdomains: false, path: '/docs', secure: true, expires: Number(future), name: 'http', value: 'two=2' },
      { domain: 'www.example.org', subdomains: false, path: '/', secure: false, expires: 0, name: 'empty', value: '' },
    ]);
  });

  it('names the file and the line of a line that is not a cookie', () => {
    const bad = (cookieLine: string) => () => readCookieFile(`# comment\n${cookieLine}\n`, '--cookies c.txt', now);
    expect(bad('example.org FALSE / FALSE 0 a b')).toThrow('--cookies c.txt line 2: 1 field, where a cookie has 7 separated by tabs');
    expect(bad(line('example.org', 'yes', '/', 'FALSE', '0', 'a', 'b'))).toThrow(
      '--cookies c.txt line 2: INCLUDE-SUBDOMAINS must be TRUE or FALSE (got "yes")',
    );
    expect(bad(line('example.org', 'FALSE', '/', 'FALSE', 'soon', 'a', 'b'))).toThrow('--cookies c.txt line 2: EXPIRES must be seconds since 1970');
    expect(bad(line('example.org', 'FALSE', 'docs', 'FALSE', '0', 'a', 'b'))).toThrow('--cookies c.txt line 2: PATH must start with /');
    expect(bad(line('', 'FALSE', '/', 'FALSE', '0', 'a', 'b'))).toThrow('--cookies c.txt line 2: DOMAIN must be a host name');
    expect(bad(line('example.org', 'FALSE', '/', 'FALSE', '0', 'a', 'b', 'c'))).toThrow('line 2: 8 fields');
    expect(bad(line('example.org:http', 'FALSE', '/', 'FALSE', '0', 'a', 'b'))).toThrow('line 2: DOMAIN must be a host name, or HOST:PORT');
  });
});

describe('CookieJar', () => {
  const jar = new CookieJar(
    readCookieFile(
      [
        line('example.org', 'FALSE', '/', 'FALSE', '0', 'exact', '1'),
        line('.example.org', 'FALSE', '/', 'FALSE', '0', 'dotted', '2'),
        line('example.org', 'TRUE', '/', 'FALSE', '0', 'flagged', '3'),
        line('example.org', 'FALSE', '/docs', 'FALSE', '0', 'docs', '4'),
        line('example.org', 'FALSE', '/docs/', 'FALSE', '0', 'slash', '5'),
        line('example.org', 'FALSE', '/', 'TRUE', '0', 'secure', '6'),
        line('example.org', 'FALSE', '/', 'FALSE', future, 'until', '7'),
        line('0.0.1', 'TRUE', '/', 'FALSE', '0', 'ip', '8'),
        line('example.org:8080', 'FALSE', '/', 'FALSE', '0', 'port', '9'),
      ].join('\n'),
      'f',
      now,
    ),
  );

  it('sends a cookie to its host, to subdomains when the flag says TRUE or the domain has a leading dot, and to no other host', () => {
    expect(jar.header('http://example.org/', now)).toBe('exact=1; dotted=2; flagged=3; until=7');
    expect(jar.header('http://a.b.example.org/', now)).toBe('dotted=2; flagged=3');
    expect(jar.header('http://notexample.org/', now)).toBeUndefined();
    expect(jar.header('http://127.0.0.1/', now)).toBeUndefined(); // an address has no parent domain 0.0.1
    expect(jar.header('http://example.org:8080/', now)).toBe('exact=1; dotted=2; flagged=3; until=7; port=9'); // wget's HOST:PORT: that port only
  });

  it('sends a cookie to its path and the paths under it, longest path first; secure ones over https only; none once expired', () => {
    expect(jar.header('http://example.org/docs', now)).toBe('docs=4; exact=1; dotted=2; flagged=3; until=7');
    expect(jar.header('http://example.org/docs/x/y?q', now)).toBe('slash=5; docs=4; exact=1; dotted=2; flagged=3; until=7');
    expect(jar.header('http://example.org/docsets', now)).toBe('exact=1; dotted=2; flagged=3; until=7');
    expect(jar.header('https://example.org/', now)).toBe('exact=1; dotted=2; flagged=3; secure=6; until=7');
    expect(jar.header('http://example.org/', now + 2 * 86_400_000)).toBe('exact=1; dotted=2; flagged=3');
  });
});

describe('chancrawl --header and --cookies, as the server sees them', () => {
  it('sends every --header with every page request, joins a repeated name, and replaces a default (Accept)', async () => {
    const { seen, routes } = recorded({ '/': page('home', '/a', '/b'), '/a': page('a'), '/b': page('b') });
    const s = await site(routes);
    const run = await cli(
      '--quiet',
      '--header',
      'X-Token: abc 123',
      '--header',
      'accept: text/html',
      '--header',
      'X-List: one',
      '--header',
      'X-List:two',
      '--header',
      'X-Empty:',
      s.url('/'),
    );
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect([...seen.keys()].sort()).toEqual(['/', '/a', '/b']);
    for (const headers of seen.values()) expect(headers).toMatchObject({ 'x-token': 'abc 123', accept: 'text/html', 'x-list': 'one, two', 'x-empty': '' });
  });

  it("sends each cookie of --cookies to its paths only: not a secure one over http, not an expired one, not another domain's", async () => {
    const { seen, routes } = recorded({
      '/': page('home', '/docs', '/docs/a', '/docsets', '/other/'),
      '/docs': page('docs'),
      '/docs/a': page('a'),
      '/docsets': page('sets'),
      '/other/': page('other'),
    });
    const s = await site(routes);
    const cookies = file(
      'cookies.txt',
      '# Netscape HTTP Cookie File',
      line('127.0.0.1', 'FALSE', '/', 'FALSE', '0', 'session', 's1'),
      line('#HttpOnly_127.0.0.1', 'FALSE', '/', 'FALSE', '4102444800', 'http', 'h1'),
      line('127.0.0.1', 'FALSE', '/docs', 'FALSE', '0', 'docs', 'd1'),
      line('127.0.0.1', 'FALSE', '/', 'TRUE', '0', 'secure', 'never-over-http'),
      line('127.0.0.1', 'FALSE', '/', 'FALSE', '1', 'expired', 'never'),
      line('.example.org', 'TRUE', '/', 'FALSE', '0', 'elsewhere', 'never'),
      '# as wget --save-cookies writes them:',
      line('.127.0.0.1', 'TRUE', '/', 'FALSE', '0', 'wget', 'w1'),
      line(`127.0.0.1:${new URL(s.origin).port}`, 'FALSE', '/docs/', 'FALSE', '0', 'port', 'p1'),
      line('127.0.0.1:1', 'FALSE', '/', 'FALSE', '0', 'otherport', 'never'),
    );
    const run = await cli('--quiet', '--cookies', cookies, '--header', 'Cookie: given=g', s.url('/'));
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(Object.fromEntries([...seen].map(([path, headers]) => [path, headers.cookie]))).toEqual({
      '/': 'given=g; session=s1; http=h1; wget=w1',
      '/docs': 'given=g; docs=d1; session=s1; http=h1; wget=w1',
      '/docs/a': 'given=g; port=p1; docs=d1; session=s1; http=h1; wget=w1',
      '/docsets': 'given=g; session=s1; http=h1; wget=w1',
      '/other/': 'given=g; session=s1; http=h1; wget=w1',
    });
  });

  it("sends --header and the cookies of --cookies with a sitemap request too, as with a page's", async () => {
    const { seen, routes } = recorded({ '/': page('home'), '/docs/a': page('a') });
    const s = await site(routes);
    s.route('/docs/sitemap.xml', (req, res) => {
      seen.set('/docs/sitemap.xml', req.headers);
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${s.url('/docs/a')}</loc></url></urlset>`);
    });
    const cookies = file('sitemap-cookies.txt', line('127.0.0.1', 'FALSE', '/docs', 'FALSE', '0', 'docs', 'd1'));
    const run = await cli('--quiet', '--header', 'X-Token: t', '--cookies', cookies, '--sitemap', s.url('/docs/sitemap.xml'), s.url('/'));
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(Object.fromEntries([...seen].map(([path, headers]) => [path, [headers['x-token'], headers.cookie]]))).toEqual({
      '/': ['t', undefined],
      '/docs/sitemap.xml': ['t', 'docs=d1'],
      '/docs/a': ['t', 'docs=d1'],
    });
  });

  it.each([
    [['--header', 'X-Token abc'], `--header: must be 'NAME: VALUE' (got "X-Token abc")`],
    [['--header', 'A: 1', '--header', ': abc'], `--header: must be 'NAME: VALUE', NAME not empty (got ": abc")`],
    [['--header', 'Bad Name: x'], `--header: "Bad Name" is not a header name`],
    [['--header', 'Host: elsewhere.test'], `--header: Host is chancrawl's to set: each request's is its URL's host (got "Host: elsewhere.test")`],
    [['--header', 'content-length: 5'], `--header: content-length is chancrawl's to set`],
    [['--header', 'User-Agent: Foo/1'], `--header: User-Agent is chancrawl's to set: give --user-agent`],
    [['--cookies', join(dir, 'absent.txt')], `--cookies ${join(dir, 'absent.txt')}: cannot read it: ENOENT`],
    [
      ['--cookies', file('bad.txt', '# fine', line('127.0.0.1', 'FALSE', '/', 'FALSE', '0', 'a', 'b'), '127.0.0.1 FALSE / FALSE 0 c d')],
      `--cookies ${join(dir, 'bad.txt')} line 3: 1 field, where a cookie has 7`,
    ],
  ])('%j is exit 2 with one line naming the flag and what is wrong', async (args, message) => {
    const s = await site({ '/': page('home') });
    const run = await cli(...args, s.url('/'));
    expect(run.status).toBe(2);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(run.stderr).toContain(`chancrawl: ${message}`);
    expect(s.requests).toEqual([]);
  });
});
