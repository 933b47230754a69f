// Resuming a stopped crawl from its jsonl report: the pages it fetched are answered from the
// report instead of the network, and crawl() leaves out of the new report every URL the old one
// settled. The designs see only a fetcher that is fast for the pages already known.
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { Fetcher, Page, SkipReason } from '../types.js';

/** Skip reasons a later run settles again: a stop or a limit, and depth (a stop may have hidden a shorter path). */
const reopened: ReadonlySet<SkipReason> = new Set<SkipReason>(['aborted', 'max-pages', 'max-time', 'depth']);

// Only the fields a resume reads; the rest of a report line is left alone.
const Line = z.object({
  url: z.string(),
  outcome: z.enum(['found', 'failed', 'skipped']),
  finalUrl: z.string().optional(),
  urls: z.array(z.string()).optional(),
  reason: z.string().optional(),
  status: z.number().optional(),
  error: z.string().optional(),
});

type Settled = { kind: 'found'; page: Page } | { kind: 'failed'; error: string; status?: number } | { kind: 'skipped' };

/** Thrown by a replayed fetch of a page that failed before: the same message and status. */
class ReplayedFailure extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * What earlier runs of a crawl settled, from their reports in order (a later line for a URL wins,
 * so a resumed run's report can be added after the first). A URL reported skipped for a stop, a
 * limit or depth stays open: the new run reports it again.
 */
export class Resume {
  readonly #settled = new Map<string, Settled>();
  /** The first report's depth-0 URL: the crawl's start. */
  start: string | undefined;

  /** Adds one report's text; `name` says where it came from in an error. A cut last line is left out. */
  add(text: string, name: string): this {
    const lines = text.split('\n');
    if (!text.endsWith('\n')) lines.pop(); // a process killed mid-write: read up to its last whole line
    for (const [i, text] of lines.entries()) {
      if (text.trim() === '') continue;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new InputError(`--resume ${name}: line ${i + 1} is not JSON (a resume reads a --format jsonl report)`);
      }
      const parsed = Line.safeParse(json);
      if (!parsed.success)
        throw new InputError(
          `--resume ${name}: line ${i + 1} is not a chancrawl result: ${parsed.error.issues[0]!.path.join('.')} ${parsed.error.issues[0]!.message}`,
        );
      const l = parsed.data;
      if ((json as { depth?: unknown }).depth === 0) this.start ??= l.url;
      if (l.outcome === 'found') this.#settled.set(l.url, { kind: 'found', page: { url: l.finalUrl ?? l.url, urls: l.urls ?? [], status: l.status } });
      else if (l.outcome === 'failed') this.#settled.set(l.url, { kind: 'failed', error: l.error ?? 'failed', status: l.status });
      else if (reopened.has(l.reason as SkipReason)) this.#settled.delete(l.url);
      else this.#settled.set(l.url, { kind: 'skipped' });
    }
    return this;
  }

  /** True when an earlier report settled `url`: the new report leaves it out. */
  settled(url: string): boolean {
    return this.#settled.has(url);
  }

  /** URLs settled so far. */
  get size(): number {
    return this.#settled.size;
  }

  /**
   * The outermost fetcher seam: a page fetched before is answered from the report (its links, or
   * its failure), with no slot, delay or page-limit count; every other URL goes to `fetcher`.
   */
  replay(fetcher: Fetcher): Fetcher {
    const settled = this.#settled;
    return {
      fetch(url, signal) {
        const s = settled.get(url);
        if (s?.kind === 'found') return Promise.resolve(s.page);
        if (s?.kind === 'failed') return Promise.reject(new ReplayedFailure(s.error, s.status));
        return fetcher.fetch(url, signal);
      },
    };
  }
}
