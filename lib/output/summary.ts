// The one line a crawl of a site ends with on stderr: what it did, and how fast.
import type { Result } from '../types.js';

export class Summary {
  ok = 0;
  failed = 0;
  skipped = 0;
  bytes = 0;
  /** Notes some skipped URLs carry, once each, with their origin: `http://h:1 robots.txt unreadable (...)`. */
  readonly notes = new Set<string>();

  add(r: Result): void {
    if (r.kind === 'found') {
      this.ok += 1;
      this.bytes += r.page.bytes ?? 0;
    } else if (r.kind === 'failed') this.failed += 1;
    else {
      this.skipped += 1;
      if (r.detail !== undefined) this.notes.add(`${originOf(r.url)} ${r.detail}`);
    }
  }

  /** `chancrawl: 12 ok, 1 failed, 3 skipped, 48.2 kB in 1.52 s, 8.6 pages/s` (pages: fetches, ok or failed). */
  line(elapsedMs: number): string {
    const seconds = Math.max(elapsedMs, 1) / 1000;
    const rate = (this.ok + this.failed) / seconds;
    const notes = [...this.notes].map((note) => `; ${note}`).join('');
    return `chancrawl: ${this.ok} ok, ${this.failed} failed, ${this.skipped} skipped, ${size(this.bytes)} in ${seconds.toFixed(2)} s, ${rate.toFixed(1)} pages/s${notes}`;
  }
}

function size(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** `http://host:port` of a reported URL (the URL itself if it does not parse); output/ sits below fetchers/, so not normalize.ts's. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
