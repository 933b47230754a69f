// How results are printed: the Go fakeFetcher's lines, or one JSON object per result.
import { OutputError } from '../errors.js';
import type { Result } from '../types.js';

export const formats = ['go', 'jsonl'] as const;
export type Format = (typeof formats)[number];

/** The Go fakeFetcher's line for a fetch (`found:   URL`, `missing: URL`); skipped URLs print nothing. */
export function goLine(r: Result): string | undefined {
  if (r.kind === 'found') return `found:   ${r.url}`;
  if (r.kind === 'failed') return `missing: ${r.url}`;
  return undefined;
}

/** One JSON object per result. Times are milliseconds from the start of the crawl. */
export function jsonLine(r: Result, t0: number): string {
  switch (r.kind) {
    case 'found': {
      const { url, urls, body, status, contentType, bytes } = r.page;
      const finalUrl = url === r.url ? undefined : url;
      return JSON.stringify({ url: r.url, outcome: 'found', depth: r.depth, parent: r.parent, finalUrl, status, contentType, bytes, body, links: urls.length, urls, startMs: ms(r.start - t0), endMs: ms(r.end - t0) });
    }
    case 'failed':
      return JSON.stringify({ url: r.url, outcome: 'failed', depth: r.depth, parent: r.parent, status: r.status, error: r.error, startMs: ms(r.start - t0), endMs: ms(r.end - t0) });
    case 'skipped':
      return JSON.stringify({ url: r.url, outcome: 'skipped', depth: r.depth, parent: r.parent, reason: r.reason });
  }
}

const ms = (t: number) => Math.round(t * 1000) / 1000;

/**
 * Batches lines into large writes: one write per line costs more than the crawl itself. A batch
 * is written when it reaches `limit` characters or `maxDelayMs` after its first line, whichever
 * comes first, so a slow crawl's lines still arrive as they happen (`| head -1` sees its line).
 */
export class LineWriter {
  #buffer = '';
  #timer: NodeJS.Timeout | undefined;
  constructor(
    readonly write: (chunk: string) => void,
    readonly limit = 1 << 16,
    readonly maxDelayMs = 50,
  ) {}

  line(text: string): void {
    this.#buffer += `${text}\n`;
    if (this.#buffer.length >= this.limit) this.flush();
    // unref: a batch waiting for its time never keeps the process alive; the caller's last flush() writes it.
    else this.#timer ??= setTimeout(() => this.flush(), this.maxDelayMs).unref();
  }

  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#buffer) this.write(this.#buffer);
    this.#buffer = '';
  }
}

/**
 * An output stream's first write error (ENOSPC on a full disk, EPIPE when the reader left), as a
 * signal that stops whatever writes to it: nobody reads the rest. Listening also keeps the error
 * from crashing Node, as an 'error' event nobody listens to does.
 */
export class WatchedOutput {
  readonly #failed = new AbortController();

  constructor(
    readonly name: string,
    readonly stream: NodeJS.WritableStream,
  ) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (!this.#failed.signal.aborted) this.#failed.abort(error);
    });
  }

  /** Aborted, with the error as its reason, at the first write error. */
  get signal(): AbortSignal {
    return this.#failed.signal;
  }

  /** Resolves once every write so far has ended (a write's error arrives after the write returns). */
  settled(): Promise<void> {
    return new Promise((resolve) => this.stream.write('', () => resolve()));
  }

  /** Throws the first write error as an OutputError, if there was one. */
  check(): void {
    if (!this.#failed.signal.aborted) return;
    const error = this.#failed.signal.reason as NodeJS.ErrnoException;
    const why = error.code === undefined ? error.message : `${error.code} (${/^E\w+: (.*?)(, \w+)?$/.exec(error.message)?.[1] ?? error.message})`;
    throw new OutputError(this.name, error.code, why);
  }
}
