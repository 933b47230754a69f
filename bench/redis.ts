// The bench's shared crawl (section 7): N worker processes of `chancrawl --redis --crawl NAME` on
// one redis-server of its own; their report lines give the rate, and MONITOR the round trips.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { RedisServer } from '../tools/redis-server.js';

export interface SharedRun {
  /** Pages fetched (found or failed), all workers together. */
  fetched: number;
  /** From the crawl's start to the last fetch's end, ms. */
  crawlMs: number;
  /** Pages per second in the window where every worker was crawling, away from the crawl's first and last tenth (see windowRate). */
  rate: number;
  /** Requests to Redis per fetched page (a MULTI ... EXEC counts once), when monitored. */
  roundTrips?: number;
}

interface Line {
  outcome: string;
  start?: number;
  end?: number;
}

/** Runs `workers` processes of one crawl to its end; with `monitor`, counts every request they send Redis. */
export async function sharedRun(cli: string, server: RedisServer, name: string, workers: number, args: string[], monitor: boolean): Promise<SharedRun> {
  const counter = monitor ? await requests(server.url) : undefined;
  try {
    const runs = Array.from({ length: workers }, () => {
      const child = spawn(process.execPath, [cli, ...args, '--format', 'jsonl', '--quiet', '--redis', server.url, '--crawl', name], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      return (once(child, 'close') as Promise<[number | null]>).then(([code]) => {
        if (code !== 0) throw new Error(`a worker of ${name} exited ${code}: ${stderr.slice(-300)}`);
        return stdout
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as Line)
          .filter((l) => l.outcome !== 'skipped');
      });
    });
    const perWorker = await Promise.all(runs);
    const fetched = perWorker.reduce((n, w) => n + w.length, 0);
    const sent = await counter?.stop();
    return {
      fetched,
      crawlMs: Math.max(...perWorker.flat().map((l) => l.end ?? 0)),
      rate: windowRate(perWorker),
      ...(sent === undefined ? {} : { roundTrips: sent / fetched }),
    };
  } finally {
    await counter?.stop();
  }
}

/**
 * Fetches ended per second from the moment the last worker's first fetch started to the moment
 * the first worker's last fetch ended, and within the crawl's middle (its 10th to 90th percentile
 * of fetch ends): so neither a late process start nor the crawl's narrow first and last levels
 * count, and 1, 2 and 4 workers are judged on the same terms.
 */
export function windowRate(perWorker: Line[][]): number {
  const ends = perWorker
    .flat()
    .map((l) => l.end ?? 0)
    .sort((a, b) => a - b);
  const from = Math.max(ends[Math.floor(ends.length * 0.1)]!, ...perWorker.map((w) => Math.min(...w.map((l) => l.start ?? 0))));
  const to = Math.min(ends[Math.floor(ends.length * 0.9)]!, ...perWorker.map((w) => Math.max(...w.map((l) => l.end ?? 0))));
  const inside = ends.filter((e) => e > from && e <= to).length;
  return to > from ? (inside / (to - from)) * 1000 : NaN;
}

/** Counts the requests clients send Redis, through MONITOR: a transaction is one, commands run by a script are not requests. */
async function requests(url: string): Promise<{ stop: () => Promise<number> }> {
  const redis = new Redis(url);
  const monitor = await redis.monitor();
  const inMulti = new Set<string>();
  let sent = 0;
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source === 'lua') return;
    const command = args[0]?.toLowerCase();
    if (inMulti.has(source)) {
      if (command === 'exec' || command === 'discard') inMulti.delete(source);
      return;
    }
    if (command === 'multi') inMulti.add(source);
    sent += 1;
  });
  let stopped: number | undefined;
  return {
    stop: async () => {
      if (stopped !== undefined) return stopped;
      await sleep(200); // MONITOR's last lines arrive after the workers have gone
      stopped = sent;
      monitor.disconnect();
      redis.disconnect();
      return stopped;
    },
  };
}
