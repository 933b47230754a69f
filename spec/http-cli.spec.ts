// The chancrawl command over HTTP: `serve`, crawling a site, jsonl fields, the summary, bad input.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { variants } from '../lib/crawl.js';
import { loadFixture, startOf } from '../lib/fixture/fixture.js';
import { referenceCrawl } from '../lib/fixture/reference.js';
import { cli, cliPath } from './support/cli.js';
import { ReportLine } from '../lib/output/schema.js';
import { cleanedUpAfterEach, page, redirect, respond } from './support/site.js';
const { cleanups, site } = cleanedUpAfterEach(afterEach);

/** Starts `chancrawl serve ARGS`, resolving with the child and the URL it printed first. */
async function serve(...args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [cliPath, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')));
  let out = '';
  child.stdout!.setEncoding('utf8');
  for await (const chunk of child.stdout! as AsyncIterable<string>) {
    out += chunk;
    if (out.includes('\n')) break;
  }
  return { child, url: out.split('\n')[0]! };
}

type Row = Record<string, unknown> & { url: string; outcome: string };
const rows = (stdout: string): Row[] =>
  stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Row);

describe('chancrawl serve, crawled over HTTP by chancrawl', () => {
  const file = 'fixtures/golang-org.json';
  const fixture = loadFixture(file);
  const expected = referenceCrawl(fixture, startOf(fixture)).map(({ url, found }) => `${found ? 'found:  ' : 'missing:'} ${url}`);

  it.each(variants)("--variant %s prints the fixture crawl's lines, URLs mapped back", async (variant) => {
    const { url } = await serve(file);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const run = await cli('--variant', variant, '--quiet', url);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const back = run.stdout
      .trimEnd()
      .split('\n')
      .map((l) => (l.endsWith(` ${url}`) ? l.replace(url, startOf(fixture)) : l.replace(`${url}http/`, 'http://')));
    if (variant === 'serial') expect(back).toEqual(expected);
    else expect([...back].sort()).toEqual([...expected].sort());
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('stops on %s with exit code %i', async (signal, code) => {
    const { child } = await serve(file);
    child.kill(signal);
    const [exitCode] = (await once(child, 'exit')) as [number | null];
    expect(exitCode).toBe(code);
  });

  it('answers 404 for a missing page, and serves with latency', async () => {
    const { url } = await serve(file, '--latency-ms', '150');
    const run = await cli('--format', 'jsonl', '--quiet', '--variant', 'serial', url);
    const byUrl = new Map(rows(run.stdout).map((r) => [r.url, r]));
    expect(byUrl.get(`${url}http/golang.org/cmd/`)).toMatchObject({ outcome: 'failed', status: 404 });
    const first = byUrl.get(url)!;
    expect(Number(first.end) - Number(first.start)).toBeGreaterThanOrEqual(140);
  });
});

describe('crawling a site from the command line', () => {
  it('--format jsonl gives url, final url, status, depth, parent, content type, bytes, links, timings, error', async () => {
    const s = await site({
      '/': page('Home', '/moved', '/gone', '/pic.png'),
      '/moved': redirect('/here'),
      '/here': page('Here', '/'),
      '/pic.png': respond(200, 'PNG', { 'content-type': 'image/png', 'content-length': '3' }),
    });
    const run = await cli('--format', 'jsonl', '--quiet', s.url('/'));
    expect(run.status).toBe(0);
    const byUrl = new Map(rows(run.stdout).map((r) => [r.url.replace(s.origin, ''), r]));
    expect([...byUrl.keys()].sort()).toEqual(['/', '/gone', '/here', '/moved', '/pic.png']);
    expect(byUrl.get('/')).toMatchObject({ outcome: 'found', status: 200, depth: 0, contentType: 'text/html; charset=utf-8', title: 'Home', links: 3 });
    expect(byUrl.get('/')!.parent).toBeUndefined();
    expect(byUrl.get('/')!.bytes).toBe(Buffer.byteLength(page('Home', '/moved', '/gone', '/pic.png')));
    expect(byUrl.get('/moved')).toMatchObject({ outcome: 'found', status: 301, finalUrl: s.url('/here'), parent: s.url('/'), depth: 1, links: 1 });
    expect(byUrl.get('/here')).toMatchObject({ outcome: 'found', parent: s.url('/moved'), depth: 2 });
    expect(byUrl.get('/gone')).toMatchObject({ outcome: 'failed', status: 404, error: 'HTTP 404 Not Found', parent: s.url('/'), linkedFrom: [s.url('/')] });
    expect(byUrl.get('/pic.png')).toMatchObject({ outcome: 'found', contentType: 'image/png', bytes: 3, links: 0 });
    for (const r of byUrl.values()) if (r.outcome !== 'skipped') expect(Number(r.end)).toBeGreaterThanOrEqual(Number(r.start));
    for (const r of byUrl.values()) expect(ReportLine.safeParse(r).error).toBeUndefined();
  });

  it('never follows a redirect out of scope: the target is reported skipped, and never requested', async () => {
    const other = await site({ '/x': page('Elsewhere') });
    const s = await site({ '/': page('Home', '/out', '/in'), '/out': redirect(other.url('/x'), 302), '/in': redirect('/', 307) });
    for (const variant of variants) {
      const run = await cli('--format', 'jsonl', '--quiet', '--variant', variant, s.url('/'));
      expect(run.status).toBe(0);
      const byUrl = new Map(rows(run.stdout).map((r) => [r.url, r]));
      expect(byUrl.get(other.url('/x'))).toMatchObject({ outcome: 'skipped', reason: 'scope', parent: s.url('/out') });
      expect(byUrl.get(s.url('/in'))).toMatchObject({ outcome: 'found', status: 307, finalUrl: s.url('/') });
      expect(byUrl.size).toBe(4);
    }
    expect(other.requests).toEqual([]);
    expect(s.hits('/')).toBe(3);
  });

  it('ends with a summary on stderr, and --quiet leaves it out', async () => {
    const s = await site({ '/': page('Home', '/a', '/b'), '/a': page('A') });
    const run = await cli(s.url('/'));
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/^chancrawl: 2 ok, 1 failed, 0 skipped, [\d.]+ k?B in [\d.]+ s, [\d.]+ pages\/s\n$/);
    const quiet = await cli('--quiet', s.url('/'));
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout.split('\n').sort()).toEqual(run.stdout.split('\n').sort());
  });

  it('sends --user-agent, and applies --response-timeout-ms, --retries and --max-bytes', async () => {
    const agents = new Set<string | undefined>();
    const s = await site({
      '/': (req, res, hit) => (agents.add(req.headers['user-agent']), respond(200, page('Home', '/slow', '/flaky', '/big'))(req, res, hit)),
      '/slow': (_req, res) => void setTimeout(() => res.end(page('Slow')), 3_000),
      '/flaky': respond(503),
      '/big': respond(200, page('Big', ...Array(200).fill('/x'))),
    });
    const run = await cli(
      '--format',
      'jsonl',
      '--quiet',
      '--user-agent',
      'tester/1',
      '--response-timeout-ms',
      '200',
      '--retries',
      '1',
      '--retry-delay-ms',
      '10',
      '--max-bytes',
      '1000',
      s.url('/'),
    );
    expect(run.status).toBe(0);
    expect(agents).toEqual(new Set(['tester/1']));
    const byUrl = new Map(rows(run.stdout).map((r) => [r.url.replace(s.origin, ''), r]));
    expect(byUrl.get('/slow')).toMatchObject({ outcome: 'failed', error: 'timeout: no response within 200 ms' });
    expect(byUrl.get('/flaky')).toMatchObject({ outcome: 'failed', status: 503 });
    expect(s.hits('/flaky')).toBe(2);
    expect(byUrl.get('/big')).toMatchObject({ outcome: 'found', truncated: true, bytes: 1000 });
    expect(byUrl.get('/')).not.toHaveProperty('truncated');
  });

  it('normalizes the start URL, so a link back to it is not fetched again', async () => {
    const s = await site({ '/': page('Home', '/', '/#top', './') });
    const run = await cli('--quiet', `${s.origin.toUpperCase()}/./#x`);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`found:   ${s.origin}/\n`);
    expect(s.hits('/')).toBe(1);
  });
});

