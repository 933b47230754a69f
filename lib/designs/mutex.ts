// Concurrent crawler with shared state and Mutex (Go: crawler.go, fetchState and ConcurrentMutex).
import { funnelBuffer } from '../runtime/chan.js';
import { funnel } from '../runtime/funnel.js';
import { go } from '../runtime/go.js';
import { Mutex, WaitGroup } from '../runtime/sync.js';
import type { CrawlOptions, Fetcher, Result } from '../types.js';
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

// TS: the tasks send their results to the generator, which the caller iterates.
export function ConcurrentMutex(url: string, fetcher: Fetcher, fs = makeState(), options: CrawlOptions = {}): AsyncGenerator<Result> {
  return funnel<Result>(options.signal, funnelBuffer, (results, signal) => {
    const concurrentMutex = async (url: string, depth: number): Promise<void> => {
      const left = depthLeft(options, depth);
      const seen = await fs.testAndSet(url, left);
      if (!worthVisit(seen, left)) {
        return;
      }
      const r = await fetchResult(fetcher, url, depth, signal);
      if (seen === undefined) await results.send(r); // TS: a shorter path re-expands a page silently
      if (r.kind !== 'found' || left <= 0) {
        return;
      }
      const done = new WaitGroup();
      for (const u of r.page.urls) {
        done.add(1);
        go((async (u: string) => {
          try {
            await concurrentMutex(u, depth + 1);
          } finally {
            done.done();
          }
        })(u), signal);
      }
      await done.wait();
    };
    return concurrentMutex(url, 0);
  });
}

export function makeState(): fetchState {
  return new fetchState();
}
