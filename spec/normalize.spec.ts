import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeUrl, type NormalizeOptions } from '../lib/fetchers/normalize.js';

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
    fc.array(fc.constantFrom('utm_source=x', 'b=2', 'a=1', 'a=0', 'fbclid=z', 'q=a+b', 'x', '=', '&', '%zz'), { maxLength: 4 }).map((q) => (q.length ? `?${q.join('&')}` : '')),
    fc.constantFrom('', '#', '#top', '#a b'),
  )
  .map((parts) => parts.join(''));

const anyString = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), urlish, fc.webUrl({ withQueryParameters: true, withFragments: true }));

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

  it.each(['mailto:a@b.c', 'javascript:void(0)', 'tel:+123', 'data:text/html,hi', 'ftp://example.com/', 'file:///etc/passwd', 'not a url', '', 'http://', '/relative'])(
    'gives undefined for %j',
    (input) => {
      expect(normalizeUrl(input)).toBeUndefined();
    },
  );

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
