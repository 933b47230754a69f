// Redirect loops: a redirect is a page linking to its target (lib/fetchers/http.ts), so a loop ends
// by itself in the designs' fetched maps; this seam in crawl() holds each redirect's result until
// its chain ends, and reports every URL of a chain that comes back on itself failed, "redirect loop".
import type { Failed, Found, Result } from '../types.js';

/**
 * Holds back the result of a redirect (a found 3xx page with its one link, the target) until the
 * target has an outcome of its own: then it is reported as it came. A chain that reaches a URL
 * already in it is a loop: each of its URLs, and each held redirect leading into it, is reported
 * failed "redirect loop" with its chain (a self-redirect is a loop of one). Results that are not
 * redirects pass at once.
 */
export class RedirectChains {
  /** Redirects whose chain has not ended, by URL. */
  readonly #held = new Map<string, Found>();
  /** Target -> the held redirects to it. */
  readonly #waiting = new Map<string, string[]>();
  /** URLs reported "redirect loop", with their chain. */
  readonly #looped = new Map<string, string[]>();

  /** `reported(url)`: the crawl has had a result for `url` (this seam may still hold it). */
  constructor(private readonly reported: (url: string) => boolean) {}

  /** What to report now that `r` has come: `r` unless held, and the held results its outcome settles. */
  report(r: Result): Result[] {
    const target = redirectTarget(r);
    if (target === undefined) return [r, ...this.#release(r.url)];
    const found = r as Found;
    if (target === r.url) return this.#fail(found, [r.url, r.url]);
    const loop = this.#looped.get(target);
    if (loop !== undefined) return this.#fail(found, [r.url, ...loop]);
    if (!this.#held.has(target) && this.reported(target)) return [r, ...this.#release(r.url)];
    this.#held.set(r.url, found);
    this.#waiting.set(target, [...(this.#waiting.get(target) ?? []), r.url]);
    // Does the chain from the target come back here?
    const chain = [r.url];
    for (let at = target; ;) {
      chain.push(at);
      if (at === r.url) break;
      const next = this.#held.get(at);
      if (next === undefined) return []; // the chain goes on past what has been fetched so far
      at = redirectTarget(next)!;
    }
    // A loop: its members fail first, each with the chain from itself, then what leads into them.
    const members = chain.slice(0, -1).map((url) => this.#held.get(url)!);
    for (const m of members) this.#held.delete(m.url);
    return members.flatMap((m, i) => this.#fail(m, [...chain.slice(i), ...chain.slice(1, i + 1)]));
  }

  /** Every redirect still held, as it came: what the crawl ends with before its skipped URLs. */
  rest(): Result[] {
    const out = [...this.#held.values()];
    this.#held.clear();
    this.#waiting.clear();
    return out;
  }

  /** The held redirects whose chain ends now that `url` has an outcome, in chain order back from it. */
  #release(url: string): Result[] {
    const out: Result[] = [];
    const ends = [url];
    for (let end; (end = ends.pop()) !== undefined;) {
      for (const from of this.#waiting.get(end) ?? []) {
        const held = this.#held.get(from);
        if (held === undefined) continue;
        this.#held.delete(from);
        out.push(held);
        ends.push(from);
      }
      this.#waiting.delete(end);
    }
    return out;
  }

  /** `r` failed as a loop, and the held redirects that lead into it. */
  #fail(r: Found, chain: string[]): Failed[] {
    const out: Failed[] = [];
    const failing: [Found, string[]][] = [[r, chain]];
    for (let next; (next = failing.pop()) !== undefined;) {
      const [found, chain] = next;
      this.#held.delete(found.url);
      this.#looped.set(found.url, chain);
      const failed: Failed = {
        kind: 'failed',
        url: found.url,
        depth: found.depth,
        error: 'redirect loop',
        status: found.page.status,
        chain,
        start: found.start,
        end: found.end,
      };
      if (found.parent !== undefined) failed.parent = found.parent;
      out.push(failed);
      for (const from of this.#waiting.get(found.url) ?? []) {
        const held = this.#held.get(from);
        if (held !== undefined) failing.push([held, [from, ...chain]]);
      }
      this.#waiting.delete(found.url);
    }
    return out;
  }
}

/** The target of a redirect result: a found 3xx page whose one link is where it points. */
function redirectTarget(r: Result): string | undefined {
  if (r.kind !== 'found' || r.page.status === undefined || r.page.status < 300 || r.page.status >= 400) return undefined;
  return r.page.urls.length === 1 ? r.page.urls[0] : undefined;
}
