// Lesson: the crawler beyond one machine. ConcurrentChannel's state moves into Redis, and worker
// processes (real ones, the CLI's `--redis --crawl NAME`) share one crawl:
//
// 1. The fetched map becomes shared: testAndSet is one atomic step in Redis. SADD answers "was it
//    new?" to one caller only, however many ask at once; the crawl's Lua step does the same on its
//    hash of hops left (lib/runtime/redis.ts), so each URL is sent once for all processes.
// 2. The coordinator's n becomes a shared counter, changed in the same step: it rises as links are
//    sent and falls as entries are finished, and at 0 every process sees the crawl is over.
// 3. A worker killed with kill -9 leaves its entries pending in the stream's consumer group; once
//    they are idle past the lease, another worker takes them (XAUTOCLAIM), and nothing is lost.
//
// It starts its own redis-server on a free port in a temp dir. Without redis-server it says how to
// install it and exits 3.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { loadFixture, startOf } from '../lib/fixture/fixture.js';
import { generate } from '../lib/fixture/gen.js';
import { referenceCrawl } from '../lib/fixture/reference.js';
import { hasRedisServer, installRedis, startRedis } from '../tools/redis-server.js';
import { conclude, projectRoot, runAsScript, say } from './script.js';

/** The exit code when redis-server is missing. */
export const noRedisExit = 3;

export interface RedisCounts {
  pages: number;
  /** Connections that sent SADD of one URL at the same moment, and how many were answered "new". */
  askers: number;
  answeredNew: number;
  /** Links the found pages sent to the shared map, and how many of them it took as new (each fetched once). */
  linksSent: number;
  linksNew: number;
  workers: number;
  /** n as sampled during the crawl: its highest value, and its value at the end. */
  nSamples: number;
  nMax: number;
  nEnd: number;
  /** The killed worker: its fetches before, and the entries it held when killed. */
  killedFetched: number;
  killedHeld: number;
  leaseMs: number;
  /** Entries the other workers took from it after the lease. */
  retaken: number;
  /** URLs the crawl reported, those reported more than once, and the reference's URLs it did not report. */
  reported: number;
  duplicates: number;
  missing: number;
  /** URLs the reference crawl (one process, lib/fixture/reference.ts) reaches. */
  expected: number;
}

interface Line {
  url: string;
  outcome: string;
  urls?: string[];
}

