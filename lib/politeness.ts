// Per-host politeness, beside the global cap in limit.ts: at most `perHost` requests in flight to
// one host, and a minimum time between the starts of two requests to one host.
import { setTimeout as sleep } from 'node:timers/promises';
import { limit } from './limit.js';
import type { Fetcher } from './types.js';

export interface PolitenessOptions {
  /** At most this many requests in flight to one host (host = name and port). Default: Infinity. */
  perHost?: number;
  /** At least this many milliseconds between the starts of two requests to one host. Default: 0. */
  delayMs?: number;
}

/** The longest Crawl-delay honoured: a robots.txt asking for more gets this much. */
export const maxCrawlDelayMs = 60_000;

interface Host {
  /** The earliest time (performance.now()) the next request to this host may start. */
  next: number;
  delayMs: number;
}

/**
 * The per-host state of one crawl, and the two seams it feeds. They go on either side of the
 * global cap: `capped(limit(spaced(fetcher), k))`. The host cap is outside, so a request waiting
 * for its host holds no global slot; the spacing is inside, right before the request starts, so
 * waiting for a global slot cannot bunch up the starts that the spacing has spread out.
 */
export class Politeness {
  readonly #hosts = new Map<string, Host>();
  readonly #perHost: number;
  readonly #delayMs: number;

  constructor(options: PolitenessOptions = {}) {
    const { perHost = Infinity, delayMs = 0 } = options;
    if (perHost !== Infinity && (!Number.isInteger(perHost) || perHost < 1)) throw new RangeError(`perHost must be a whole number >= 1, got ${perHost}`);
    if (!(delayMs >= 0)) throw new RangeError(`delayMs must be >= 0, got ${delayMs}`);
    this.#perHost = perHost;
    this.#delayMs = delayMs;
  }

  /** A host's robots.txt asked for a Crawl-delay: the delay for that host becomes the larger one. */
  crawlDelay(host: string, seconds: number): void {
    if (!(seconds > 0)) return;
    const h = this.#host(host);
    h.delayMs = Math.max(h.delayMs, Math.min(seconds * 1000, maxCrawlDelayMs));
  }

  /** The delay in force for a host, in milliseconds. */
  delayOf(host: string): number {
    return this.#host(host).delayMs;
  }

  /** At most `perHost` fetches in flight to one host; the others wait (abortable) for their turn. */
  capped(fetcher: Fetcher): Fetcher {
    if (this.#perHost === Infinity) return fetcher;
    const hosts = new Map<string, Fetcher>(); // one concurrency cap per host
    return {
      fetch: (url, signal) => {
        const host = hostOf(url);
        let capped = hosts.get(host);
        if (capped === undefined) hosts.set(host, (capped = limit(fetcher, this.#perHost)));
        return capped.fetch(url, signal);
      },
    };
  }

  /** Starts to one host spaced by its delay: each fetch takes the next free time and sleeps until it. */
  spaced(fetcher: Fetcher): Fetcher {
    return {
      fetch: async (url, signal) => {
        const h = this.#host(hostOf(url));
        if (h.delayMs > 0) {
          const now = performance.now();
          const at = Math.max(now, h.next);
          h.next = at + h.delayMs;
          if (at > now) await sleep(at - now, undefined, { signal }).catch((error: unknown) => {
            signal?.throwIfAborted(); // the Fetcher contract: an aborted fetch rejects with signal.reason
            throw error;
          });
        }
        return fetcher.fetch(url, signal);
      },
    };
  }

  #host(host: string): Host {
    let h = this.#hosts.get(host);
    if (h === undefined) {
      h = { next: 0, delayMs: this.#delayMs };
      this.#hosts.set(host, h);
    }
    return h;
  }
}

/** The host (name and port) a URL's requests go to; the whole string when it is not a URL. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
