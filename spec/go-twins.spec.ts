// The Go twins agree with the TypeScript designs on every fixture and on generated graphs (make
// go-diff), go-diff fails with a unified diff when they do not, and the twins are vet- and race-clean.
// Go is required: CI installs golang-go, and without it these tests fail saying so.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const fixtures = readdirSync('fixtures')
  .filter((f) => f.endsWith('.json'))
  .map((f) => `fixtures/${f}`);
const tmp = mkdtempSync(join(tmpdir(), 'chancrawl-go-twins-'));
const goBinary = resolve('out/go/chancrawl-go');
const make = (target: string, ...vars: string[]) => spawnSync('make', ['-s', target, ...vars], { encoding: 'utf8' });
const goTwin = (...args: string[]) => spawnSync(goBinary, args, { encoding: 'utf8' });
const tsCli = (...args: string[]) => spawnSync(process.execPath, ['dist/lib/cli/main.js', ...args], { encoding: 'utf8' });

beforeAll(() => {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) throw new Error('Go is not installed: these tests need it (CI installs it: apt-get install -y golang-go)');
  const build = make('go-build');
  if (build.status !== 0) throw new Error(`make go-build failed:\n${build.stdout}${build.stderr}`);
}, 180_000);

describe('make go-diff: the TS designs and their Go twins print the same fetches', () => {
  it.each(
    fixtures.flatMap((f) => [
      [f, ''],
      [f, '2'],
    ]),
  )(
    '%s, depth %s',
    (fixture, depth) => {
      const run = make('go-diff', `FIXTURE=${fixture}`, `DEPTH=${depth}`);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^go-diff ok: /);
    },
    60_000,
  );

  it.each([21, 22])(
    'a generated graph of 2,000 pages, seed %i, with and without a depth limit, capped at 4 in flight',
    (seed) => {
      const file = join(tmp, `gen-${seed}.json`);
      execFileSync(process.execPath, ['dist/lib/cli/main.js', 'gen', '--pages', '2000', '--seed', String(seed), '--out', file]);
      for (const depth of ['', '3']) {
        const run = make('go-diff', `FIXTURE=${file}`, `DEPTH=${depth}`, 'CONCURRENCY=4');
        expect(run.stderr).toBe('');
        expect(run.status).toBe(0);
        expect(run.stdout).toMatch(/^go-diff ok: .*--concurrency 4.*\(fetches: \d+\)$/m);
      }
    },
    120_000,
  );

  it('a generated graph of 10,000 pages, no depth limit', () => {
    const file = join(tmp, 'gen-10000.json');
    execFileSync(process.execPath, ['dist/lib/cli/main.js', 'gen', '--pages', '10000', '--seed', '23', '--out', file]);
    const run = make('go-diff', `FIXTURE=${file}`);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/\(fetches: 10000\)$/m);
  }, 120_000);
});

describe('make go-diff fails on any difference, with a unified diff', () => {
  /** A stand-in Go twin: the real one, with its output changed by `sed` for one variant. */
  function fakeTwin(name: string, variant: string, sedScript: string): string {
    const path = join(tmp, name);
    writeFileSync(
      path,
      `#!/usr/bin/env bash\nif [[ " $* " == *" --variant ${variant} "* ]]; then "${goBinary}" "$@" | sed '${sedScript}'; else exec "${goBinary}" "$@"; fi\n`,
    );
    chmodSync(path, 0o755);
    return path;
  }

  it('Serial in another order', () => {
    const run = make('go-diff', `CHANCRAWL_GO=${fakeTwin('swap-serial', 'serial', '2{h;d};3{G}')}`);
    expect(run.status).not.toBe(0);
    expect(run.stdout).toContain('--- ts-serial\n+++ go-serial\n');
    expect(run.stdout).toMatch(/^-(found: {3}|missing: )http:\/\/golang\.org\/(pkg|cmd)\/$/m);
    expect(run.stdout).toMatch(/^\+(found: {3}|missing: )http:\/\/golang\.org\/(pkg|cmd)\/$/m);
    expect(run.stderr).toContain('go-diff FAILED: fixtures/golang-org.json');
  }, 60_000);

  it('a concurrent twin that fetches one page fewer', () => {
    const run = make('go-diff', `CHANCRAWL_GO=${fakeTwin('short-mutex', 'mutex', '/pkg\\/os/d')}`, 'DEPTH=2');
    expect(run.status).not.toBe(0);
    expect(run.stdout).toContain('--- ts-mutex-sorted\n+++ go-mutex-sorted\n');
    expect(run.stdout).toMatch(/^-found: {3}http:\/\/golang\.org\/pkg\/os\/$/m);
    expect(run.stdout).not.toContain('go-serial');
  }, 60_000);

  it('without Go, the Go targets say how to install it and fail', () => {
    for (const target of ['go-diff', 'go-vet', 'go-race', 'go-diff-all']) {
      const run = make(target, 'GO=/nonexistent/go');
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain('apt-get install -y golang-go');
      expect(run.stdout).not.toMatch(/ ok/);
    }
  }, 60_000);
});

describe('the Go twins themselves', () => {
  it('are go vet and gofmt clean', () => {
    const run = make('go-vet');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 120_000);

  it('run under the race detector on every fixture without a race', () => {
    const run = make('go-race');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('go-race ok');
  }, 300_000);

  it('print the Go tour graph in the lecture order, and the tour Crawl(url, 2) is --depth 1', () => {
    expect(goTwin('--variant', 'serial').stdout).toBe(tsCli('--variant', 'serial').stdout);
    const tour = goTwin('--variant', 'tour', '--depth', '1').stdout.split('\n').filter(Boolean).sort();
    expect(tour).toEqual(tsCli('--variant', 'serial', '--depth', '1').stdout.split('\n').filter(Boolean).sort());
    expect(tour).toHaveLength(3);
  }, 30_000);

  it('start where the TS CLI starts when a fixture has no "start" (JavaScript key order)', () => {
    const file = join(tmp, 'no-start.json');
    writeFileSync(file, JSON.stringify({ pages: { 'http://b/': { body: 'b', urls: ['7'] }, '7': { body: 'seven', urls: ['http://b/'] } } }));
    const ts = tsCli('--variant', 'serial', '--fixture', file).stdout;
    expect(ts).toBe('found:   7\nfound:   http://b/\n');
    expect(goTwin('--variant', 'serial', '--fixture', file).stdout).toBe(ts);
  }, 30_000);

  it.each([
    [['--depth', 'x'], '--depth: must be a whole number >= 0 (got "x")'],
    [['--concurrency', '0'], '--concurrency: must be a whole number >= 1 (got "0")'],
    [['--variant', 'fast'], '--variant: must be one of serial, mutex, channel, tour (got "fast")'],
    [['--fixture', 'no/such.json'], 'no/such.json: cannot read fixture: no such file or directory'],
  ])('bad input %j: one line naming it, exit 2', (args, message) => {
    const run = goTwin(...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`chancrawl-go: ${message}\n`);
    expect(run.stdout).toBe('');
  });

  it('a bad fixture names the page and the field', () => {
    const file = join(tmp, 'bad.json');
    writeFileSync(file, JSON.stringify({ pages: { 'http://a/': { body: 'a', urls: ['http://b/', ''] } } }));
    const run = goTwin('--fixture', file);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`chancrawl-go: ${file}: pages["http://a/"].urls[1]: a URL must not be empty\n`);
  });
});