export async function redisLesson(pages = 3000, workers = 3, leaseMs = 1500): Promise<RedisCounts> {
  const server = await startRedis();
  const redis = new Redis(server.url);
  const dir = mkdtempSync(join(tmpdir(), 'chancrawl-demo-redis-'));
  try {
    // 1. SADD from many connections at once: one answer of 1 ("it was new"), the rest 0.
    const askers = 8;
    const connections = Array.from({ length: askers }, () => new Redis(server.url));
    const answers = await Promise.all(connections.map((c) => c.sadd('demo:fetched', 'http://golang.org/')));
    for (const c of connections) c.disconnect();

    const graph = join(dir, 'graph.json');
    const out = createWriteStream(graph);
    await generate({ pages, seed: 7 }, out);
    await new Promise<void>((resolve) => out.end(resolve));
    const fixture = loadFixture(graph);

    // 2 and 3: worker processes share the crawl; n is sampled; one worker is killed mid-crawl.
    const name = 'demo';
    const key = (k: string) => `chancrawl:${name}:${k}`;
    const cli = join(projectRoot, 'dist', 'lib', 'cli', 'main.js');
    const args = [
      '--fixture',
      graph,
      '--format',
      'jsonl',
      '--redis',
      server.url,
      '--crawl',
      name,
      '--concurrency',
      '4',
      '--latency-ms',
      '5-15',
      '--lease-ms',
      String(leaseMs),
    ];
    const runs = Array.from({ length: workers }, () => {
      const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      const exited = (once(child, 'close') as Promise<[number | null, string | null]>).then(([code, signal]) => ({ code, signal, stdout }));
      return { pid: child.pid!, exited };
    });
    const victim = runs[0]!;
    const consumer = (pid: number) => async () => {
      const pending = (await redis.call('XPENDING', key('todo'), 'workers')) as [number, string, string, [string, string][] | null];
      return Number((pending[3] ?? []).find(([c]) => c.endsWith(`:${pid}`))?.[1] ?? 0);
    };
    const heldByVictim = consumer(victim.pid);
    const samples: number[] = [];
    let killedHeld = 0;
    let killedFetched = 0;
    const all = Promise.all(runs.map((r) => r.exited));
    let over = false;
    void all.then(() => (over = true));
    while (!over) {
      const n = await redis.get(key('n'));
      if (n !== null) samples.push(Number(n));
      if (killedHeld === 0 && (await redis.scard(key('reported'))) >= pages / 4) {
        const held = await heldByVictim();
        if (held > 0) {
          process.kill(victim.pid, 'SIGKILL');
          killedHeld = held;
          const fetches = await redis.hgetall(key('workers')); // per process, its entries finished
          killedFetched = Number(Object.entries(fetches).find(([c]) => c.endsWith(`:${victim.pid}`))?.[1] ?? 0);
        }
      }
      await sleep(20);
    }
    const ended = await all;
    const killed = ended[0]!;
    if (killed.signal !== 'SIGKILL') throw new Error(`the worker to be killed ended by itself (code ${killed.code}): the crawl was over too soon`);
    for (const r of ended.slice(1)) if (r.code !== 0) throw new Error(`a worker exited ${r.code}`);
    const nEnd = Number(await redis.get(key('n')));
    samples.push(nEnd);
    const retaken = Number((await redis.get(key('retaken'))) ?? 0);

    // The whole crawl's report, from Redis, against the reference crawl of the same graph.
    const report = ((await redis.xrange(key('results'), '-', '+')) as [string, string[]][]).map(([, f]) => JSON.parse(f[1]!) as Line);
    const counts = new Map<string, number>();
    for (const l of report) counts.set(l.url, (counts.get(l.url) ?? 0) + 1);
    const expected = referenceCrawl(fixture, startOf(fixture));
    const linksSent = report.reduce((sum, l) => sum + (l.outcome === 'found' ? (l.urls?.length ?? 0) : 0), 0);
    return {
      pages,
      askers,
      answeredNew: answers.filter((a) => a === 1).length,
      linksSent,
      linksNew: (await redis.hlen(key('fetched'))) - 1, // the start URL was not sent by a page
      workers,
      nSamples: samples.length,
      nMax: Math.max(...samples),
      nEnd,
      killedFetched,
      killedHeld,
      leaseMs,
      retaken,
      reported: counts.size,
      duplicates: [...counts.values()].filter((c) => c > 1).length,
      missing: expected.filter((e) => !counts.has(e.url)).length,
      expected: expected.length,
    };
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

runAsScript(import.meta, async () => {
  if (!hasRedisServer()) {
    process.stderr.write(`demo-redis needs redis-server, which is not installed: ${installRedis}, then make demo-redis again\n`);
    process.exitCode = noRedisExit;
    return;
  }
  const c = await redisLesson();
  say(
    `${c.askers} connections sent SADD of one URL to a shared set at the same moment: ${c.answeredNew} was told "new", ${c.askers - c.answeredNew} "already there".`,
  );
  say(`${c.workers} worker processes (chancrawl --redis --crawl demo) crawled a ${c.pages}-page graph:`);
  say(
    `  the found pages sent ${c.linksSent} links to the shared fetched map; ${c.linksNew} were new and sent on, ${c.linksSent - c.linksNew} were answered "seen"`,
  );
  say(`  n, sampled ${c.nSamples} times: rose to ${c.nMax}, and was ${c.nEnd} at the end, when every worker stopped`);
  say(
    `  one worker was killed (kill -9) after ${c.killedFetched} fetches, holding ${c.killedHeld} entries; after the ${c.leaseMs} ms lease the others took ${c.retaken} of its entries and fetched them`,
  );
  say(
    `  the crawl reported ${c.reported} URLs, ${c.duplicates} of them twice; the one-process reference reaches ${c.expected}, ${c.missing} of them not reported`,
  );
  conclude(
    `SADD is testAndSet for every process at once: of ${c.askers} at the same moment, ${c.answeredNew} was told it was new, so a URL is sent once whoever finds it (${c.linksSent - c.linksNew} repeat links stopped).`,
    `n, the messages still owed, lives in Redis and changes in the same atomic step: it reached ${c.nEnd} once, and that is how the ${c.workers - 1} processes left knew the crawl was over and stopped.`,
    `A worker killed mid-crawl lost nothing: its ${c.killedHeld} pending entries came back through XAUTOCLAIM (${c.retaken} taken), and the crawl still reported each of the ${c.expected} URLs once (${c.duplicates} twice, ${c.missing} missing).`,
  );
});
