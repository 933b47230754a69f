// What a crawl has discovered and reported, one entry per URL: how crawl() reports every URL once,
// and which page discovered each (its parent).
import type { Result } from '../types.js';

/** Marks a URL reported: it was fetched or skipped, and links to it need no more bookkeeping. */
const REPORTED = 0;

/** A failed URL, when referrers are kept, until its line is written: the pages known to link to it. */
class FailedAt {
  constructor(readonly from: string[]) {}
}

/**
 * Every URL discovered, in one map (a large crawl meets each URL several times, so one lookup per
 * link counts): reported, or not yet and then the least depth it was found at and which page
 * discovered it from each depth. That page is the result's parent, so a result at depth d gets a
 * parent at depth d - 1 (the design may have reached it along a longer path than the shortest known).
 */
export class ReportLedger {
  readonly #urls = new Map<string, Discovered | FailedAt | typeof REPORTED>();
  #unreported = 0;

  /**
   * `referrers`: also keep, for each URL not yet reported, every page that links to it, until a
   * failed one's linkedFrom is taken. Off by default: it holds one entry per link.
   */
  constructor(readonly referrers = false) {}

  /** A link from `parent` to `url`, found at `depth`; no parent for a seed given as a start. */
  link(url: string, depth: number, parent: string | undefined): void {
    const d = this.#urls.get(url);
    if (d === REPORTED) return;
    if (d instanceof FailedAt) return void (parent !== undefined && addOnce(d.from, parent));
    if (d === undefined) {
      this.#urls.set(url, { least: depth, depth, parent, next: undefined, from: this.referrers ? (parent === undefined ? [] : [parent]) : undefined });
      this.#unreported += 1;
      return;
    }
    if (d.from !== undefined && parent !== undefined) addOnce(d.from, parent);
    if (depth < d.least) d.least = depth;
    let at: ParentAt = d;
    for (;;) {
      if (at.depth === depth) return;
      if (at.next === undefined) break;
      at = at.next;
    }
    at.next = { depth, parent, next: undefined };
  }

  /** Gives `r` its parent (a fresh result, so it is set in place) and forgets the URL's links. */
  report(r: Result): void {
    const d = this.#urls.get(r.url);
    const failed = this.referrers && r.kind === 'failed';
    this.#urls.set(r.url, failed ? new FailedAt(d === undefined || d === REPORTED || d instanceof FailedAt ? [] : (d.from ?? [])) : REPORTED);
    if (d === undefined || d === REPORTED || d instanceof FailedAt) return;
    this.#unreported -= 1;
    const parent = parentAt(d, r.depth);
    if (parent !== undefined) r.parent = parent;
  }

  /** Whether `url` has been reported. */
  reported(url: string): boolean {
    const d = this.#urls.get(url);
    return d === REPORTED || d instanceof FailedAt;
  }

  /** A link a seam dropped: true when it is to be reported now, the URL being new. */
  dropped(url: string): boolean {
    if (this.#urls.has(url)) return false;
    this.#urls.set(url, REPORTED);
    return true;
  }

  /**
   * The found pages known to link to a failed URL, in the order they were reported (with
   * `referrers`), taken once: the crawl writes its line now, and links met later are not kept.
   */
  linkedFrom(url: string): string[] {
    const d = this.#urls.get(url);
    if (!(d instanceof FailedAt)) return [];
    this.#urls.set(url, REPORTED);
    return d.from;
  }

  /** Discovered within `maxDepth` and not yet reported. */
  pending(maxDepth: number): number {
    if (maxDepth === Infinity) return this.#unreported;
    let n = 0;
    for (const d of this.#urls.values()) if (d !== REPORTED && !(d instanceof FailedAt) && d.least <= maxDepth) n += 1;
    return n;
  }

  /** The URLs never reported, with the least depth each was found at and a parent from there. */
  *unreported(): Generator<[string, number, string | undefined]> {
    for (const [url, d] of this.#urls) if (d !== REPORTED && !(d instanceof FailedAt)) yield [url, d.least, parentAt(d, d.least)];
  }
}

/** A page that links to a URL, from one depth; the next one from another depth. */
interface ParentAt {
  depth: number;
  parent: string | undefined;
  next: ParentAt | undefined;
}

interface Discovered extends ParentAt {
  /** The least depth a link to this URL was found at. */
  least: number;
  /** Every page linking to it, when referrers are kept. */
  from: string[] | undefined;
}

/** A page's links come one after another, so a page linking twice to a URL is the last one listed. */
function addOnce(from: string[], page: string): void {
  if (from[from.length - 1] !== page) from.push(page);
}

export function parentAt(d: ParentAt, depth: number): string | undefined {
  for (let at: ParentAt | undefined = d; at !== undefined; at = at.next) if (at.depth === depth) return at.parent;
  return undefined;
}
