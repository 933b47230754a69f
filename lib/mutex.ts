// Concurrent crawler with shared state and Mutex (Go: crawler.go, fetchState and ConcurrentMutex).
import { Chan } from 'ts-chan';
import { Mutex, WaitGroup, eitherSignal, go, range } from './sync.js';
import type { CrawlOptions, Fetcher, Result } from './types.js';
import { depthLeft, fetchResult, worthVisit } from './visit.js';

export class fetchState {
  mu = new Mutex();
  fetched = new Map<string, number>(); // TS: hops left from each URL (depthLeft), Go holds true

  // TS: returns the old value, and sets only when this path is shorter (depth limits need both).
  async testAndSet(url: string, left: number): Promise<number | undefined> {
    await this.mu.lock();
    try {
      const r = this.fetched.get(url);
      if (worthVisit(r, left)) this.fetched.set(url, left);
      return r;
    } finally {
      this.mu.unlock();
    }
  }
}

export async function* ConcurrentMutex(url: string, fetcher: Fetcher, fs = makeState(), options: CrawlOptions = {}): AsyncGenerator<Result> {
  const results = new Chan<Result>(); // TS: the tasks' results funnel to this generator
  const stop = new AbortController(); // TS: aborted when the consumer stops early, so no task lingers
  const signal = eitherSignal(options.signal, stop.signal);

  const crawl = async (url: string, depth: number): Promise<void> => {
    const left = depthLeft(options, depth);
    const seen = await fs.testAndSet(url, left);
    if (!worthVisit(seen, left)) {
      return;
    }
    const r = await fetchResult(fetcher, url, depth, signal);
    if (seen === undefined) await results.send(r, signal);
    if (r.kind !== 'found' || left <= 0) {
      return;
    }
    const done = new WaitGroup();
    for (const u of r.page.urls) {
      done.add(1);
      go((async (u: string) => {
        try {
          await crawl(u, depth + 1);
        } finally {
          done.done();
        }
      })(u), signal);
    }
    await done.wait();
  };

  const root = crawl(url, 0).finally(() => results.close()); // TS: no task left, so no result left to come
  try {
    yield* range(results, signal);
  } finally {
    stop.abort();
    await root.catch((error: unknown) => { // TS: a stopped task ends in an aborted send; anything else is a bug
      if (!signal.aborted) throw error;
    });
  }
}

export function makeState(): fetchState {
  return new fetchState();
}
