// Hostile input found by probing the CLI as a new user would (issue 13): credentials in START_URL,
// output that cannot be written, START_URLs that are not http(s), late output, robots.txt agents.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, cliWith } from './support/cli.js';
import { page, respond, startSite, type Handler, type Route, type Site } from './support/site.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function site(routes: Record<string, Route>): Promise<Site> {
  const s = await startSite(routes);
  cleanups.push(() => s.close());
  return s;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chancrawl-hostile-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

type Row = Record<string, unknown> & { url: string; outcome: string };
const rows = (stdout: string): Row[] => stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Row);

describe('credentials: START_URL user:password@, --auth, CHANCRAWL_AUTH', () => {
  const secret = 's3cret';
  const expected = `Basic ${Buffer.from(`user:${secret}`).toString('base64')}`;
  /** Answers 401 unless the request carries user:s3cret as Basic auth. */
  const guarded = (body: string): Handler => (req, res, hit) => (req.headers.authorization === expected ? respond(200, body)(req, res, hit) : respond(401, 'who are you', { 'www-authenticate': 'Basic realm="test"' })(req, res, hit));

  async function guardedSite(): Promise<{ s: Site; other: Site; others: (string | undefined)[] }> {
    const others: (string | undefined)[] = [];
    const other = await site({ '/x': (req, res, hit) => (others.push(req.headers.authorization), respond(200, page('Other'))(req, res, hit)) });
    const s = await site({});
    const withCredentials = `http://user:${secret}@${s.origin.slice('http://'.length)}`;
    s.route('/', guarded(page('Home', '/a', `${withCredentials}/b`, '/b', other.url('/x'))));
    s.route('/a', guarded(page('A', './b', `${withCredentials}/a`)));
    s.route('/b', guarded(page('B')));
    return { s, other, others };
  }

  it('sends START_URL\'s credentials to its origin only, fetches a page linked with and without them once, and never prints them', async () => {
    const { s, other, others } = await guardedSite();
    const dir = tempDir();
    const start = `http://user:${secret}@${s.origin.slice('http://'.length)}/`;
    const run = await cli('--format', 'jsonl', '--scope', 'any', '--graph', join(dir, 'g.dot'), '--timeline', join(dir, 't.svg'), start);
    expect(run.stderr).toMatch(/^chancrawl: 4 ok, 0 failed, 0 skipped/);
    expect(run.status).toBe(0);
    const byUrl = new Map(rows(run.stdout).map((r) => [r.url, r]));
    expect([...byUrl.keys()].sort()).toEqual([s.url('/'), s.url('/a'), s.url('/b'), other.url('/x')].sort());
    for (const r of byUrl.values()) expect(r.outcome).toBe('found');
    expect(s.hits('/b')).toBe(1);
    expect(s.hits('/a')).toBe(1);
    expect(others).toEqual([undefined]); // another origin never gets them
    for (const text of [run.stdout, run.stderr, readFileSync(join(dir, 'g.dot'), 'utf8'), readFileSync(join(dir, 't.svg'), 'utf8')]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain('user:');
    }
  });

  it('takes them from --auth, or from CHANCRAWL_AUTH (out of ps), the same way', async () => {
    const { s } = await guardedSite();
    const withFlag = await cli('--quiet', '--auth', `user:${secret}`, s.url('/'));
    const fromEnv = await cliWith({ CHANCRAWL_AUTH: `user:${secret}` }, '--quiet', s.url('/'));
    const without = await cli('--quiet', s.url('/'));
    const lines = [`found:   ${s.url('/')}`, `found:   ${s.url('/a')}`, `found:   ${s.url('/b')}`]; // the other origin is out of scope
    for (const run of [withFlag, fromEnv]) expect(run.stdout.trimEnd().split('\n').sort()).toEqual(lines);
    expect(without.stdout).toBe(`missing: ${s.url('/')}\n`);
  });

  it('never prints them in an error message either', async () => {
    const run = await cli(`http://user:${secret}@127.0.0.1:1/`, `http://user:${secret}@127.0.0.1:1/x`);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^chancrawl: one START_URL at most/);
    expect(run.stderr).not.toContain(secret);
    const bad = await cliWith({ CHANCRAWL_AUTH: 'no-colon' }, '--quiet', 'http://127.0.0.1:1/');
    expect(bad).toMatchObject({ status: 2, stderr: 'chancrawl: CHANCRAWL_AUTH: must be USER:PASSWORD\n' });
  });
});
