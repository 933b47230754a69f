// Seeds from sitemaps: each <loc> of each sitemap a crawl is given, sitemap indexes followed, and
// the Sitemap lines of robots.txt read, as Scrapy's SitemapSpider does. What cannot be read is a
// seed that failed, so the crawl reports it failed like a broken link and goes on with the rest.
import { normalizeUrl, type NormalizeOptions } from '../fetchers/normalize.js';
import { readSitemap, sitemapDefaults, type SitemapOptions } from '../fetchers/sitemap.js';
import { errorMessage } from '../runtime/error.js';
import { robotsMaxBytes, sitemapLines } from './robots-txt.js';
import { robotsSitemaps, type Seed } from './seeds.js';

export { robotsSitemaps };

/** Reads a URL's body for `consume`, which is also told the URL after redirects (HttpFetcher.read). */
export type BodyReader = <T>(url: string, consume: (body: AsyncIterable<Buffer>, url: string) => Promise<T>, signal?: AbortSignal) => Promise<T>;

export interface SitemapSeedOptions extends SitemapOptions {
  /**
   * Sitemap indexes are followed this many levels down from a sitemap given (the protocol has one:
   * an index lists sitemaps of URLs); a sitemap deeper is not read, and reported failed. Default: 2.
   */
  maxNesting?: number;
  /** How each <loc> is normalized, as links are (see normalizeUrl). Default: its defaults. */
  normalize?: Omit<NormalizeOptions, 'base'>;
  signal?: AbortSignal;
}

/**
 * The seeds that `sitemaps` list, in order: each a sitemap URL, a robots.txt URL (its Sitemap
 * lines are read in turn), or `robots` for the robots.txt of each of `starts`' origins. A <urlset>'s
 * <loc>s are seeds with that sitemap as their parent (http(s) ones, normalized; at most maxUrls
 * per file); a <sitemapindex>'s are read in turn; a file is read once however often it is listed.
 * A file that cannot be read (an HTTP error, a network failure, not a sitemap) is a seed with its
 * error, and its parent when it was listed in another file; but a robots.txt answering 4xx has no
 * Sitemap lines, as RFC 9309 reads it as empty, and is no failure. Once `signal` aborts, no more is
 * read, and the seeds so far are returned (a crawl stopped by the same signal reports them skipped).
 */
export async function sitemapSeeds(
  sitemaps: readonly string[],
  starts: readonly string[],
  read: BodyReader,
  options: SitemapSeedOptions = {},
): Promise<Seed[]> {
  const { maxNesting = sitemapDefaults.maxNesting, normalize, signal, ...limits } = options;
  const seeds: Seed[] = [];
  const seen = new Set<string>();
  const failed = (url: string, parent: string | undefined, error: unknown): void => {
    if (signal?.aborted) return; // stopped: not a failure of the file, and the crawl will report the seeds so far skipped
    const status = (error as { status?: unknown } | null)?.status;
    seeds.push({ url, ...(parent === undefined ? {} : { parent }), error: errorMessage(error), ...(typeof status === 'number' ? { status } : {}) });
  };
  const visit = async (url: string, parent: string | undefined, level: number): Promise<void> => {
    if (seen.has(url) || signal?.aborted === true) return;
    seen.add(url);
    if (isRobotsTxt(url)) {
      let lines: string[];
      try {
        lines = await read(url, async (body) => sitemapLines(await bytesOf(body, robotsMaxBytes)), signal);
      } catch (error) {
        if (isClientError(error)) return; // RFC 9309 2.3.1.3: a 4xx robots.txt is an empty one, so no Sitemap lines
        return failed(url, parent, error);
      }
      for (const line of lines) {
        const sitemap = normalizeUrl(line, { ...normalize, base: url });
        if (sitemap !== undefined) await visit(sitemap, url, level);
      }
      return;
    }
    if (level > maxNesting) return failed(url, parent, new Error(`not read: sitemap indexes nested more than ${maxNesting} deep`));
    let sitemap;
    try {
      sitemap = await read(url, (body) => readSitemap(body, limits), signal);
    } catch (error) {
      return failed(url, parent, error);
    }
    for (const loc of sitemap.locs) {
      const u = normalizeUrl(loc, { ...normalize, base: url });
      if (u === undefined) continue;
      if (sitemap.kind === 'sitemapindex') await visit(u, url, level + 1);
      else seeds.push({ url: u, parent: url });
    }
  };
  for (const s of sitemaps) {
    if (s === robotsSitemaps) for (const origin of new Set(starts.map((u) => new URL(u).origin))) await visit(`${origin}/robots.txt`, undefined, 0);
    else await visit(s, undefined, 0);
  }
  return seeds;
}

/** An answer of 400 to 499. */
function isClientError(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

function isRobotsTxt(url: string): boolean {
  return new URL(url).pathname === '/robots.txt';
}

/** The first `max` bytes of a body; the rest is not read. */
async function bytesOf(body: AsyncIterable<Buffer>, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    if ((size += chunk.length) >= max) break;
  }
  return Buffer.concat(chunks).subarray(0, max);
}