describe('bad input over HTTP: one line on stderr, exit 2', () => {
  it.each([
    ['a retries count that is not a number', ['--retries', 'x', 'http://127.0.0.1:1/'], /--retries: must be a whole number >= 0 \(got "x"\)/],
    ['an HTTP flag on a fixture crawl', ['--retries', '1', '--fixture', 'fixtures/golang-org.json'], /--retries applies to crawling a site/],
    ['a START_URL with no host', ['http://'], /START_URL: not an http\(s\) URL/],
    ['an empty user agent', ['--user-agent=', 'http://127.0.0.1:1/'], /--user-agent: must not be empty/],
    ['serve on a port past 65535', ['serve', '--port', '70000'], /--port: must be a port, 0 to 65535/],
    ['serve with two fixtures', ['serve', 'a.json', 'b.json'], /serve takes one FIXTURE at most/],
    ['serve with a crawl flag', ['serve', '--retries', '1'], /--retries is not an option here/],
  ])('%s', async (_name, args, message) => {
    const run = await cli(...args);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^chancrawl: [^\n]+\n$/);
    expect(run.stderr).toMatch(message);
  });

  it('serve on a port in use', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const port = (taken.address() as { port: number }).port;
    const run = spawnSync(process.execPath, [cliPath, 'serve', '--port', String(port)], { encoding: 'utf8', timeout: 10_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`chancrawl: --port ${port}: cannot listen on 127.0.0.1: EADDRINUSE\n`);
  });
});
