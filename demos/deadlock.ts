// Lesson: deadlock. An unbuffered send blocks until someone receives; if nobody ever will, the
// sender waits for ever. Go notices when every goroutine is blocked, prints "all goroutines are
// asleep - deadlock!" and exits with code 2. Node has no such check: when nothing but a blocked
// promise is left, the event loop is empty and the process just ends, exit 13 if the blocked send
// was awaited at top level and 0 if not, with no error printed. Inside a longer-lived program (a
// server, a test runner) it would instead hang. Only a timeout turns it into an error.
//
// ConcurrentChannel's channel is unbuffered, as the lecture's `ch := make(chan []string)`, so a
// send waits until the coordinator takes it, and the design avoids deadlock the lecture's way: it
// sends the seed from its own task (go), so the coordinator is already receiving; every worker
// sends exactly once, also when its fetch fails; and the coordinator stops receiving only when
// n == 0, when no sender is left. One case the lecture's crawler does not have: a consumer that
// stops early. The design then aborts the fetches in flight through its signal and closes the
// channel, which fails every send still waiting, so no worker blocks for ever.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chan } from 'ts-chan';
import { ConcurrentChannel, channelDefaults } from '../lib/designs/channel.js';
import { sleep } from '../lib/runtime/abort.js';
import { makeChan } from '../lib/runtime/chan.js';
import { FixtureFetcher, loadFixture, startOf } from '../lib/fixture/fixture.js';
import type { Fetcher } from '../lib/types.js';
import { conclude, fixturePath, projectRoot, runAsScript, say } from './script.js';

export interface Run {
  /** The process's exit code (null if a signal ended it), and what it wrote. */
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface DeadlockCounts {
  /** The Go program, by mode; undefined when Go is not installed. */
  go?: { send: Run; nosend: Run; fixed: Run };
  goMissing?: string;
  /** Node: a blocked send awaited at top level, and one not awaited. */
  nodeAwaited: Run;
  nodeUnawaited: Run;
  /** The same send with a timeout: how long it waited and the error it ended with. */
  timeoutMs: number;
  timedOutAfterMs: number;
  timeoutError: string;
  /** Three sends with no receiver on the design's default channel: how many completed; then how many close() failed. And on makeChan(Infinity). */
  defaultBuffer: number;
  sentUnreceived: number;
  failedOnClose: number;
  sentUnreceivedInf: number;
  /** ConcurrentChannel on the lecture's graph: results, and how long; then on wide-fan.json a slow consumer that stops after 10 results. */
  designResults: number;
  designMs: number;
  earlyStopResults: number;
  earlyStopMs: number;
  /** Workers still fetching when the consumer stopped; workers done fetching whose message the coordinator had not taken (waiting at their send); how many fetches were aborted; how many are left. */
  inFlightAtStop: number;
  waitingAtStop: number;
  abortedAtStop: number;
  inFlightAfterStop: number;
}

const nodeSend = (awaited: boolean) =>
  `import { Chan } from 'ts-chan';
const ch = new Chan();
console.log('sending on an unbuffered channel, with no receiver');
${awaited ? "await ch.send(['http://golang.org/']);" : "ch.send(['http://golang.org/']).then(() => console.log('sent'));"}
console.log(${awaited ? "'never printed'" : "'the send is pending; nothing else to do'"});`;

function run(command: string, args: string[], cwd: string): Run {
  const t0 = performance.now();
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 20_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Math.round(performance.now() - t0) };
}

