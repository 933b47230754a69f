// Lesson: when is the crawl finished? The recursion has no single end, so ConcurrentChannel's
// coordinator counts: n starts at 1 for the seed message, goes up by one for each worker it starts
// and down by one for each message it receives. n is the number of messages still owed to it, so
// n == 0 means no worker is left that could send: the crawl is done, and it is safe to stop.
//
// That only holds if every worker sends exactly once, also when its fetch fails (Go's worker sends
// an empty slice on error). Here a worker that never sends is staged with the real design: a fetcher
// that, for a missing page, never returns, so its worker never reaches its send. The coordinator then
// waits for ever with n == 1; a timeout is what ends it.
import { ConcurrentChannel } from '../lib/designs/channel.js';
import { FixtureFetcher, loadFixture, startOf } from '../lib/fixture/fixture.js';
import type { Fetcher, Page } from '../lib/types.js';
import { conclude, fixturePath, runAsScript, say } from './script.js';

/** For a URL the inner fetcher cannot fetch, never answers (until the crawl is stopped). */
function silentOnError(inner: Fetcher): Fetcher {
  return {
    fetch: (url, signal) =>
      inner
        .fetch(url, signal)
        .catch(() => new Promise<Page>((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true }))),
  };
}

export interface Ledger {
  /** Workers the coordinator started (one fetch each), messages it received (the seed included). */
  started: number;
  received: number;
  /** 1 + started - received: the coordinator's n when the crawl ended. */
  owed: number;
  finished: boolean;
  ms: number;
}

export interface TerminationCounts {
  fixture: string;
  timeoutMs: number;
  sends: Ledger;
  silent: Ledger;
}

export async function termination(fixture = fixturePath('golang-org.json'), timeoutMs = 500): Promise<TerminationCounts> {
  const graph = loadFixture(fixture);
  const sends = await ledger(startOf(graph), new FixtureFetcher(graph), timeoutMs);
  const silent = await ledger(startOf(graph), silentOnError(new FixtureFetcher(graph)), timeoutMs);
  return { fixture: fixture.split('/').pop()!, timeoutMs, sends, silent };
}

async function ledger(url: string, fetcher: Fetcher, timeoutMs: number): Promise<Ledger> {
  let started = 0;
  const counting: Fetcher = { fetch: (u, signal) => (started++, fetcher.fetch(u, signal)) };
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error('timed out')), timeoutMs); // a ref'd timer: AbortSignal.timeout's would let Node exit instead
  const t0 = performance.now();
  let received = 1; // the seed message carries no result; every worker's message carries one
  try {
    for await (const r of ConcurrentChannel(url, counting, { signal: timeout.signal })) if (r.kind !== 'skipped') received++;
  } finally {
    clearTimeout(timer);
  }
  return { started, received, owed: 1 + started - received, finished: !timeout.signal.aborted, ms: Math.round(performance.now() - t0) };
}

runAsScript(import.meta, async () => {
  const c = await termination();
  const line = (l: Ledger) =>
    `started ${l.started} workers, received ${l.received} messages, n = 1 + ${l.started} - ${l.received} = ${l.owed}; ${l.finished ? `finished by itself in ${l.ms} ms` : `still waiting when the ${c.timeoutMs} ms timeout stopped it`}`;
  say(`ConcurrentChannel on ${c.fixture}, where one linked page is missing:`);
  say(`  every worker sends, also on error:   ${line(c.sends)}`);
  say(`  the worker of the missing page never sends: ${line(c.silent)}`);
  conclude(
    `When every worker sent, the coordinator received ${c.sends.received} messages for ${c.sends.started} workers plus the seed, n reached ${c.sends.owed}, and it stopped by itself.`,
    `When the missing page's worker did not send, n stayed at ${c.silent.owed}: the coordinator went on waiting for the message it was owed and only the ${c.timeoutMs} ms timeout ended it.`,
    `n counts messages still owed, so a worker must send exactly once on every path, errors included.`,
  );
});
