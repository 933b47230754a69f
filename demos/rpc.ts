// Lesson: RPC. "A thread might be used to make a remote procedure call to thousands of servers."
// Here Fetch itself is the remote call: a fetch service in another process answers Fetch(url)
// from a fixture graph over JSON-over-HTTP on 127.0.0.1 (lib/fetchers/rpc.ts), and the three designs crawl
// through an RpcFetcher. Nothing in a design changes: a Fetcher is a Fetcher, local or remote, and
// each design's tasks simply wait on the network where they waited on a map before.
import { spawn, type ChildProcess } from 'node:child_process';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { designs, variants, type Variant } from '../lib/crawl.js';
import { FixtureFetcher, loadFixture, startOf, type Fixture } from '../lib/fixture/fixture.js';
import { goLine } from '../lib/output/report.js';
import { RpcFetcher, serveFetcher } from '../lib/fetchers/rpc.js';
import type { Fetcher } from '../lib/types.js';
import { conclude, fixturePath, projectRoot, runAsScript, say } from './script.js';

export interface RpcRun {
  fixture: string;
  variant: Variant;
  /** Go lines (`found:   URL`, `missing: URL`) from the fixture fetcher and through the service. */
  local: string[];
  remote: string[];
  /** Serial in exact order, the concurrent designs as sets. */
  same: boolean;
  /** Calls the service answered for this crawl, and the most that were waiting for an answer at once. */
  calls: number;
  peakInFlight: number;
  ms: number;
}

export interface RpcCounts {
  /** Where the service ran: its own process (its pid), or this one. */
  server: 'child' | 'here';
  serverPid: number;
  runs: RpcRun[];
}

const defaultFixtures = ['golang-org.json', 'cycles.json', 'missing-pages.json', 'wide-fan.json'].map(fixturePath);

/** Crawls each fixture with each design, once with the fixture fetcher and once through the service. */
export async function rpc(server: 'child' | 'here' = 'here', fixtures = defaultFixtures): Promise<RpcCounts> {
  const runs: RpcRun[] = [];
  let serverPid = process.pid;
  for (const path of fixtures) {
    const fixture = loadFixture(path);
    const service = server === 'child' ? await serviceProcess(path) : await serviceHere(fixture);
    if (service.pid !== undefined) serverPid = service.pid;
    const remote = new RpcFetcher(service.endpoint);
    try {
      for (const variant of variants) {
        const local = await goLines(variant, startOf(fixture), new FixtureFetcher(fixture));
        const before = await service.calls();
        const t0 = performance.now();
        const watched = inFlight(remote);
        const through = await goLines(variant, startOf(fixture), watched);
        const ms = Math.round(performance.now() - t0);
        const calls = (await service.calls()) - before;
        const same = variant === 'serial' ? local.join('\n') === through.join('\n') : [...local].sort().join('\n') === [...through].sort().join('\n');
        runs.push({ fixture: basename(path), variant, local, remote: through, same, calls, peakInFlight: watched.peak, ms });
      }
    } finally {
      remote.close();
      await service.close();
    }
  }
  return { server, serverPid, runs };
}

async function goLines(variant: Variant, url: string, fetcher: Fetcher): Promise<string[]> {
  const lines: string[] = [];
  for await (const r of designs[variant](url, fetcher, {})) {
    const line = goLine(r);
    if (line !== undefined) lines.push(line);
  }
  return lines;
}

/** The fetcher, counting the calls waiting for an answer at once. */
function inFlight(fetcher: Fetcher): Fetcher & { peak: number } {
  let now = 0;
  const watched = {
    peak: 0,
    async fetch(url: string, signal?: AbortSignal) {
      watched.peak = Math.max(watched.peak, ++now);
      try {
        return await fetcher.fetch(url, signal);
      } finally {
        now--;
      }
    },
  };
  return watched;
}

interface Service {
  endpoint: string;
  pid?: number;
  calls(): Promise<number>;
  close(): Promise<void>;
}

/** The calls a service has answered, asked over HTTP as a client in any process would. */
async function callsOf(endpoint: string): Promise<number> {
  const response = await fetch(`${endpoint}/calls`);
  return ((await response.json()) as { calls: number }).calls;
}

async function serviceHere(fixture: Fixture): Promise<Service> {
  const service = await serveFetcher(new FixtureFetcher(fixture));
  return { endpoint: service.endpoint, calls: () => callsOf(service.endpoint), close: () => service.close() };
}

/** Starts the service in a child process: the built dist/demos/rpc.js, run as `rpc.js serve FIXTURE`. */
async function serviceProcess(path: string): Promise<Service> {
  const child: ChildProcess = spawn(process.execPath, [join(projectRoot, 'dist/demos/rpc.js'), 'serve', path], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error(`the fetch service did not start (exit ${child.exitCode})`);
  const endpoint = String(first.value);
  return {
    endpoint,
    pid: child.pid,
    calls: () => callsOf(endpoint),
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

runAsScript(import.meta, async () => {
  if (process.argv[2] === 'serve') {
    const service = await serveFetcher(new FixtureFetcher(loadFixture(process.argv[3]!)));
    process.stdout.write(`${service.endpoint}\n`);
    return;
  }
  const c = await rpc('child');
  say(`The fetch service ran in its own process (pid ${c.serverPid}, this one is ${process.pid}); each fetch is a JSON call over HTTP on 127.0.0.1.`);
  for (const r of c.runs)
    say(
      `  ${r.fixture.padEnd(20)} ${r.variant.padEnd(8)} ${String(r.remote.length).padStart(4)} lines, ${String(r.calls).padStart(4)} calls, at most ${String(r.peakInFlight).padStart(3)} at once, ${String(r.ms).padStart(4)} ms: ${r.same ? (r.variant === 'serial' ? 'same lines, same order' : 'same lines') : 'DIFFERENT'}`,
    );
  const differ = c.runs.filter((r) => !r.same);
  const calls = c.runs.reduce((sum, r) => sum + r.calls, 0);
  const widest = c.runs.reduce((a, b) => (b.peakInFlight > a.peakInFlight ? b : a));
  conclude(
    `The three designs crawled ${c.runs.length / variants.length} fixtures through a fetch service in another process, ${calls} remote calls in all; ${widest.variant} on ${widest.fixture} had ${widest.peakInFlight} calls waiting at once, where Serial never had more than one.`,
    differ.length === 0
      ? 'Every crawl printed the same lines as with the in-process fixture fetcher: Serial in the same order, the concurrent designs as the same set.'
      : `${differ.length} crawls differed from the fixture fetcher: ${differ.map((r) => `${r.variant} on ${r.fixture}`).join(', ')}.`,
    'Making Fetch remote changed no line of the designs: each task just waits on a call where it waited on a map.',
  );
  if (differ.length > 0) process.exitCode = 1;
});
