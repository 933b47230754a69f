// The types the three designs share: the Go crawler.go's Fetcher interface, and what a crawl reports.

/** What a fetch found at one URL. The Go Fetch returns only `urls`; the rest is what a report needs. */
export interface Page {
  /** The URL after redirects; the URL asked for when nothing redirected. */
  url: string;
  /** The URLs the page links to, in document order (duplicates kept, as in the Go fixture). */
  urls: string[];
  /** The Go fakeFetcher's `body` (a fixture page's text). */
  body?: string;
  /** The text of an HTML page's <title>, spaces collapsed. */
  title?: string;
  /** HTTP status, when there is one. */
  status?: number;
  /** Content type and size in bytes, when the fetcher knows them. */
  contentType?: string;
  bytes?: number;
  /** The body was cut at the fetcher's byte cap: `urls` are the links before the cut. */
  truncated?: true;
  /** The decoded HTML, only when the fetcher was asked to keep it (HttpOptions.keepBody); see documentOf. */
  html?: string;
  /** The response headers, names lower-cased, only when the fetcher was asked to keep them (HttpOptions.keepHeaders). */
  headers?: Record<string, string | string[]>;
  /** What an extractor took from the page (crawl()'s `extract` option). */
  data?: Record<string, unknown>;
  /** Links a fetcher seam dropped from `urls` (a scope or robots filter), reported as skipped. */
  dropped?: { url: string; reason: SkipReason; detail?: string }[];
}

/**
 * The Go `Fetcher` interface: `Fetch(url string) (urls []string, err error)`.
 * A fetch that fails rejects (Go returns err); one that is aborted rejects with `signal.reason`.
 */
export interface Fetcher {
  fetch(url: string, signal?: AbortSignal): Promise<Page>;
}

interface Reported {
  /** The URL as discovered (the key of the fetched map). */
  url: string;
  /** Hops from the start URL along the path that reached it first (the start, each seed, is depth 0). */
  depth: number;
  /**
   * A page at depth - 1 that links to this URL (for a redirect target, the URL that redirected);
   * for a seed from a sitemap, that sitemap; none for a start. Filled in by crawl(), not by the designs.
   */
  parent?: string;
}

/** When a fetch ran, in milliseconds on performance.now()'s clock. */
interface Ran {
  /** When the request itself started and ended (after any wait for a slot, a delay or robots.txt). */
  start: number;
  end: number;
  /** Milliseconds the fetch waited in the crawl's seams before its request started, when it did wait. */
  wait?: number;
}

/** A fetch that succeeded. The Go fakeFetcher prints `found:   URL` for it. */
export interface Found extends Reported, Ran {
  kind: 'found';
  page: Page;
}

/** A fetch that failed. The Go fakeFetcher prints `missing: URL` for it. */
export interface Failed extends Reported, Ran {
  kind: 'failed';
  error: string;
  status?: number;
  /** The found pages reported before this result that link to its URL, in that order (crawl()'s `linkedFrom` option). */
  linkedFrom?: string[];
  /** For a "redirect loop": the chain from this URL until a URL repeats. */
  chain?: string[];
}

/**
 * Why a discovered URL was not fetched: beyond the depth limit; the crawl was stopped (signal);
 * a page or time limit ended it; outside the crawl's scope; disallowed by robots.txt.
 */
export const skipReasons = ['depth', 'aborted', 'max-pages', 'max-time', 'scope', 'robots'] as const;
export type SkipReason = (typeof skipReasons)[number];

/** A URL that was discovered but not fetched: reported so that nothing a crawl finds is lost. */
export interface Skipped extends Reported {
  kind: 'skipped';
  reason: SkipReason;
  /** More than the reason says, when there is more: robots.txt could not be read, so its whole site is disallowed. */
  detail?: string;
}

/** One line of a crawl's report. Every URL a crawl discovers is reported exactly once. */
export type Result = Found | Failed | Skipped;

/** A crawl's live counts, read by a progress display while it runs. */
export interface CrawlCounts {
  /** URLs fetched, found or failed. */
  done: number;
  /** URLs reported skipped so far (most skipped URLs are reported at the end). */
  skipped: number;
  /** Requests on the wire now (not those waiting for a slot or a delay). */
  inFlight: number;
  /** URLs discovered within the depth limit, neither fetched nor on the wire yet. */
  queued: number;
}

/** Options every design takes. Each enters through a seam, so the design files stay Go-shaped. */
export interface CrawlOptions {
  /**
   * Follow links only this many hops from the start (the start is hop 0). Default: Infinity.
   * A URL first reached along a long path is re-expanded, without a second fetch, when a shorter
   * path reaches it later, so every design fetches exactly the URLs within maxDepth hops.
   */
  maxDepth?: number;
  /** Stop: no new fetch starts, fetches in flight are aborted, the generator returns. */
  signal?: AbortSignal;
}