function goSide(): Pick<DeadlockCounts, 'go' | 'goMissing'> {
  const which = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (which.error || which.status !== 0) return { goMissing: 'Go is not installed: on Debian or Ubuntu, `sudo apt-get install golang-go`' };
  const dir = mkdtempSync(join(tmpdir(), 'chancrawl-deadlock-'));
  try {
    const bin = join(dir, 'deadlock');
    const build = run('go', ['build', '-o', bin, './demos/deadlock'], join(projectRoot, 'go'));
    if (build.code !== 0) throw new Error(`go build failed: ${build.stderr}`);
    return { go: { send: run(bin, ['-mode', 'send'], dir), nosend: run(bin, ['-mode', 'nosend'], dir), fixed: run(bin, ['-mode', 'fixed'], dir) } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function deadlock(timeoutMs = 200): Promise<DeadlockCounts> {
  const goRuns = goSide();
  const nodeAwaited = run(process.execPath, ['--input-type=module', '-e', nodeSend(true)], projectRoot);
  const nodeUnawaited = run(process.execPath, ['--input-type=module', '-e', nodeSend(false)], projectRoot);

  const ch = new Chan<string[]>();
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(new Error(`send timed out after ${timeoutMs} ms`)), timeoutMs);
  const t0 = performance.now();
  let timeoutError = 'no error';
  try {
    await ch.send(['http://golang.org/'], stop.signal);
  } catch (error) {
    timeoutError = error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
  const timedOutAfterMs = Math.round(performance.now() - t0);

  const defaultBuffer = channelDefaults.channelBuffer;
  const sentOn = async (capacity: number) => {
    const c = makeChan<string[]>(capacity);
    let done = 0;
    const sends = [['a'], ['b'], ['c']].map((urls) => c.send(urls).then(() => (done += 1)));
    await new Promise((resolve) => setImmediate(resolve)); // time enough for a send that can complete
    return { c, sends, done };
  };
  const unbuffered = await sentOn(defaultBuffer);
  const sentUnreceived = unbuffered.done;
  unbuffered.c.close();
  const failedOnClose = (await Promise.allSettled(unbuffered.sends)).filter((o) => o.status === 'rejected').length;
  const sentUnreceivedInf = (await sentOn(Infinity)).done;

  const graph = loadFixture(fixturePath('golang-org.json'));
  let t1 = performance.now();
  let designResults = 0;
  for await (const r of ConcurrentChannel(startOf(graph), new FixtureFetcher(graph))) if (r) designResults++;
  const designMs = Math.round(performance.now() - t1);
  t1 = performance.now();
  let earlyStopResults = 0;
  let inFlight = 0;
  let aborted = 0;
  let ended = 0;
  const fan = loadFixture(fixturePath('wide-fan.json'));
  const slow = new FixtureFetcher(fan, { min: 1, max: 200, seed: 1 });
  const watched: Fetcher = {
    fetch: async (url, signal) => {
      inFlight++;
      try {
        return await slow.fetch(url, signal);
      } catch (error) {
        if (signal?.aborted) aborted++;
        throw error;
      } finally {
        inFlight--;
        ended++;
      }
    },
  };
  let inFlightAtStop = 0;
  let waitingAtStop = 0;
  for await (const r of ConcurrentChannel(startOf(fan), watched)) {
    if (r) earlyStopResults++;
    await sleep(3); // a slow consumer (a disk, a network): meanwhile the coordinator takes no message
    if (earlyStopResults < 10) continue;
    inFlightAtStop = inFlight;
    waitingAtStop = ended - earlyStopResults; // each result came in one message; the channel holds none
    break; // nobody receives from now on: the workers waiting, and those still fetching, would block on their send
  }
  await new Promise((resolve) => setImmediate(resolve));
  const earlyStopMs = Math.round(performance.now() - t1);

  return {
    ...goRuns,
    nodeAwaited,
    nodeUnawaited,
    timeoutMs,
    timedOutAfterMs,
    timeoutError,
    defaultBuffer,
    sentUnreceived,
    failedOnClose,
    sentUnreceivedInf,
    designResults,
    designMs,
    earlyStopResults,
    earlyStopMs,
    inFlightAtStop,
    waitingAtStop,
    abortedAtStop: aborted,
    inFlightAfterStop: inFlight,
  };
}

const quote = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => `    | ${l}`)
    .join('\n');

runAsScript(import.meta, async () => {
  const c = await deadlock();
  if (c.go) {
    say('Go, an unbuffered send that nobody receives (go/demos/deadlock -mode send):');
    say(quote(c.go.send.stdout + c.go.send.stderr));
    say(`    exit code ${c.go.send.code}`);
    say('Go, a channel crawler whose worker does not send on error (-mode nosend):');
    say(quote(c.go.nosend.stdout + c.go.nosend.stderr));
    say(`    exit code ${c.go.nosend.code}`);
    say("Go, the lecture's way (-mode fixed):");
    say(quote(c.go.fixed.stdout + c.go.fixed.stderr));
    say(`    exit code ${c.go.fixed.code}`);
  } else {
    say(`Go side not shown: ${c.goMissing}`);
  }
  say('Node, the same send awaited at top level:');
  say(quote(c.nodeAwaited.stdout + c.nodeAwaited.stderr));
  say(`    exit code ${c.nodeAwaited.code}, after ${c.nodeAwaited.ms} ms, no error printed`);
  say('Node, the same send not awaited:');
  say(quote(c.nodeUnawaited.stdout + c.nodeUnawaited.stderr));
  say(`    exit code ${c.nodeUnawaited.code}, no error printed`);
  say(`Node, the same send with an AbortSignal and a ${c.timeoutMs} ms timer: rejected after ${c.timedOutAfterMs} ms with "${c.timeoutError}"`);
  say(
    `ConcurrentChannel's channel, makeChan(${c.defaultBuffer}) by default, three sends and no receiver: ${c.sentUnreceived} of 3 completed; close() failed ${c.failedOnClose} of them. On makeChan(Infinity) (--channel-buffer inf): ${c.sentUnreceivedInf} of 3 completed.`,
  );
  say(`ConcurrentChannel on golang-org.json: ${c.designResults} results, done in ${c.designMs} ms.`);
  say(
    `ConcurrentChannel on wide-fan.json, 1-200 ms a fetch, a consumer taking 3 ms a result that stops after ${c.earlyStopResults}: ${c.waitingAtStop} workers were waiting at their send, ${c.inFlightAtStop} were fetching; ${c.abortedAtStop} fetches aborted, ${c.inFlightAfterStop} left, ${c.earlyStopMs} ms`,
  );
  conclude(
    c.go
      ? `Go saw the deadlock and said so: "all goroutines are asleep - deadlock!" and exit code ${c.go.send.code} for the unreceived send, the same (exit ${c.go.nosend.code}) for the worker that did not send; the fixed program exited ${c.go.fixed.code}.`
      : `The Go side was not run: ${c.goMissing}.`,
    `Node said nothing: the blocked send ended the process with exit code ${c.nodeAwaited.code} when awaited at top level and ${c.nodeUnawaited.code} when not, and only a timeout (${c.timedOutAfterMs} ms here) turned it into an error.`,
    `Our ConcurrentChannel's channel is unbuffered, as Go's (${c.sentUnreceived} of 3 sends completed with no receiver, against ${c.sentUnreceivedInf} of 3 with --channel-buffer inf). It sends its seed from its own task and stops receiving only when n == 0, so it ended by itself with ${c.designResults} results; and when a slow consumer stopped a wide crawl after ${c.earlyStopResults} results, the ${c.waitingAtStop} workers waiting at their send had their sends failed by close(), as the three sends above were, and all ${c.inFlightAtStop} still fetching were aborted (${c.abortedAtStop} aborts, ${c.inFlightAfterStop} left), instead of blocking on a send nobody would receive.`,
  );
});
