// Concurrent crawler with channels (Go: crawler.go, worker, coordinator and ConcurrentChannel).
import { eitherSignal } from '../runtime/abort.js';
import { makeChan, range, type Chan } from '../runtime/chan.js';
import { go } from '../runtime/go.js';
import type { CrawlOptions, Fetcher, Result } from '../types.js';
import { depthLeft, fetchResult, worthVisit } from './visit.js';

/** CrawlOptions, and the size of the channel's buffer, which Go's crawler does not have. */
export interface ChannelOptions extends CrawlOptions {
  /**
   * Messages the channel holds that the coordinator has not taken yet. 0, Go's unbuffered channel:
   * each worker waits at its send until the coordinator receives. Infinity: no send ever waits.
   * Default: 0.
   */
  channelBuffer?: number;
}

export const channelDefaults = { channelBuffer: 0 } as const satisfies ChannelOptions;

/** What a worker sends: the URLs to follow (Go sends just these), from a page at `depth`, and its result. */
interface Message {
  urls: string[];
  depth: number;
  result?: Result;
}

async function worker(url: string, depth: number, first: boolean, ch: Chan<Message>, fetcher: Fetcher, options: CrawlOptions, signal: AbortSignal): Promise<void> {
  const r = await fetchResult(fetcher, url, depth, signal);
  const result = first ? r : undefined; // TS: a shorter path re-expands a page without reporting it again
  if (r.kind !== 'found' || depthLeft(options, depth) <= 0) {
    await ch.send({ urls: [], depth, result });
  } else {
    await ch.send({ urls: r.page.urls, depth, result });
  }
}

async function* coordinator(ch: Chan<Message>, fetcher: Fetcher, options: CrawlOptions, signal: AbortSignal): AsyncGenerator<Result> {
  let n = 1;
  const fetched = new Map<string, number>(); // TS: hops left from each URL (depthLeft), Go holds true
  for await (const { urls, depth, result } of range(ch)) {
    for (const u of urls) {
      const left = depthLeft(options, depth + 1);
      const seen = fetched.get(u);
      if (worthVisit(seen, left)) {
        fetched.set(u, left);
        n += 1;
        go(worker(u, depth + 1, seen === undefined, ch, fetcher, options, signal), signal);
      }
    }
    if (result) yield result; // TS: Go's fetcher prints in the worker; here the coordinator reports
    n -= 1;
    if (n === 0) {
      break;
    }
  }
}

export async function* ConcurrentChannel(url: string, fetcher: Fetcher, options: ChannelOptions = {}): AsyncGenerator<Result> {
  const ch = makeChan<Message>(options.channelBuffer ?? channelDefaults.channelBuffer); // TS: unbuffered as in Go, unless channelBuffer says
  const stop = new AbortController(); // TS: aborted when the consumer stops early, so no worker lingers
  const signal = eitherSignal(options.signal, stop.signal);
  go(ch.send({ urls: [url], depth: -1 }), signal);
  try {
    yield* coordinator(ch, fetcher, options, signal);
  } finally {
    stop.abort();
    ch.close(); // TS: nobody receives any more, so each send waiting, or still to come, fails (Go's would block for ever)
  }
}
