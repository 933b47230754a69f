// Test doubles around the Fetcher interface: count calls, watch what is in flight.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Fixture } from '../../lib/fixture/fixture.js';
import type { Fetcher, Page } from '../../lib/types.js';

/** Wraps a fetcher and records every call: how often each URL was fetched, and what is in flight. */
export class CountingFetcher implements Fetcher {
  calls = new Map<string, number>();
  inFlight = 0;
  maxInFlight = 0;
  started = 0;
  /** Fetches that ended with an answer, a page or an error of their own (not a stop). */
  answered = 0;

  constructor(readonly inner: Fetcher) {}

  async fetch(url: string, signal?: AbortSignal): Promise<Page> {
    this.calls.set(url, (this.calls.get(url) ?? 0) + 1);
    this.started += 1;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const page = await this.inner.fetch(url, signal);
      this.answered += 1;
      return page;
    } catch (error) {
      if (!signal?.aborted) this.answered += 1;
      throw error;
    } finally {
      this.inFlight -= 1;
    }
  }

  /** URLs fetched more than once. */
  repeats(): string[] {
    return [...this.calls].filter(([, n]) => n > 1).map(([u]) => u);
  }
}

/** A fetcher whose answers come from a function, after `ms` of (abortable) latency. */
export function fetcherOf(answer: (url: string) => Page | Promise<Page>, ms = 0): Fetcher {
  return {
    async fetch(url, signal) {
      if (ms > 0) await sleep(ms, undefined, { signal });
      return answer(url);
    },
  };
}

/** The URLs reachable from `start` within `maxDepth` hops, found pages and missing ones. */
export function reachable(fixture: Fixture, start: string, maxDepth = Infinity): Map<string, number> {
  const dist = new Map([[start, 0]]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const url = queue[i]!;
    const d = dist.get(url)!;
    const page = Object.hasOwn(fixture.pages, url) ? fixture.pages[url] : undefined;
    if (page === undefined || d >= maxDepth) continue;
    for (const u of page.urls) {
      if (dist.has(u)) continue;
      dist.set(u, d + 1);
      queue.push(u);
    }
  }
  return dist;
}

/** Collects an async generator's values. */
export async function collect<T>(gen: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
}
