// Crawling a real site, as the CLI does: one entry point with the CLI's safe defaults (the start's
// origin only, robots.txt obeyed, 8 requests in flight per host, 16 in all) that releases every
// socket when the crawl ends or is left early. The CLI builds its site crawls from these too.
import { crawl, type CrawlerOptions } from './crawl.js';
import { InputError } from './errors.js';
import type { HttpFetcher, HttpOptions } from './fetchers/http.js';
import { httpDefaults } from './fetchers/http-defaults.js';
import { normalizeUrl } from './fetchers/normalize.js';
import type { ScopeOptions } from './seams/scope.js';
import type { Scope } from './seams/scopes.js';
import { robotsSitemaps, seedRoots, type Seed } from './seams/seeds.js';
import type { Fetcher, Result } from './types.js';

export interface SiteOptions extends Omit<CrawlerOptions, 'scope' | 'robots'>, Omit<HttpOptions, 'checkOnly'> {
  /**
   * Which links to follow, judged against the start URL: same scheme, host and port ('origin');
   * same host name ('host'); same registrable domain by the public suffix list ('domain'); any
   * http(s) URL ('any'). Links left out are reported skipped 'scope'. Default: 'origin'.
   */
  scope?: Scope;
  /** Follow only URLs that match one of these (tested on the whole URL, unanchored). Default: all in scope. */
  include?: RegExp[];
  /** Never follow URLs that match one of these. Default: none. */
  exclude?: RegExp[];
  /** Request links off the site (HEAD, GET when refused) to report them found or failed, without following them. Default: false. */
  checkExternal?: boolean;
  /** Obey robots.txt: its disallowed URLs are reported skipped 'robots', its Crawl-delay spaces requests. Default: true. */
  robots?: boolean;
  /**
   * Fetch with this instead of an HttpFetcher made from these options (which crawlSite closes when
   * the crawl ends); a fetcher you bring, you close. Default: `new HttpFetcher(options)`.
   */
  fetcher?: Fetcher;
  /**
   * More seeds, from sitemaps: each a sitemap's URL (XML or text, gzipped or not; an index's sitemaps are
   * read in turn, 2 levels down at most), a robots.txt URL for its Sitemap lines, or 'robots' for
   * the robots.txt of each start URL's origin. They are read before the crawl, robots.txt rules
   * aside, with the fetcher's options; at most 50,000 URLs and 50 MB are read of one file. Each
   * <loc> is crawled from depth 0 when in scope, the sitemap's site counting as the crawl's, and
   * reported with the sitemap as its parent; a sitemap that cannot be read (an HTTP error, a network
   * failure, not a sitemap) is reported failed, and the crawl goes on (a robots.txt answering 4xx
   * just has no Sitemap lines). Default: none.
   */
  sitemaps?: readonly string[];
}

/** Each default of a site crawl that crawl() does not share (the CLI's --help shows these; Scrapy's per-domain cap is 8 too). */
export const siteDefaults = { scope: 'origin', robots: true, checkExternal: false, perHost: 8, concurrency: 16 } as const satisfies SiteOptions;

/** The HttpOptions keys of a SiteOptions, the rest being crawl()'s: an HttpOptions key left out here fails to compile. */
const httpKeys: Record<Exclude<keyof HttpOptions, 'checkOnly'>, true> = {
  ...(Object.fromEntries(Object.keys(httpDefaults).map((key) => [key, true])) as Record<keyof typeof httpDefaults, true>),
  normalize: true,
  auth: true,
  headers: true,
  headersFor: true,
};

/** The scope a site crawl is judged by: each option given, else its default. */
export function siteScope(options: Pick<SiteOptions, 'scope' | 'include' | 'exclude' | 'checkExternal'>): ScopeOptions {
  const { scope = siteDefaults.scope, include = [], exclude = [], checkExternal = siteDefaults.checkExternal } = options;
  return { scope, include, exclude, checkExternal };
}

