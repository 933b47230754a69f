// How the bench takes a figure: a child process per run, its JSON line or /usr/bin/time's line
// read back, and the median of several runs.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import type { OneRun } from './one.js';

export type Measured = Omit<OneRun, 'variant'>;

/** Runs bench/one.js or bench-go once and reads its JSON line. */
export function measure(command: string, args: string[]): Measured {
  const line = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 })
    .trim()
    .split('\n')
    .at(-1)!;
  return JSON.parse(line) as Measured;
}

/** Wall seconds and peak RSS (MB, from /usr/bin/time) of a whole process, its stdout thrown away. */
export function timed(command: string, args: string[]): { wallS: number; maxRssMB: number } {
  const t0 = performance.now();
  const { stderr, status } = spawnSync('/usr/bin/time', ['-f', 'time: %e %M', command, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const m = /time: ([\d.]+) (\d+)\s*$/.exec(stderr);
  if (m === null || status !== 0) throw new Error(`no timing from /usr/bin/time ${command}: ${stderr.slice(-300)}`);
  return { wallS: (performance.now() - t0) / 1000, maxRssMB: Number(m[2]) / 1024 }; // time's %e has 10 ms steps
}

export function medianOf(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Each figure's median across runs (the fetch count is the same in every run). */
export function median(runs: Measured[]): Measured {
  const m: Measured = {
    fetches: runs[0]!.fetches,
    loadMs: medianOf(runs.map((r) => r.loadMs)),
    crawlMs: medianOf(runs.map((r) => r.crawlMs)),
    maxRssMB: medianOf(runs.map((r) => r.maxRssMB)),
  };
  if (runs[0]!.warmCrawlMs !== undefined) m.warmCrawlMs = medianOf(runs.map((r) => r.warmCrawlMs ?? NaN));
  return m;
}

/** `chancrawl serve FILE --latency-ms L` in its own process, so server and crawler each get a core. */
export async function serveFixture(cli: string, file: string, latencyMs: number, pageKb = 0): Promise<{ start: string; stop: () => Promise<void> }> {
  const server = spawn(process.execPath, [cli, 'serve', file, '--latency-ms', String(latencyMs), '--page-kb', String(pageKb)], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const exited = once(server, 'exit');
  let text = '';
  for await (const chunk of server.stdout) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  if (!text.includes('\n')) throw new Error(`chancrawl serve ${file} printed no URL`);
  return {
    start: text.split('\n')[0]!,
    stop: async () => {
      server.kill('SIGTERM');
      await exited;
    },
  };
}
