// A progress line on stderr while a crawl runs, redrawn in place; only when stderr is a terminal,
// so logs and pipes get nothing but the results and the summary.
import type { CrawlCounts } from '../types.js';

/** Where the line goes: process.stderr, or anything with `write` (and `isTTY` when it is a terminal). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  /** Redraw every this many milliseconds. Default: 250. */
  intervalMs?: number;
  /** Draw even when the stream is not a terminal (tests), or never (false). Default: its isTTY. */
  enabled?: boolean;
  /** The clock, in milliseconds. Default: performance.now. */
  now?: () => number;
}

/**
 * Hand `watch` to crawl() (its `watch` option) and call `stop` when the crawl ends, before printing
 * anything else: `stop` erases the line so the summary starts on a clean one.
 */
export class Progress {
  readonly enabled: boolean;
  readonly #out: ProgressStream;
  readonly #intervalMs: number;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #drawn = false;

  constructor(out: ProgressStream, options: ProgressOptions = {}) {
    this.#out = out;
    this.enabled = options.enabled ?? out.isTTY === true;
    this.#intervalMs = options.intervalMs ?? 250;
    this.#now = options.now ?? (() => performance.now());
  }

  readonly watch = (counts: () => CrawlCounts): void => {
    if (!this.enabled || this.#timer !== undefined) return;
    const t0 = this.#now();
    this.#timer = setInterval(() => {
      this.#out.write(`\r${progressLine(counts(), this.#now() - t0)}\x1b[K`);
      this.#drawn = true;
    }, this.#intervalMs);
    this.#timer.unref(); // a progress line never keeps a finished crawl alive
  };

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#drawn) this.#out.write('\r\x1b[K');
    this.#drawn = false;
  }
}

/** `done 120  in flight 8  queued 340  skipped 3  52.1 pages/s` */
export function progressLine(c: CrawlCounts, elapsedMs: number): string {
  const rate = c.done / (Math.max(elapsedMs, 1) / 1000);
  return `done ${c.done}  in flight ${c.inFlight}  queued ${c.queued}  skipped ${c.skipped}  ${rate.toFixed(1)} pages/s`;
}