/** A SiteOptions split into the fetcher's options and crawl()'s, with the site defaults filled in. */
export function siteOptions(start: string, options: SiteOptions): { http: HttpOptions; crawl: CrawlerOptions } {
  const { scope, include, exclude, checkExternal, robots = siteDefaults.robots, ...rest } = options;
  delete rest.fetcher;
  delete rest.sitemaps;
  const http: Record<string, unknown> = {};
  const crawlOptions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) (Object.hasOwn(httpKeys, key) ? http : crawlOptions)[key] = value;
  const { userAgent, auth } = http as HttpOptions;
  return {
    http,
    crawl: {
      perHost: siteDefaults.perHost,
      concurrency: siteDefaults.concurrency,
      ...crawlOptions,
      scope: siteScope({ scope, include, exclude, checkExternal }),
      ...(robots ? { robots: { ...(userAgent === undefined ? {} : { userAgent }), ...(auth === undefined ? {} : { auth }) } } : {}),
    },
  };
}

/** The start URL in the normal form every link takes (so it is not fetched twice); not http(s) is bad input. */
export function siteStart(startUrl: string, options: Pick<SiteOptions, 'normalize'> = {}): string {
  const start = normalizeUrl(startUrl.trim(), options.normalize);
  if (start === undefined) throw new InputError(`not an http(s) URL: ${JSON.stringify(startUrl)}`);
  return start;
}

/**
 * The seeds of a site crawl: the start URLs (see siteStart), then the seeds their sitemaps give
 * (see SiteOptions.sitemaps), read with an HttpFetcher of `http`'s options, closed when done.
 */
export async function siteSeeds(
  startUrls: readonly string[],
  options: Pick<SiteOptions, 'sitemaps' | 'normalize'>,
  http: HttpOptions,
  signal?: AbortSignal,
): Promise<Seed[]> {
  const starts = startUrls.map((u) => siteStart(u, options));
  const sitemaps = (options.sitemaps ?? []).map((u) => (u === robotsSitemaps ? u : siteStart(u, options)));
  if (starts.length === 0 && sitemaps.length === 0) throw new InputError('nothing to crawl: no start URL and no sitemap');
  if (starts.length === 0 && sitemaps.includes(robotsSitemaps))
    throw new InputError(`sitemaps: '${robotsSitemaps}' reads the robots.txt of each start URL's origin, and there is no start URL`);
  if (sitemaps.length === 0) return starts;
  const { HttpFetcher } = await import('./fetchers/http.js');
  const { sitemapSeeds } = await import('./seams/sitemaps.js');
  const reader = new HttpFetcher(http);
  try {
    return [...starts, ...(await sitemapSeeds(sitemaps, starts, (url, consume, s) => reader.read(url, consume, s), { normalize: http.normalize, signal }))];
  } finally {
    await reader.close();
  }
}

/**
 * The HttpFetcher for a site crawl: link checks off the site (checkExternal) are HEAD requests, and
 * it keeps no more connections to an origin than the crawl's per-host cap lets it use.
 */
export async function siteFetcher(start: string | readonly Seed[], http: HttpOptions, crawlOptions: CrawlerOptions): Promise<HttpFetcher> {
  const { HttpFetcher } = await import('./fetchers/http.js'); // loaded here: `import 'chancrawl'` loads no undici
  const checkOnly = crawlOptions.scope?.checkExternal
    ? (await import('./seams/scope.js')).scopeTests(typeof start === 'string' ? start : seedRoots(start), crawlOptions.scope).offSite
    : undefined;
  return new HttpFetcher({ connectionsPerOrigin: crawlOptions.perHost, ...http, checkOnly });
}

/**
 * Crawls the site at `startUrl` over HTTP, as `chancrawl START_URL` does, and yields one result
 * per URL discovered (see crawl()). Several start URLs, as `chancrawl URL1 URL2` takes them, are
 * each crawled from depth 0, and each one's site is in scope; so are the seeds of `sitemaps`.
 * Every option has the CLI's default unless given. When the loop ends, or is left early (break,
 * return, a throw, the signal), fetches in flight are aborted and the fetcher's connections
 * closed: nothing it started keeps the process alive.
 */
export async function* crawlSite(startUrl: string | readonly string[], options: SiteOptions = {}): AsyncGenerator<Result> {
  const { http, crawl: crawlOptions } = siteOptions(typeof startUrl === 'string' ? startUrl : (startUrl[0] ?? ''), options);
  const seeds = await siteSeeds(typeof startUrl === 'string' ? [startUrl] : startUrl, options, http, options.signal);
  const fetcher = options.fetcher ?? (await siteFetcher(seeds, http, crawlOptions));
  try {
    yield* crawl(seeds, fetcher, crawlOptions);
  } finally {
    if (options.fetcher === undefined) await (fetcher as HttpFetcher).close();
  }
}
