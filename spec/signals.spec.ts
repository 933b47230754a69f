// SIGINT and SIGTERM on the built CLI, in a child process: the first stops the crawl (no new fetch,
// fetches in flight aborted), reports every URL reached exactly once, prints the summary and exits
// 130 or 143; a second SIGINT exits at once.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startSite, type Handler, type Site } from './support/site.js';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts the CLI; `when` resolves when it may be signalled; then `signals` are sent `gapMs` apart,
 * each after the first also waiting until stdout matches `between` (so it is known to have acted).
 */
async function runAndSignal(args: string[], when: () => Promise<void>, signals: NodeJS.Signals[], gapMs = 0, between?: RegExp): Promise<Run> {
  const child = spawn(process.execPath, ['dist/lib/cli/main.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  await when();
  for (const [i, s] of signals.entries()) {
    if (i > 0) await sleep(gapMs);
    while (i > 0 && between !== undefined && !between.test(stdout)) await sleep(5);
    child.kill(s);
  }
  const [code, signal] = await exited;
  if (child.stdout.readable) await once(child.stdout, 'close');
  return { code, signal, stdout, stderr };
}

interface Line {
  url: string;
  outcome: 'found' | 'failed' | 'skipped';
  reason?: string;
  urls?: string[];
}

/** Every URL in the jsonl report once, and every link of a found page reported. */
function expectEachReportedOnce(lines: Line[], start: string): void {
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l.url, (counts.get(l.url) ?? 0) + 1);
  expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
  const discovered = new Set([start, ...lines.flatMap((l) => l.urls ?? [])]);
  expect([...discovered].filter((u) => !counts.has(u))).toEqual([]);
}

const parse = (stdout: string): Line[] =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);

describe('signals', () => {
  const sites: Site[] = [];
  afterEach(async () => {
    await Promise.all(sites.splice(0).map((s) => s.close()));
  });

  /** A site whose start page links to `n` pages that answer after `ms` (or never, for Infinity). */
  async function slowSite(n: number, ms: number) {
    const paths = Array.from({ length: n }, (_, i) => `/p${i}`);
    const slow: Handler = async (_req, res) => {
      if (ms === Infinity) return new Promise<void>((resolve) => res.on('close', resolve));
      await sleep(ms);
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<title>slow</title>');
    };
    const s = await startSite({
      '/': `<title>home</title>${paths.map((p) => `<a href="${p}">x</a>`).join('')}`,
      ...Object.fromEntries(paths.map((p) => [p, slow])),
    });
    sites.push(s);
    return s;
  }

  /** Resolves once the site has had `k` page requests (robots.txt not counted). */
  const afterRequests = (s: Site, k: number) => async () => {
    while (s.requests.filter((p) => p !== '/robots.txt').length < k) await sleep(10);
  };

  it('SIGINT on a slow fixture crawl: exit 130, every URL reached reported once, the rest skipped "aborted"', async () => {
    const run = await runAndSignal(
      ['--fixture', 'fixtures/wide-fan.json', '--latency-ms', '200', '--concurrency', '4', '--format', 'jsonl'],
      () => sleep(1500),
      ['SIGINT'],
    );
    expect(run.code).toBe(130);
    const lines = parse(run.stdout);
    expect(lines.filter((l) => l.outcome === 'found').length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.outcome === 'skipped' && l.reason === 'aborted').length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThan(778); // stopped: the whole graph would take 40 s
    expectEachReportedOnce(lines, lines[0]!.url);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s on an HTTP crawl: fetches in flight aborted, the summary printed, exit %i', async (signal, exitCode) => {
    const s = await slowSite(50, Infinity);
    const t0 = performance.now();
    const run = await runAndSignal([s.url('/'), '--concurrency', '3', '--format', 'jsonl'], afterRequests(s, 4), [signal]);
    expect(performance.now() - t0).toBeLessThan(10_000); // the hanging fetches were aborted, not waited for
    expect(run.code).toBe(exitCode);
    expect(run.stderr).toMatch(/chancrawl: 1 ok, 0 failed, 50 skipped/);
    const lines = parse(run.stdout);
    expect(lines).toHaveLength(51);
    expect(lines.filter((l) => l.outcome === 'skipped').every((l) => l.reason === 'aborted')).toBe(true);
    expect(s.requests.filter((p) => p.startsWith('/p')).length).toBe(3); // no new fetch after the signal
    expectEachReportedOnce(lines, s.url('/'));
  });

  it('a second SIGINT exits at once, without finishing the report', async () => {
    // 20,000 links: reporting 20,000 skipped URLs after the first SIGINT takes about 300 ms here.
    // The second is sent once the first has shown (a skipped line printed): two sent before the
    // process reads either could arrive as one.
    const s = await slowSite(20_000, Infinity);
    const run = await runAndSignal([s.url('/'), '--concurrency', '2', '--format', 'jsonl'], afterRequests(s, 3), ['SIGINT', 'SIGINT'], 0, /"reason":"aborted"/);
    expect(run.signal).toBe('SIGINT'); // killed by it: a shell reports status 130
    expect(run.stderr).not.toMatch(/ ok, /); // no summary: it stopped before the end
    expect(parse(run.stdout).length).toBeLessThan(20_001);
  }, 60_000);
});
