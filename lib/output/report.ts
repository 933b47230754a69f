// How results are printed: the Go fakeFetcher's lines, or one JSON object per result.
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

/** Batches lines into large writes: one write per line costs more than the crawl itself. */
export class LineWriter {
  #buffer = '';
  constructor(readonly write: (chunk: string) => void, readonly limit = 1 << 16) {}

  line(text: string): void {
    this.#buffer += `${text}\n`;
    if (this.#buffer.length >= this.limit) this.flush();
  }

  flush(): void {
    if (this.#buffer) this.write(this.#buffer);
    this.#buffer = '';
  }
}
