// How results are printed: the Go fakeFetcher's lines, one JSON object per result, or CSV rows.
import { OutputError } from '../errors.js';
import type { Result } from '../types.js';
import { csvColumns, type ReportLine } from './schema.js';

export const formats = ['go', 'jsonl', 'csv'] as const;
export type Format = (typeof formats)[number];

/** The Go fakeFetcher's line for a fetch (`found:   URL`, `missing: URL`); skipped URLs print nothing. */
export function goLine(r: Result): string | undefined {
  if (r.kind === 'found') return `found:   ${r.url}`;
  if (r.kind === 'failed') return `missing: ${r.url}`;
  return undefined;
}

/** A result as its jsonl object (schema.ts). Times are milliseconds from `t0`, the start of the crawl. */
export function reportLine(r: Result, t0: number): ReportLine {
  const reported = { url: r.url, depth: r.depth, parent: r.parent };
  switch (r.kind) {
    case 'found': {
      const { url, urls, title, body, status, contentType, bytes, truncated, data } = r.page;
      const finalUrl = url === r.url ? undefined : url;
      return {
        ...reported,
        outcome: 'found',
        finalUrl,
        status,
        contentType,
        bytes,
        truncated,
        title,
        body,
        links: urls.length,
        urls: [...new Set(urls)],
        data,
        ...ran(r, t0),
      };
    }
    case 'failed':
      return { ...reported, outcome: 'failed', status: r.status, error: r.error, chain: r.chain, linkedFrom: r.linkedFrom ?? [], ...ran(r, t0) };
    case 'skipped':
      return { ...reported, outcome: 'skipped', reason: r.reason, ...(r.detail === undefined ? {} : { detail: r.detail }) };
  }
}

/** One JSON object per result. */
export function jsonLine(r: Result, t0: number): string {
  return JSON.stringify(reportLine(r, t0));
}

/** The header line of `--format csv`. */
export const csvHeader = csvColumns.join(',');

/** One CSV row per result (RFC 4180 quoting), in csvColumns' order. */
export function csvLine(r: Result, t0: number): string {
  const line: Partial<Record<(typeof csvColumns)[number], unknown>> = reportLine(r, t0);
  return csvColumns.map((column) => csvCell(column === 'linkedFrom' ? (line.linkedFrom as string[] | undefined)?.join(' ') : line[column])).join(',');
}

function csvCell(value: unknown): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function ran(r: { start: number; end: number; wait?: number }, t0: number): { start: number; end: number; wait?: number } {
  return { start: ms(r.start - t0), end: ms(r.end - t0), wait: r.wait === undefined || r.wait <= 0 ? undefined : ms(r.wait) };
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
