// Hostile input found by probing the CLI as a new user would (issue 13): credentials in START_URL,
// output that cannot be written, START_URLs that are not http(s), late output, robots.txt agents.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LineWriter } from '../lib/output/report.js';
import { cli, cliPath, cliWith } from './support/cli.js';
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
const rows = (stdout: string): Row[] =>
  stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Row);

describe('credentials: START_URL user:password@, --auth, CHANCRAWL_AUTH', () => {
  const secret = 's3cret';
  const expected = `Basic ${Buffer.from(`user:${secret}`).toString('base64')}`;
  /** Answers 401 unless the request carries user:s3cret as Basic auth. */
  const guarded =
    (body: string): Handler =>
    (req, res, hit) =>
      req.headers.authorization === expected
        ? respond(200, body)(req, res, hit)
        : respond(401, 'who are you', { 'www-authenticate': 'Basic realm="test"' })(req, res, hit);

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

  it("sends START_URL's credentials to its origin only, fetches a page linked with and without them once, and never prints them", async () => {
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
    const run = await cli(`http://user:${secret}@127.0.0.1:1/`, `ftp://user:${secret}@127.0.0.1:1/x`);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^chancrawl: START_URL: chancrawl crawls http\(s\) URLs, such as https:\/\/example.org\/ \(got "ftp:\/\/\*\*\*@127.0.0.1:1\/x"\)/,
    );
    expect(run.stderr).not.toContain(secret);
    const bad = await cliWith({ CHANCRAWL_AUTH: 'no-colon' }, '--quiet', 'http://127.0.0.1:1/');
    expect(bad).toMatchObject({ status: 2, stderr: 'chancrawl: CHANCRAWL_AUTH: must be USER:PASSWORD\n' });
  });
});

/** An endless site: /p/N answers after `ms` and links to /p/2N and /p/2N+1; robots.txt is a 404. */
async function endless(ms: number): Promise<Site & { answered: () => number; firstAnswerAt: () => number | undefined }> {
  let answered = 0;
  let firstAnswerAt: number | undefined;
  const s = await site({});
  const handler: Handler = (req, res, hit) =>
    void setTimeout(() => {
      const n = Number(/^\/p\/(\d+)$/.exec(req.url ?? '')?.[1] ?? 1);
      firstAnswerAt ??= Date.now();
      answered += 1;
      respond(200, page(`P${n}`, `/p/${2 * n}`, `/p/${2 * n + 1}`))(req, res, hit);
    }, ms);
  for (let n = 1; n < 1 << 14; n++) s.route(`/p/${n}`, handler);
  return Object.assign(s, { answered: () => answered, firstAnswerAt: () => firstAnswerAt });
}

/** Starts `chancrawl ...args` with stdout on a pipe; resolves with the first line, when it came, and the child. */
async function firstLine(...args: string[]): Promise<{ child: ChildProcess; line: string; at: number; stderr: () => string }> {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')));
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => void (stderr += chunk));
  let out = '';
  for await (const chunk of child.stdout!.setEncoding('utf8') as AsyncIterable<string>) {
    out += chunk;
    if (out.includes('\n')) break; // the loop's end destroys the pipe: the reader has left, as `head -1` does
  }
  return { child, line: out.split('\n')[0]!, at: Date.now(), stderr: () => stderr };
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : once(child, 'exit').then(([code]) => code as number | null);

describe('output that cannot be written: one line, exit 3, the crawl stops at once', () => {
  const full = '/dev/full';
  /** Runs the CLI with stdout on /dev/full (every write fails with ENOSPC). */
  function toFull(...args: string[]): Promise<{ status: number | null; stderr: string }> {
    const fd = openSync(full, 'w');
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', fd, 'pipe'] });
    closeSync(fd);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => void (stderr += chunk));
    return exited(child).then((status) => ({ status, stderr }));
  }
  const line = 'chancrawl: stdout: cannot write: ENOSPC (no space left on device)\n';

  it('a crawl of an endless site stops at its first write', async () => {
    const s = await endless(5);
    const run = await toFull('--format', 'jsonl', s.url('/p/1'));
    expect(run).toEqual({ status: 3, stderr: line });
    expect(s.answered()).toBeLessThan(200); // the first write is due 50 ms after the first line; 64 KB took ~1,600 pages
  });

  it('a fixture crawl, reference, gen, --help', async () => {
    for (const args of [[], ['reference'], ['gen', '--pages', '100000'], ['--help']]) expect(await toFull(...args)).toEqual({ status: 3, stderr: line });
  });

  it('`| head -1`: the reader leaving stops the crawl at its next line, quietly, exit 0', async () => {
    const s = await endless(20);
    const { child, at, stderr } = await firstLine('--per-host', '1', s.url('/p/1'));
    const answeredThen = s.answered();
    const status = await exited(child);
    expect(Date.now() - at).toBeLessThan(3_000); // within a second on an idle machine
    expect(status).toBe(0);
    expect(stderr()).toBe('');
    expect(s.answered() - answeredThen).toBeLessThan(50);
  });
});

