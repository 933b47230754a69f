// One crawl shared by worker processes through a real redis-server (started here, stopped by PID):
// 1, 2 and 4 workers report exactly what one in-process crawl reports, each URL once; a worker
// killed with kill -9 loses nothing; bad input and a Redis that loses the crawl are one line.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../tools/redis-server.js';
import { page, respond, startSite } from './support/site.js';

const cliArgs = (args: string[]) => ['dist/lib/cli/main.js', ...args];
const cli = (...args: string[]) => spawnSync(process.execPath, cliArgs(args), { encoding: 'utf8', maxBuffer: 1 << 28 });
const tmp = mkdtempSync(join(tmpdir(), 'chancrawl-redis-spec-'));
const big = join(tmp, 'big.json');
expect(cli('gen', '--pages', '10000', '--seed', '3', '--out', big).status).toBe(0);

interface Line {
  url: string;
  outcome: string;
  depth: number;
  reason?: string;
  urls?: string[];
}
const lines = (text: string): Line[] =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Line);
const key = (l: Line) => `${l.url} ${l.outcome} ${l.reason ?? ''}`; // depth is the first path's, which depends on timing

interface Worker {
  pid: number;
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function startWorker(args: string[]): Worker {
  const child = spawn(process.execPath, cliArgs(args), { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = (once(child, 'close') as Promise<[number | null]>).then(([code]) => ({ code, stdout, stderr }));
  return { pid: child.pid!, exited };
}

/** A worker's flags to join the crawl `name` on this file's Redis: 4 fetches in flight, each taking `latency` ms. */
function joining(name: string, latency: string): string[] {
  return ['--redis', redis.url, '--crawl', name, '--concurrency', '4', '--latency-ms', latency];
}

/** Each URL once, and the same (url, outcome, reason, depth) set as the in-process crawl. */
function expectExact(reported: Line[], expected: Line[]): void {
  const counts = new Map<string, number>();
  for (const l of reported) counts.set(l.url, (counts.get(l.url) ?? 0) + 1);
  expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
  expect(reported.map(key).sort()).toEqual(expected.map(key).sort());
}

let redis: RedisServer;
let crawls = 0;
beforeAll(async () => void (redis = await startRedis()));
afterAll(async () => await redis?.stop());

const fixtures = readdirSync('fixtures')
  .filter((f) => f.endsWith('.json'))
  .map((f) => `fixtures/${f}`);
const cases: [string, string[], number][] = [
  ...fixtures.flatMap((f): [string, string[], number][] => [
    [f, [], 2],
    [f, ['--depth', '2'], 4],
  ]),
  ...[1, 2, 4].flatMap((n): [string, string[], number][] => [
    [big, [], n],
    [big, ['--depth', '3'], n],
  ]),
];

describe('a crawl shared through Redis', () => {
  it.each(cases)(
    '%s %j with %i workers reports exactly the in-process set, each URL once',
    async (fixture, extra, n) => {
      const crawl = ['--fixture', fixture, ...extra, '--format', 'jsonl'];
      const expected = lines(cli(...crawl).stdout);
      const name = `c${++crawls}`;
      const workers = Array.from({ length: n }, () => startWorker([...crawl, ...joining(name, '0-1')]));
      const runs = await Promise.all(workers.map((w) => w.exited));
      for (const r of runs) expect([r.code, r.stderr]).toEqual([0, '']);
      expectExact(
        runs.flatMap((r) => lines(r.stdout)),
        expected,
      );
      expectExact(lines(cli('report', '--redis', redis.url, '--crawl', name).stdout), expected);
      const status = JSON.parse(cli('status', '--redis', redis.url, '--crawl', name).stdout) as { over: boolean; owed: number; reported: number };
      expect(status).toMatchObject({ over: true, owed: 0, reported: expected.length });
    },
    120_000,
  );

  it('kill -9 one of 4 workers mid-crawl: the set is still exact, and at most its 4 entries in flight are taken over', async () => {
    const crawl = ['--fixture', big, '--format', 'jsonl'];
    const expected = lines(cli(...crawl).stdout);
    const name = `c${++crawls}`;
    // Latencies that differ, so a worker's 4 fetches do not end together and leave it holding nothing while it reads again.
    const workers = Array.from({ length: 4 }, () => startWorker([...crawl, ...joining(name, '5-15'), '--lease-ms', '3000']));
    const status = () =>
      JSON.parse(cli('status', '--redis', redis.url, '--crawl', name).stdout || '{}') as {
        reported?: number;
        retaken: number;
        perProcess: Record<string, { fetched: number; inFlight: number }>;
      };
    const victim = workers[0]!;
    const heldBy = (s: ReturnType<typeof status>) => Object.entries(s.perProcess ?? {}).find(([consumer]) => consumer.endsWith(`:${victim.pid}`))?.[1];
    let held: { fetched: number; inFlight: number } | undefined;
    for (let s = status(); (s.reported ?? 0) < 2000 || (held = heldBy(s))?.inFlight === 0 || held === undefined; s = status()) await sleep(20);
    process.kill(victim.pid, 'SIGKILL');
    const killed = await victim.exited;
    expect(killed.code).toBe(null);
    expect(held?.fetched ?? 0).toBeGreaterThan(0); // it was crawling when it died
    const runs = await Promise.all(workers.slice(1).map((w) => w.exited));
    for (const r of runs) expect([r.code, r.stderr]).toEqual([0, '']);
    expectExact(lines(cli('report', '--redis', redis.url, '--crawl', name).stdout), expected);
    const { retaken } = status();
    expect(retaken).toBeGreaterThan(0); // its entries came back
    expect(retaken).toBeLessThanOrEqual(4); // and only those it held: a URL is fetched twice only if its process died with it
  }, 180_000);

  it.each([
    [3, [], 300],
    [2, ['--depth', '4'], 200],
    [3, [], 0],
  ])(
    '--max-pages across %i workers %j, N=%i: N fetches in all, the URLs left reported skipped max-pages, each once',
    async (n, extra, maxPages) => {
      const name = `c${++crawls}`;
      const workers = Array.from({ length: n }, () =>
        startWorker(['--fixture', big, ...extra, '--format', 'jsonl', '--max-pages', String(maxPages), ...joining(name, '10-30')]),
      ); // ~1.5 s of fetches: every worker is up before the limit is reached
      const runs = await Promise.all(workers.map((w) => w.exited));
      for (const r of runs) expect([r.code, r.stderr]).toEqual([0, '']);
      const reported = runs.flatMap((r) => lines(r.stdout));
      expectExact(
        reported,
        reported.filter((l, i) => reported.findIndex((m) => m.url === l.url) === i),
      ); // each URL once
      const fetched = reported.filter((l) => l.outcome !== 'skipped');
      expect(fetched).toHaveLength(maxPages); // the graph has more: the limit, not the graph, ended it
      if (maxPages > 0) expect(runs.filter((r) => lines(r.stdout).some((l) => l.outcome !== 'skipped')).length).toBeGreaterThan(1); // the fetches were shared
      // What is left is exactly what the fetched pages link to and were not fetched (or, with
      // a depth limit, lie beyond it): all of it reported, skipped for the limit, once.
      const found = reported.filter((l) => l.outcome === 'found');
      const { start } = JSON.parse(readFileSync(big, 'utf8')) as { start: string };
      const linked = new Set([start, ...found.flatMap((l) => l.urls ?? [])]);
      const left = reported.filter((l) => l.outcome === 'skipped');
      expect(left.filter((l) => l.reason !== 'max-pages' && l.reason !== 'depth')).toEqual([]);
      if (extra.length === 0) expect(left.filter((l) => l.reason === 'depth')).toEqual([]);
      const fetchedUrls = new Set(fetched.map((l) => l.url));
      expect(left.map((l) => l.url).sort()).toEqual([...linked].filter((u) => !fetchedUrls.has(u)).sort());
      expectExact(lines(cli('report', '--redis', redis.url, '--crawl', name).stdout), reported);
    },
    120_000,
  );

  it('--max-pages with a worker killed (kill -9) holding granted fetches: their grants stay with the entries, and the crawl still fetches exactly N, each URL once', async () => {
    const maxPages = 600;
    const name = `c${++crawls}`;
    const workers = Array.from({ length: 2 }, () =>
      startWorker(['--fixture', big, '--format', 'jsonl', '--max-pages', String(maxPages), ...joining(name, '10-30'), '--lease-ms', '1000']),
    );
    const status = () =>
      JSON.parse(cli('status', '--redis', redis.url, '--crawl', name).stdout || '{}') as {
        reported?: number;
        retaken: number;
        perProcess?: Record<string, { fetched: number; inFlight: number }>;
      };
    const victim = workers[0]!;
    const held = () => Object.entries(status().perProcess ?? {}).find(([consumer]) => consumer.endsWith(`:${victim.pid}`))?.[1];
    while ((status().reported ?? 0) < 100 || !((held()?.inFlight ?? 0) > 0)) await sleep(20);
    process.kill(victim.pid, 'SIGKILL');
    expect((await victim.exited).code).toBe(null);
    const [other] = await Promise.all(workers.slice(1).map((w) => w.exited));
    expect([other!.code, other!.stderr]).toEqual([0, '']);
    const reported = lines(cli('report', '--redis', redis.url, '--crawl', name).stdout);
    expectExact(
      reported,
      reported.filter((l, i) => reported.findIndex((m) => m.url === l.url) === i),
    ); // each URL once
    expect(reported.filter((l) => l.outcome !== 'skipped')).toHaveLength(maxPages); // the dead one's grants were not lost, nor given twice
    expect(status().retaken).toBeGreaterThan(0);
    expect(reported.filter((l) => l.outcome === 'skipped').every((l) => l.reason === 'max-pages')).toBe(true);
  }, 120_000);

  it('SIGINT to one of 2 workers mid-crawl: it exits 130, its stopped fetches go back at once, and the other finishes the exact set, each URL once', async () => {
    const crawl = ['--fixture', big, '--format', 'jsonl'];
    const expected = lines(cli(...crawl).stdout);
    const name = `c${++crawls}`;
    // A lease longer than the rest of the crawl: entries left pending would come back only through XAUTOCLAIM, counted as retaken.
    const workers = Array.from({ length: 2 }, () => startWorker([...crawl, ...joining(name, '5-15'), '--lease-ms', '30000']));
    const status = () =>
      JSON.parse(cli('status', '--redis', redis.url, '--crawl', name).stdout || '{}') as {
        reported?: number;
        over: boolean;
        retaken: number;
        perProcess: Record<string, { fetched: number; inFlight: number }>;
      };
    const victim = workers[0]!;
    const held = () => Object.entries(status().perProcess ?? {}).find(([consumer]) => consumer.endsWith(`:${victim.pid}`))?.[1];
    while ((status().reported ?? 0) < 2000 || !((held()?.inFlight ?? 0) > 0)) await sleep(20); // it is crawling, with entries in flight
    process.kill(victim.pid, 'SIGINT');
    const stopped = await victim.exited;
    expect([stopped.code, stopped.stderr]).toEqual([130, '']);
    const after = status();
    expect(after.over).toBe(false); // it stopped mid-crawl
    expect(held()?.inFlight ?? 0).toBe(0); // nothing of the crawl left with it
    const [other] = await Promise.all(workers.slice(1).map((w) => w.exited));
    expect([other!.code, other!.stderr]).toEqual([0, '']);
    expectExact([...lines(stopped.stdout), ...lines(other!.stdout)], expected); // what the stopped one reported is its share
    expectExact(lines(cli('report', '--redis', redis.url, '--crawl', name).stdout), expected);
    expect(status().retaken).toBe(0); // given back, not taken after the lease
  }, 180_000);

  it('bad input and a lost crawl are one line, with their exit codes', async () => {
    const crawl = ['--fixture', 'fixtures/golang-org.json'];
    const name = `c${++crawls}`;
    expect(cli(...crawl, '--redis', redis.url, '--crawl', name, '--depth', '3').status).toBe(0);
    const cases: [string[], number, RegExp][] = [
      [[...crawl, '--redis', 'redis://127.0.0.1:1', '--crawl', 'x'], 2, /^chancrawl: --redis redis:\/\/127\.0\.0\.1:1: cannot connect: ECONNREFUSED\n$/],
      [[...crawl, '--redis', redis.url, '--crawl', name, '--depth', '2'], 2, /^chancrawl: --crawl c\d+: that crawl exists with depth 3, not 2 /],
      [[...crawl, '--redis', redis.url], 2, /needs both --redis URL and --crawl NAME/],
      [[...crawl, '--redis', redis.url, '--crawl', name, '--max-time', '3'], 2, /--max-time applies to a crawl in one process/],
      [
        [...crawl, '--redis', redis.url, '--crawl', name, '--depth', '3', '--max-pages', '3'],
        2,
        /^chancrawl: --crawl c\d+: that crawl exists with max-pages unset, not 3 /,
      ],
      [['status', '--redis', redis.url, '--crawl', 'none'], 2, /^chancrawl: --crawl none: no such crawl in Redis\n$/],
    ];
    for (const [args, code, message] of cases) {
      const run = cli(...args);
      expect([run.status, run.stderr]).toEqual([code, expect.stringMatching(message)]);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  }, 60_000); // six processes, one after another: past vitest's 5 s on a loaded machine

  it('a Redis that restarts empty mid-crawl: each worker says the crawl is gone and exits 4', async () => {
    const own = await startRedis();
    const workers = Array.from({ length: 2 }, () =>
      startWorker(['--fixture', big, '--redis', own.url, '--crawl', 'gone', '--concurrency', '2', '--latency-ms', '5']),
    );
    const reported = () => (JSON.parse(cli('status', '--redis', own.url, '--crawl', 'gone').stdout || '{}') as { perProcess?: object }).perProcess ?? {};
    while (Object.keys(reported()).length < 2) await sleep(50); // both workers are crawling
    await own.stop();
    const again = await startRedis(own.port);
    try {
      for (const r of await Promise.all(workers.map((w) => w.exited))) {
        expect(r.code).toBe(4);
        expect(r.stderr).toMatch(/^chancrawl: the crawl is gone from Redis .*\n$/);
      }
    } finally {
      await again.stop();
    }
  }, 120_000);

  /** `chancrawl serve ARGS` as its own process, logging each request; resolves once it prints its start URL. */
  async function serve(args: string[]): Promise<{ url: string; stop: () => Promise<{ path: string; start: number; end: number }[]> }> {
    const log = join(tmp, `serve-${++crawls}.jsonl`);
    const child = spawn(process.execPath, cliArgs(['serve', ...args, '--log', log]), { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    for await (const chunk of child.stdout as AsyncIterable<string>) if ((out += chunk).includes('\n')) break;
    return {
      url: out.split('\n')[0]!,
      stop: async () => {
        process.kill(child.pid!, 'SIGTERM');
        if (child.exitCode === null) await once(child, 'exit');
        return lines(readFileSync(log, 'utf8')) as unknown as { path: string; start: number; end: number }[];
      },
    };
  }

  /** The most requests the server had open at once, from each request's arrival to its answer's end. */
  function mostInFlight(log: { start: number; end: number }[]): number {
    const events = log
      .flatMap(
        (r) =>
          [
            [r.start, 1],
            [r.end, -1],
          ] as const,
      )
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let now = 0;
    let most = 0;
    for (const [, d] of events) most = Math.max(most, (now += d));
    return most;
  }

  const site = join(tmp, 'site.json');
  expect(cli('gen', '--pages', '40', '--missing', '0', '--seed', '5', '--out', site).status).toBe(0);
  it.each([
    ['--per-host 2 --delay-ms 50', ['--per-host', '2', '--delay-ms', '50'], 'User-agent: *\nDisallow: /nothing-here\n', 2, 50],
    ["robots.txt's Crawl-delay: 0.08", ['--per-host', '2'], 'User-agent: *\nCrawl-delay: 0.08\n', 2, 80],
  ])(
    '3 workers over HTTP, %s: the server sees at most 2 requests at once and starts spaced by the delay, robots.txt requested once',
    async (_, flags, robots, perHost, delayMs) => {
      const robotsFile = join(tmp, `robots-${++crawls}.txt`);
      writeFileSync(robotsFile, robots);
      const server = await serve([site, '--latency-ms', '120', '--robots', robotsFile]);
      const name = `c${++crawls}`;
      let log: { path: string; start: number; end: number }[] = [];
      try {
        const workers = Array.from({ length: 3 }, () =>
          startWorker([server.url, '--format', 'jsonl', '--quiet', '--redis', redis.url, '--crawl', name, '--concurrency', '4', ...flags]),
        );
        const runs = await Promise.all(workers.map((w) => w.exited));
        for (const r of runs) expect([r.code, r.stderr]).toEqual([0, '']);
        const reported = runs.flatMap((r) => lines(r.stdout));
        expect(runs.filter((r) => r.stdout !== '').length).toBeGreaterThan(1); // the crawl was shared
        expectExact(
          reported,
          reported.filter((l, i) => reported.findIndex((m) => m.url === l.url) === i),
        );
        expect(reported.filter((l) => l.outcome === 'found').length).toBe(40);
      } finally {
        log = await server.stop();
      }
      expect(log.filter((r) => r.path === '/robots.txt')).toHaveLength(1);
      const pages = log.filter((r) => r.path !== '/robots.txt');
      expect(new Set(pages.map((r) => r.path)).size).toBe(pages.length); // each page fetched once
      expect(mostInFlight(pages)).toBe(perHost);
      // The next start counts from when a granted request is under way (HostTurns' started), on Redis's
      // clock; the request still reaches the server's handler a few ms later (a new connection, the
      // server's own event loop), by a different amount each time, so a gap at the server may come out
      // short (at load 10, 0-3 gaps of 39 a run, 40-49 ms; counted from the grant: 3-8, down to 2 ms).
      // What the server does see exactly: the starts together span at least one delay per page. Without the
      // shared turns, 3 processes each spacing their own starts span about a third of that.
      const starts = pages.map((r) => r.start).sort((a, b) => a - b);
      expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual((starts.length - 1) * delayMs - 15);
    },
    120_000,
  );

  it("robots.txt is requested with the crawl's credentials (issue 13): its rules hold", async () => {
    const expected = `Basic ${Buffer.from('user:s3cret').toString('base64')}`;
    const s = await startSite({
      '/': page('Home', '/open', '/secret'),
      '/open': page('Open'),
      '/secret': page('Secret'),
      '/robots.txt': (req, res, hit) =>
        (req.headers.authorization === expected
          ? respond(200, 'User-agent: *\nDisallow: /secret\n', { 'content-type': 'text/plain' })
          : respond(401, 'who are you'))(req, res, hit),
    });
    try {
      const run = await startWorker([
        s.url('/').replace('http://', 'http://user:s3cret@'),
        '--format',
        'jsonl',
        '--quiet',
        '--redis',
        redis.url,
        '--crawl',
        `c${++crawls}`,
      ]).exited;
      expect([run.code, run.stderr]).toEqual([0, '']);
      expect(
        lines(run.stdout)
          .map((l) => `${l.url.replace(s.origin, '')} ${l.outcome} ${l.reason ?? ''}`)
          .sort(),
      ).toEqual(['/ found ', '/open found ', '/secret skipped robots']);
      expect(s.hits('/secret')).toBe(0);
    } finally {
      await s.close();
    }
  }, 60_000);
});
