// A progress line on stderr while a crawl runs, redrawn in place; only when stderr is a terminal,
// so logs and pipes get nothing but the results and the summary. The line fits the terminal's
// width, is drawn again when the terminal is resized, and steps aside for report lines written to
// the same terminal (interleave), so that neither is glued to the other.
import { fstatSync } from 'node:fs';
import { isatty } from 'node:tty';
import type { CrawlCounts } from '../types.js';

/** Where the line goes: process.stderr, or anything with `write` (and `isTTY`, `columns` and 'resize' events when it is a terminal). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** The terminal's width; read at each redraw. */
  columns?: number;
  on?(event: 'resize', listener: () => void): unknown;
  off?(event: 'resize', listener: () => void): unknown;
}

export interface ProgressOptions {
  /** Redraw every this many milliseconds. Default: 250. */
  intervalMs?: number;
  /** Draw even when the stream is not a terminal (tests), or never (false). Default: its isTTY. */
  enabled?: boolean;
  /** The clock, in milliseconds. Default: performance.now. */
  now?: () => number;
}

const eraseRight = '\x1b[K'; // ANSI EL: erase from the cursor to the end of the line
const eraseBelow = '\x1b[J'; // ANSI ED: erase from the cursor to the end of the screen

/**
 * Hand `watch` to crawl() (its `watch` option) and call `stop` when the crawl ends, before printing
 * anything else: `stop` erases the line so the summary starts on a clean one. Output written to the
 * same terminal while the line shows goes through `interleave`.
 */
export class Progress {
  readonly enabled: boolean;
  readonly #out: ProgressStream;
  readonly #intervalMs: number;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #counts: (() => CrawlCounts) | undefined;
  #t0 = 0;
  /** The line on the screen now ('' when none): its length says how many rows a narrower terminal wrapped it into. */
  #shown = '';
  readonly #onResize = (): void => this.#draw();

  constructor(out: ProgressStream, options: ProgressOptions = {}) {
    this.#out = out;
    this.enabled = options.enabled ?? out.isTTY === true;
    this.#intervalMs = options.intervalMs ?? 250;
    this.#now = options.now ?? (() => performance.now());
  }

  readonly watch = (counts: () => CrawlCounts): void => {
    if (!this.enabled || this.#timer !== undefined) return;
    this.#counts = counts;
    this.#t0 = this.#now();
    this.#timer = setInterval(() => this.#draw(), this.#intervalMs);
    this.#timer.unref(); // a progress line never keeps a finished crawl alive
    this.#out.on?.('resize', this.#onResize);
  };

  /** Runs `write` (which writes to the line's terminal) with the line erased, then draws the line again below what it wrote. */
  interleave(write: () => void): void {
    if (this.#shown === '') return write();
    this.#out.write(this.#erase());
    this.#shown = '';
    write();
    this.#draw();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#out.off?.('resize', this.#onResize);
    if (this.#shown !== '') this.#out.write(this.#erase());
    this.#shown = '';
    this.#counts = undefined;
  }

  #draw(): void {
    if (this.#counts === undefined) return;
    const line = progressLine(this.#counts(), this.#now() - this.#t0, this.#out.columns);
    this.#out.write(`${this.#rows() > 1 ? this.#erase() : '\r'}${line}${eraseRight}`);
    this.#shown = line === '' ? ' ' : line; // an empty line at 1 column is still a line drawn
  }

  /**
   * Back to the start of the line shown, and clear it. A terminal that was made narrower than the
   * line reflows it onto several rows, the cursor on the last (tmux does, spec/progress.spec.ts
   * sees it; xterm cuts the line instead, and there this erases as many rows above it): go up to
   * the first row and clear to the end of the screen.
   */
  #erase(): string {
    const rows = this.#rows();
    return rows > 1 ? `\x1b[${rows - 1}A\r${eraseBelow}` : `\r${eraseRight}`;
  }

  /** The rows the line shown takes at the terminal's width now (1 when the width is unknown). */
  #rows(): number {
    const columns = this.#out.columns ?? 0;
    return columns > 0 ? Math.max(1, Math.ceil(this.#shown.length / columns)) : 1;
  }
}

/**
 * `done 120  in flight 8  queued 340  skipped 3  52.1 pages/s`, fitted into `columns - 1` characters
 * when a width is given (the last column is left free: a line that fills it makes some terminals
 * wrap): spaces close up, then the least telling counts drop (skipped, in flight, rate, queued),
 * and at the last the line is cut.
 */
export function progressLine(c: CrawlCounts, elapsedMs: number, columns?: number): string {
  const rate = (c.done / (Math.max(elapsedMs, 1) / 1000)).toFixed(1);
  const full = `done ${c.done}  in flight ${c.inFlight}  queued ${c.queued}  skipped ${c.skipped}  ${rate} pages/s`;
  if (columns === undefined || columns <= 0 || full.length < columns) return full;
  const room = columns - 1;
  const fields = {
    done: `done ${c.done}`,
    inFlight: `in flight ${c.inFlight}`,
    queued: `queued ${c.queued}`,
    skipped: `skipped ${c.skipped}`,
    rate: `${rate}/s`,
  };
  const tries = [
    [fields.done, fields.inFlight, fields.queued, fields.skipped, fields.rate],
    [fields.done, fields.inFlight, fields.queued, fields.rate],
    [fields.done, fields.queued, fields.rate],
    [fields.done, fields.queued],
    [fields.done],
  ];
  for (const parts of tries) {
    const line = parts.join(' ');
    if (line.length <= room) return line;
  }
  return fields.done.slice(0, room);
}

/** True when file descriptors `a` and `b` are one terminal (stdout and stderr both on the screen), so that their lines share it. */
export function sameTerminal(a: number, b: number): boolean {
  try {
    return isatty(a) && isatty(b) && fstatSync(a).rdev === fstatSync(b).rdev;
  } catch {
    return false; // a closed descriptor shares nothing
  }
}
