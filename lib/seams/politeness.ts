// Per-host politeness, beside the global cap in cap.ts: at most `perHost` requests in flight to
// one host, and a minimum time between the starts of two requests to one host.
import Queue from 'yocto-queue';
import { limit } from './cap.js';
import { onAbort, sleep } from '../runtime/abort.js';
import type { Fetcher } from '../types.js';

export interface PolitenessOptions {
  /** At most this many requests in flight to one host (host = name and port). Default: Infinity. */
  perHost?: number;
  /** At least this many milliseconds between the starts of two requests to one host. Default: 0. */
  delayMs?: number;
  /** Where the hosts' slots and next starts are kept when other processes crawl the same hosts. Default: in this process. */
  turns?: HostTurns;
}

/**
 * A host's slots and next-allowed start kept where every process of one crawl sees them (Redis:
 * runtime/redis.ts), each try one atomic step, so the cap and the delay hold across processes.
 */
export interface HostTurns {
  /**
   * One try at a request to `host`: when fewer than `perHost` slots are held and the host's next
   * start has come, takes a slot and resolves to its turn; else to the milliseconds to wait before
   * trying again. With a delay, no other start is allowed until `started` moves the next start
   * `delayMs` on from then: the grant comes some ms before the request is on its way, by a
   * different amount in each process, and a next start counted from the grant let gaps at the
   * server come out short (42-45 ms of 50).
   */
  take(host: string, perHost: number, delayMs: number): Promise<Turn | number>;
}

/** A slot taken from HostTurns: `started` once the request is on its way (with a delay), `done` gives the slot back. */
export interface Turn {
  started?: () => Promise<void>;
  done: () => Promise<void>;
}

/** Each PolitenessOptions default. */
export const politenessDefaults: Required<Omit<PolitenessOptions, 'turns'>> = { perHost: Infinity, delayMs: 0 };

/** The longest Crawl-delay honoured: a robots.txt asking for more gets this much. */
export const maxCrawlDelayMs = 60_000;

interface Host {
  /** The earliest time (performance.now()) the next request to this host may start. */
  next: number;
  delayMs: number;
  /** Requests waiting for their turn, in order; `live` counts those not yet settled. */
  queue: Queue<Waiter>;
  live: number;
  /** The one timer that hands out this host's next turn. */
  timer?: NodeJS.Timeout;
}

interface Waiter {
  host: Host;
  resolve: () => void;
  reject: (reason: unknown) => void;
  settled: boolean;
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
  readonly #turns: HostTurns | undefined;

  constructor(options: PolitenessOptions = {}) {
    const { perHost = politenessDefaults.perHost, delayMs = politenessDefaults.delayMs, turns } = options;
    if (perHost !== Infinity && (!Number.isInteger(perHost) || perHost < 1)) throw new RangeError(`perHost must be a whole number >= 1, got ${perHost}`);
    if (!(delayMs >= 0)) throw new RangeError(`delayMs must be >= 0, got ${delayMs}`);
    this.#perHost = perHost;
    this.#delayMs = delayMs;
    this.#turns = turns;
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

  /**
   * At most `perHost` fetches in flight to one host; the others wait (abortable) for their turn.
   * With `turns`, the cap is this process's share, and each fetch then takes its slot and its start
   * (the delay) from the shared turns in one step, so `spaced` adds nothing.
   */
  capped(fetcher: Fetcher): Fetcher {
    if (this.#turns !== undefined) fetcher = this.#shared(fetcher, this.#turns);
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

  /**
   * Starts to one host spaced by its delay. Waiting requests queue per host and one timer per host
   * hands out the turns; waiters hear an abort through onAbort (one listener per signal: 60,000
   * waiting links once made a 2 s --max-time crawl take 32 s).
   */
  spaced(fetcher: Fetcher): Fetcher {
    if (this.#turns !== undefined) return fetcher; // capped takes the turns
    return {
      fetch: async (url, signal) => {
        const h = this.#host(hostOf(url));
        if (h.delayMs > 0) await this.#turn(h, signal);
        return fetcher.fetch(url, signal);
      },
    };
  }

  /** Each fetch waits for a slot and a start from `turns`, and gives the slot back when it ends. */
  #shared(fetcher: Fetcher, turns: HostTurns): Fetcher {
    return {
      fetch: async (url, signal) => {
        const host = hostOf(url);
        const delayMs = this.delayOf(host);
        if (this.#perHost === Infinity && delayMs === 0) return fetcher.fetch(url, signal);
        let turn = await turns.take(host, this.#perHost, delayMs);
        while (typeof turn === 'number') {
          await sleep(turn, signal);
          turn = await turns.take(host, this.#perHost, delayMs);
        }
        try {
          signal?.throwIfAborted();
          const fetching = fetcher.fetch(url, signal);
          if (turn.started !== undefined) {
            fetching.catch(() => {}); // observed below; a rejection while `started` is awaited is no unhandled one
            await new Promise<void>((resolve) => setImmediate(resolve)); // the fetcher has written its request
            await turn.started();
          }
          return await fetching;
        } finally {
          await turn.done();
        }
      },
    };
  }

  #turn(h: Host, signal: AbortSignal | undefined): Promise<void> | undefined {
    if (signal?.aborted) return Promise.reject(signal.reason as Error); // the Fetcher contract: reject with signal.reason
    const now = performance.now();
    if (h.live === 0 && now >= h.next) {
      h.next = now + h.delayMs;
      return undefined;
    }
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = { host: h, resolve, reject, settled: false };
      h.queue.enqueue(w);
      h.live += 1;
      const off = signal === undefined ? undefined : onAbort(signal, (reason) => this.#abandon(w, reason));
      w.resolve = () => (off?.(), resolve());
      this.#schedule(h);
    });
  }

  /** A waiter whose signal aborted leaves the line; a host nobody waits for keeps no timer. */
  #abandon(w: Waiter, reason: unknown): void {
    if (w.settled) return;
    w.settled = true;
    w.host.live -= 1;
    if (w.host.live === 0) {
      clearTimeout(w.host.timer); // nobody left to wait for: the timer must not hold the process
      w.host.timer = undefined;
    }
    w.reject(reason);
  }

  #schedule(h: Host): void {
    if (h.timer !== undefined || h.live === 0) return;
    h.timer = setTimeout(
      () => {
        h.timer = undefined;
        // Node times a timer from the event loop's cached clock, so it can fire a few ms early.
        if (performance.now() < h.next) return this.#schedule(h);
        let w = h.queue.dequeue();
        while (w !== undefined && w.settled) w = h.queue.dequeue();
        if (w !== undefined) {
          w.settled = true;
          h.live -= 1;
          h.next = performance.now() + h.delayMs;
          w.resolve();
        }
        this.#schedule(h);
      },
      Math.max(0, h.next - performance.now()),
    );
  }

  #host(host: string): Host {
    let h = this.#hosts.get(host);
    if (h === undefined) {
      h = { next: 0, delayMs: this.#delayMs, queue: new Queue(), live: 0 };
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
