import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { readLinks } from '../lib/fetchers/html.js';
import { normalizeUrl, urlParts, type NormalizeOptions } from '../lib/fetchers/normalize.js';
import { Robots } from '../lib/seams/robots.js';
import { scoped, scopeTest } from '../lib/seams/scope.js';
import { fetcherOf } from './support/fetchers.js';

const allOptions: fc.Arbitrary<NormalizeOptions> = fc.record(
  { dropFragment: fc.boolean(), sortQuery: fc.boolean(), removeTracking: fc.boolean() },
  { requiredKeys: [] },
);

// Strings that look like URLs, so the properties are exercised on parseable input too, not only on junk.
const urlish: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('http', 'HTTP', 'https', 'HtTpS', 'ftp', 'mailto', 'javascript', ''),
    fc.constantFrom('://', ':', ':///', '//'),
    fc.constantFrom('Example.COM', 'a.b', '127.0.0.1', '[::1]', 'xn--bcher-kva.example', 'bücher.example', 'u:p@h', ''),
    fc.constantFrom('', ':80', ':443', ':8080', ':0', ':99999', ':'),
    fc.array(fc.constantFrom('a', '.', '..', '%2e', 'b c', '%41', 'é', '', '//', '\\'), { maxLength: 5 }).map((s) => s.join('/')),
    fc
      .array(fc.constantFrom('utm_source=x', 'b=2', 'a=1', 'a=0', 'fbclid=z', 'q=a+b', 'x', '=', '&', '%zz'), { maxLength: 4 })
      .map((q) => (q.length ? `?${q.join('&')}` : '')),
    fc.constantFrom('', '#', '#top', '#a b'),
  )
  .map((parts) => parts.join(''));

const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  urlish,
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
);