describe('output latency: a line is written soon after its result, whatever the batching', () => {
  it('LineWriter writes a batch maxDelayMs after its first line, or at its size limit', () => {
    vi.useFakeTimers();
    try {
      const writes: string[] = [];
      const out = new LineWriter((chunk) => writes.push(chunk), 10, 50);
      out.line('a');
      out.line('b');
      expect(writes).toEqual([]);
      vi.advanceTimersByTime(49);
      expect(writes).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(writes).toEqual(['a\nb\n']);
      out.line('0123456789');
      expect(writes).toEqual(['a\nb\n', '0123456789\n']); // the size limit does not wait
      vi.advanceTimersByTime(100);
      expect(writes.length).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('on a site answering in 20 ms with --per-host 1, the first line arrives after a few pages, not 64 KB of them', async () => {
    const s = await endless(20);
    const { line, at } = await firstLine('--per-host', '1', '--quiet', s.url('/p/1'));
    expect(line).toBe(`found:   ${s.url('/p/1')}`);
    expect(s.answered()).toBeLessThan(40); // 100 ms at 20 ms a page would be 5; the 64 KB batch was ~1,600
    expect(at - s.firstAnswerAt()!).toBeLessThan(1_500); // 100 ms on an idle machine
  });
});

describe('a START_URL that is not http(s)', () => {
  it('another scheme is exit 2, with one line saying what to write', async () => {
    for (const url of ['ftp://host/', 'javascript:alert(1)', 'file:///etc/passwd']) {
      const run = await cli(url);
      expect(run).toEqual({
        status: 2,
        stdout: '',
        stderr: `chancrawl: START_URL: chancrawl crawls http(s) URLs, such as https://example.org/ (got ${JSON.stringify(url)}); a fixture's page needs --fixture FILE\n`,
      });
    }
  });

  it('a bare host (and port) is taken as http://, and stderr says so', async () => {
    const s = await site({ '/x': page('X') });
    const bare = `${s.origin.slice('http://'.length)}/x`;
    const run = await cli(bare);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`found:   ${s.url('/x')}\n`);
    expect(run.stderr.split('\n')[0]).toBe(`chancrawl: START_URL has no scheme: crawling http://${bare}`);
    expect(s.hits('/x')).toBe(1);
  });

  it('with --fixture, a START_URL that is neither a page nor a link of the fixture is exit 2', async () => {
    const fixture = 'fixtures/golang-org.json';
    expect(await cli('--fixture', fixture, 'example.com')).toEqual({
      status: 2,
      stdout: '',
      stderr: `chancrawl: START_URL: "example.com" is not a page or a link of ${fixture}\n`,
    });
    expect((await cli('reference', '--fixture', fixture, 'http://golang.org/nowhere/')).status).toBe(2);
    expect(await cli('--fixture', fixture, 'http://golang.org/cmd/')).toEqual({ status: 0, stdout: 'missing: http://golang.org/cmd/\n', stderr: '' }); // a link, missing, is a start
  });
});

describe('robots.txt: the agent, /robots.txt itself, an unreadable one', () => {
  it('--user-agent "FooBot/1.0" obeys the FooBot group (its product token), not the * group', async () => {
    const s = await site({
      '/robots.txt': respond(200, 'User-agent: FooBot\nDisallow: /private\n\nUser-agent: *\nDisallow: /\n', { 'content-type': 'text/plain' }),
      '/': page('Home', '/open', '/private'),
      '/open': page('Open'),
    });
    const run = await cli('--format', 'jsonl', '--quiet', '--user-agent', 'FooBot/1.0 (+https://foo.example/)', s.url('/'));
    const byUrl = new Map(rows(run.stdout).map((r) => [r.url.replace(s.origin, ''), r.outcome === 'skipped' ? `skipped ${String(r.reason)}` : r.outcome]));
    expect(Object.fromEntries(byUrl)).toEqual({ '/': 'found', '/open': 'found', '/private': 'skipped robots' });
    const chancrawl = await cli('--format', 'jsonl', '--quiet', s.url('/')); // the default agent, chancrawl, gets the * group
    expect(rows(chancrawl.stdout).map((r) => `${r.outcome} ${String(r.reason)}`)).toEqual(['skipped robots']);
  });

  it('/robots.txt itself is always allowed (RFC 9309 2.2.2)', async () => {
    const s = await site({
      '/robots.txt': respond(200, 'User-agent: *\nDisallow: /robots.txt\n', { 'content-type': 'text/plain' }),
      '/': page('Home', '/robots.txt'),
    });
    const run = await cli('--format', 'jsonl', '--quiet', s.url('/'));
    expect(rows(run.stdout).map((r) => [r.url.replace(s.origin, ''), r.outcome])).toEqual([
      ['/', 'found'],
      ['/robots.txt', 'found'],
    ]);
  });

  it('a robots.txt that cannot be read (503) disallows its site, and the jsonl and the summary say why', async () => {
    const s = await site({ '/robots.txt': respond(503, 'busy'), '/': page('Home') });
    const run = await cli('--format', 'jsonl', s.url('/'));
    const detail = 'robots.txt unreadable (HTTP 503 Service Unavailable): its site is treated as disallowed';
    expect(rows(run.stdout)).toEqual([{ url: s.url('/'), outcome: 'skipped', depth: 0, reason: 'robots', detail }]);
    expect(run.stderr).toMatch(
      new RegExp(`^chancrawl: 0 ok, 0 failed, 1 skipped, .*; ${s.origin.replace(/\./g, '\\.')} ${detail.replace(/[()]/g, '\\$&')}\n$`),
    );
    expect(s.hits('/')).toBe(0);
  });
});

describe('timeout wording', () => {
  it('the whole-request timeout says what ran out', async () => {
    const s = await site({
      '/': page('Home', '/trickle'),
      '/trickle': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.write('<html><title>slow</title>'); // headers in time, then the body never ends
        const timer = setInterval(() => res.write(' '), 100);
        res.on('close', () => clearInterval(timer));
      },
    });
    const run = await cli('--format', 'jsonl', '--quiet', '--timeout-ms', '600', s.url('/'));
    expect(rows(run.stdout).find((r) => r.url === s.url('/trickle'))).toMatchObject({
      outcome: 'failed',
      error: 'timeout: the request took longer than 600 ms in all',
    });
  });
});
