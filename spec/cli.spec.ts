// The chancrawl command end to end: each design on each fixture, jsonl, gen, and bad input.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { variants } from '../lib/crawl.js';
import { loadFixture, parseFixture, startOf } from '../lib/fixture/fixture.js';
import { referenceCrawl } from '../lib/fixture/reference.js';
import { reachable } from './support/fetchers.js';

const cli = (...args: string[]) => spawnSync(process.execPath, ['dist/lib/cli/main.js', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
const fixtures = readdirSync('fixtures')
  .filter((f) => f.endsWith('.json'))
  .map((f) => `fixtures/${f}`);
const tmp = mkdtempSync(join(tmpdir(), 'chancrawl-cli-'));

describe.each(fixtures)('%s', (file) => {
  const fixture = loadFixture(file);
  const expected = referenceCrawl(fixture, startOf(fixture)).map(({ url, found }) => (found ? `found:   ${url}` : `missing: ${url}`));

  it.each(variants)('--variant %s prints the Go lines the reference expects', (variant) => {
    const run = cli('--variant', variant, '--fixture', file);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    if (variant === 'serial') expect(lines).toEqual(expected);
    else expect([...lines].sort()).toEqual([...expected].sort());
  });
});

describe('output and options', () => {
  it.each(['0', '3', 'inf'])('--channel-buffer %s prints the same lines as the unbuffered default', (size) => {
    const run = cli('--channel-buffer', size, '--fixture', 'fixtures/wide-fan.json', '--latency-ms', '0-2');
    expect(run.status).toBe(0);
    expect(run.stdout.trimEnd().split('\n').sort()).toEqual(cli('--fixture', 'fixtures/wide-fan.json').stdout.trimEnd().split('\n').sort());
  });

  it('--format jsonl gives one object per discovered URL, skipped ones too', () => {
    const run = cli('--format', 'jsonl', '--depth', '1', '--variant', 'mutex');
    expect(run.status).toBe(0);
    const rows = run.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { url: string; outcome: string; depth: number; reason?: string });
    expect(rows.map((r) => `${r.outcome} ${r.url}`).sort()).toEqual([
      'failed http://golang.org/cmd/',
      'found http://golang.org/',
      'found http://golang.org/pkg/',
      'skipped http://golang.org/pkg/fmt/',
      'skipped http://golang.org/pkg/os/',
    ]);
    expect(rows.filter((r) => r.outcome === 'skipped').every((r) => r.reason === 'depth' && r.depth === 2)).toBe(true);
  });

  it('START_URL overrides the fixture start', () => {
    const run = cli('--variant', 'serial', '--fixture', 'fixtures/golang-org.json', 'http://golang.org/pkg/fmt/');
    expect(run.stdout.split('\n')[0]).toBe('found:   http://golang.org/pkg/fmt/');
  });

  it('--help explains every flag and the exit codes', () => {
    const run = cli('--help');
    expect(run.status).toBe(0);
    for (const flag of [
      '--variant',
      '--fixture',
      '--depth',
      '--concurrency',
      '--latency-ms',
      '--format',
      '--pages',
      '--degree',
      '--seed',
      '--missing',
      'Exit codes',
    ])
      expect(run.stdout).toContain(flag);
  });
});

describe('bad input: one line on stderr, exit 2, no stack trace', () => {
  const write = (name: string, text: string) => {
    const path = join(tmp, name);
    writeFileSync(path, text);
    return path;
  };
  const cases: [string, string[], RegExp][] = [
    ['invalid JSON', ['--fixture', write('syntax.json', '{"pages": {\n  "a": {"body": "x",}\n}}')], /syntax\.json:2:21: invalid JSON/],
    [
      'a URL that is not a string',
      ['--fixture', write('type.json', '{"pages": {"http://a/": {"body": "x", "urls": ["http://b/", 7]}}}')],
      /type\.json: pages\["http:\/\/a\/"\]\.urls\[1\]: .*expected string, received number/,
    ],
    ['an unknown key', ['--fixture', write('key.json', '{"pages": {}, "start": "http://a/", "extra": 1}')], /key\.json: .*extra/],
    ['no pages', ['--fixture', write('nopages.json', '{"start": "http://a/"}')], /nopages\.json: pages: /],
    ['no start and no pages', ['--fixture', write('empty.json', '{"pages": {}}')], /empty\.json: start: no start URL/],
    ['a missing file', ['--fixture', join(tmp, 'nope.json')], /nope\.json: cannot read fixture: ENOENT/],
    ['a negative depth', ['--depth', '-1'], /--depth: a value starting with "-" must be written --depth=VALUE/],
    ['a negative depth, written with =', ['--depth=-1'], /--depth: must be a whole number >= 0 \(got "-1"\)/],
    ['a depth that is not a number', ['--depth', 'x'], /--depth: must be a whole number >= 0 \(got "x"\)/],
    ['a zero concurrency', ['--concurrency', '0'], /--concurrency: must be a whole number >= 1 \(got "0"\)/],
    ['an unknown variant', ['--variant', 'goroutines'], /--variant: must be one of serial, mutex, channel \(got "goroutines"\)/],
    ['a channel buffer that is not a size', ['--channel-buffer', 'big'], /--channel-buffer: must be a whole number >= 0, or inf \(got "big"\)/],
    [
      'a channel buffer for a design with no channel',
      ['--variant', 'mutex', '--channel-buffer', '4'],
      /--channel-buffer sizes the channel of --variant channel, not mutex's/,
    ],
    ['an unknown format', ['--format', 'xml'], /--format: must be one of go, jsonl/],
    ['an unknown flag', ['--bogus'], /Unknown option '--bogus'/],
    ['a flag of another command', ['--pages', '3'], /--pages is not an option here/],
    [
      'two start URLs for a shared crawl',
      ['--redis', 'redis://127.0.0.1:9', '--crawl', 'x', 'http://a/', 'http://b/'],
      /--redis takes one START_URL, not several or --sitemap/,
    ],
    ['a backwards latency range', ['--latency-ms', '50-10'], /--latency-ms: MIN-MAX needs MIN <= MAX/],
    ['gen without --pages', ['gen'], /--pages: /],
    ['gen with a share above 1', ['gen', '--pages', '5', '--missing', '1.5'], /--missing: must be a number from 0 to 1 \(got "1.5"\)/],
  ];

  it.each(cases)('%s', (_name, args, message) => {
    const run = cli(...args);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^chancrawl: [^\n]+\n$/);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('chancrawl gen', () => {
  const gen = (...args: string[]) => execFileSync(process.execPath, ['dist/lib/cli/main.js', 'gen', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });

  it('gives the same bytes for the same seed, and other bytes for another', () => {
    expect(gen('--pages', '300', '--seed', '5')).toBe(gen('--pages', '300', '--seed', '5'));
    expect(gen('--pages', '300', '--seed', '5')).not.toBe(gen('--pages', '300', '--seed', '6'));
  });

  it.each([1, 2, 3])('seed %i: a valid fixture, connected from its start, with cycles and missing pages', (seed) => {
    const fixture = parseFixture(gen('--pages', '500', '--degree', '3', '--seed', String(seed), '--missing', '0.1'));
    const start = startOf(fixture);
    const reached = reachable(fixture, start);
    const present = Object.keys(fixture.pages);
    expect(reached.size).toBe(500); // every page, present or missing, hangs from the start
    expect(present.length).toBeLessThan(500);
    expect(present.length).toBeGreaterThan(400);
    expect(present.every((u) => reached.has(u))).toBe(true);
    // a cycle: some page links back to a page no deeper than itself
    expect(present.some((u) => fixture.pages[u]!.urls.some((v) => (reached.get(v) ?? Infinity) <= reached.get(u)!))).toBe(true);
    const links = present.reduce((n, u) => n + fixture.pages[u]!.urls.length, 0);
    expect(links / present.length).toBeGreaterThan(2.5);
    expect(links / present.length).toBeLessThan(3.5);
  });

  it('handles a million pages', { timeout: 120_000 }, () => {
    const out = join(tmp, 'million.json');
    execFileSync(process.execPath, ['dist/lib/cli/main.js', 'gen', '--pages', '1000000', '--out', out]);
    const fixture = loadFixture(out);
    const present = Object.keys(fixture.pages).length;
    expect(present).toBeGreaterThan(940_000);
    expect(present).toBeLessThan(960_000);
    expect(fixture.pages[startOf(fixture)]).toBeDefined();
  });
});