describe('normalizeUrl: properties', () => {
  it('never throws, and gives an http(s) URL or undefined', () => {
    fc.assert(
      fc.property(anyString, allOptions, (s, options) => {
        const n = normalizeUrl(s, options);
        if (n !== undefined) expect(n).toMatch(/^https?:\/\//);
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent: normalizing a normal form changes nothing', () => {
    fc.assert(
      fc.property(anyString, allOptions, (s, options) => {
        const n = normalizeUrl(s, options);
        if (n !== undefined) expect(normalizeUrl(n, options)).toBe(n);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on a relative reference against any base', () => {
    fc.assert(
      fc.property(anyString, anyString, allOptions, (s, base, options) => {
        const n = normalizeUrl(s, { ...options, base });
        if (n !== undefined) expect(normalizeUrl(n, options)).toBe(n);
      }),
      { numRuns: 1000 },
    );
  });

  it('by default keeps no fragment', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        expect(normalizeUrl(s) ?? '').not.toContain('#');
      }),
    );
  });
});

describe('normalizeUrl: each rule', () => {
  it.each([
    ['HTTP://Example.COM/a', 'http://example.com/a'],
    ['http://example.com:80/a', 'http://example.com/a'],
    ['https://example.com:443/a', 'https://example.com/a'],
    ['http://example.com:443/a', 'http://example.com:443/a'],
    ['http://example.com/a/./b/../c', 'http://example.com/a/c'],
    ['http://example.com/a/%2e%2E/c', 'http://example.com/c'],
    ['http://example.com', 'http://example.com/'],
    ['http://example.com/a#top', 'http://example.com/a'],
    ['http://example.com/a#', 'http://example.com/a'],
    ['  http://example.com/a b\n', 'http://example.com/a%20b'],
    ['http://bücher.example/', 'http://xn--bcher-kva.example/'],
    ['http://example.com/?b=2&a=1', 'http://example.com/?b=2&a=1'],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeUrl(input)).toBe(expected);
  });

  it.each([
    'mailto:a@b.c',
    'javascript:void(0)',
    'tel:+123',
    'data:text/html,hi',
    'ftp://example.com/',
    'file:///etc/passwd',
    'not a url',
    '',
    'http://',
    '/relative',
  ])('gives undefined for %j', (input) => {
    expect(normalizeUrl(input)).toBeUndefined();
  });

  it('resolves against a base', () => {
    expect(normalizeUrl('../x?q#f', { base: 'http://h/a/b/c' })).toBe('http://h/a/x?q');
    expect(normalizeUrl('//other:80/', { base: 'https://h/' })).toBe('https://other:80/');
    expect(normalizeUrl('mailto:x@y', { base: 'http://h/' })).toBeUndefined();
  });

  it('keeps the fragment when asked', () => {
    expect(normalizeUrl('http://h/a#top', { dropFragment: false })).toBe('http://h/a#top');
  });

  it('sorts the query by name, stably, when asked', () => {
    expect(normalizeUrl('http://h/?b=2&a=1&b=1', { sortQuery: true })).toBe('http://h/?a=1&b=2&b=1');
  });

  it('removes tracking parameters when asked, and an emptied query with them', () => {
    expect(normalizeUrl('http://h/p?utm_source=x&id=3&UTM_Medium=y&fbclid=z', { removeTracking: true })).toBe('http://h/p?id=3');
    expect(normalizeUrl('http://h/p?utm_source=x&gclid=1', { removeTracking: true })).toBe('http://h/p');
    expect(normalizeUrl('http://h/p?utm_source=x')).toBe('http://h/p?utm_source=x');
  });
});

// URLs the parser rewrites in many ways (numeric and dotted-quad-like hosts, default ports,
// punycode, dot segments, upper case, characters to encode), so that their normal forms vary.
const hostish = fc.constantFrom(
  'a.b',
  'EXAMPLE.com',
  '127.0.0.1',
  '127.1',
  '0x7f.0.0.1',
  '1.2.3.4.',
  'a.',
  'xn--nxasmq6b.com',
  'bücher.example',
  'u:p@a.b',
  'u@a.b:81',
  '[::1]',
  '[0:0::1]:8080',
  'a%41.b',
  '',
);
const plainish: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('http://', 'https://', 'HTTP://', 'http:/', 'http:\\\\', ' http://', 'ftp://'),
    hostish,
    fc.constantFrom('', ':80', ':443', ':8080', ':0', ':080', ':65535', ':65536', ':'),
    fc
      .array(fc.constantFrom('a', 'b.html', '.', '..', '%2e', '.a', '%41', "it's", 'a b', 'ä', 'a\\b', '|', '[x]', '?', '#', '%3F', ''), { maxLength: 4 })
      .map((p) => p.map((s) => `/${s}`).join('')),
    fc.constantFrom('', '?', '?a=1', "?a='x'", '?a b', '?ä', '?/x?y', '??', '?b=2&a=1&utm_source=x'),
    fc.constantFrom('', '#', '#x', '#a b', '#ä', '#?x'),
  )
  .map((parts) => parts.join(''));

/** The parts as the URL parser gives them: what urlParts must agree with. */
function parsedParts(url: string) {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  return u.protocol === 'http:' || u.protocol === 'https:'
    ? { protocol: u.protocol, origin: u.origin, hostname: u.hostname, pathname: u.pathname, search: u.search }
    : undefined;
}

describe('urlParts', () => {
  it("gives the URL parser's parts for any string", () => {
    fc.assert(
      fc.property(fc.oneof(anyString, plainish), (s) => {
        expect(urlParts(s)).toEqual(parsedParts(s));
      }),
      { numRuns: 5000 },
    );
  });

  it("reads a normal form normalizeUrl just gave off its string, and gets the parser's parts", () => {
    fc.assert(
      fc.property(
        fc.oneof(anyString, plainish),
        fc.constantFrom(undefined, 'http://h.test/a/b.html', 'https://[::1]:8443/x/'),
        allOptions,
        (s, base, options) => {
          const n = normalizeUrl(s, { ...options, base });
          if (n !== undefined) expect(urlParts(n)).toEqual(parsedParts(n));
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('normalizeUrl gives what the URL parser alone gives, for any string and base', () => {
    const viaParser = (s: string, { base, dropFragment = true, sortQuery = false, removeTracking = false }: NormalizeOptions) => {
      let u: URL;
      try {
        u = new URL(s, base);
      } catch {
        return undefined;
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
      [u.username, u.password] = ['', ''];
      if (dropFragment) u.hash = '';
      if (removeTracking)
        for (const name of [...u.searchParams.keys()])
          if (/^utm_|^(fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|mc_cid|mc_eid|igshid|_ga|_gl)$/i.test(name)) u.searchParams.delete(name);
      if (sortQuery && u.search !== '') u.searchParams.sort();
      return u.href;
    };
    fc.assert(
      fc.property(
        fc.oneof(anyString, plainish),
        fc.constantFrom(undefined, 'http://h.test/a/b.html', 'http://127.0.0.1:8080/3/'),
        allOptions,
        (s, base, options) => {
          expect(normalizeUrl(s, { ...options, base })).toBe(viaParser(s, { ...options, base }));
        },
      ),
      { numRuns: 20_000 },
    );
  });
});

describe('a link found on a page is parsed once', () => {
  const realURL = globalThis.URL;
  afterEach(() => {
    globalThis.URL = realURL;
  });

  it('by the link reader; the scope and robots.txt seams read it without parsing it again', async () => {
    const hrefs = Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? `https://other.test/p${i}` : `/docs/p${i}.html?v=${i}#s`));
    const html = hrefs.map((h) => `<a href="${h}">x</a>`).join('');
    let parses = 0;
    globalThis.URL = class extends realURL {
      constructor(url: string | URL, base?: string | URL) {
        super(url, base);
        parses += 1;
      }
    };
    const page = (url: string) => ({ url, ...readLinks(html, url) });
    const robots = new Robots({ load: async () => ({ status: 200, body: 'User-agent: *\nDisallow: /docs/p1' }) });
    await robots.rulesFor('http://site.test');
    await robots.rulesFor('https://other.test');
    const seams = robots.filter(scoped(fetcherOf(page), scopeTest('http://site.test/')));
    const url = normalizeUrl('http://site.test/docs/index.html')!; // as a crawl's start URL or a link is
    parses = 0;
    const seen = await seams.fetch(url);
    expect(seen.urls).toHaveLength(80); // 90 on the site, less /docs/p1 and /docs/p11-p19 (robots); the 10 elsewhere out of scope
    expect(seen.dropped?.filter((d) => d.reason === 'robots')).toHaveLength(10);
    expect(seen.dropped?.filter((d) => d.reason === 'scope')).toHaveLength(10);
    expect(parses).toBe(hrefs.length); // each href once, by normalizeUrl; the page's own URL and the links after are read, not parsed
  });
});
