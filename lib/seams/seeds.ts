// Several seeds for one crawl. The designs take one start URL, as Go's Crawl does, so a crawl from
// many starts begins at a synthetic page, seedsUrl, that links to them all: this seam answers it,
// and crawl() leaves it out of the report and counts hops from each seed, not from it.
import type { Fetcher, Page } from '../types.js';

/** The synthetic page a crawl with several seeds starts from; never fetched, never reported. */
export const seedsUrl = 'chancrawl:seeds';

/**
 * Where a crawl starts. A string is a start URL: always in scope, and its site is what the scope
 * keeps. An object with a `parent` is a URL found there (a sitemap's <loc>): in scope only as a
 * link would be, the parent's site counting as the crawl's, and reported with that parent. An
 * object with an `error` was already tried and failed (a sitemap that could not be read): it is
 * reported failed with that error and status, and not fetched.
 */
export type Seed = string | { url: string; parent?: string; error?: string; status?: number };

/** What a list of sitemaps may name besides URLs: the robots.txt of each start's origin, for its Sitemap lines (sitemaps.ts). */
export const robotsSitemaps = 'robots';

export function seedUrl(seed: Seed): string {
  return typeof seed === 'string' ? seed : seed.url;
}

/** What the scope is judged by: the seeds always in it, and the other URLs whose site counts as the crawl's. */
export function seedRoots(seeds: readonly Seed[]): { starts: string[]; sites: string[] } {
  const starts: string[] = [];
  const sites: string[] = [];
  for (const s of seeds) {
    if (typeof s === 'string' || s.parent === undefined) starts.push(seedUrl(s));
    else sites.push(s.parent);
  }
  return { starts, sites: [...new Set(sites)] };
}

/** A seed already failed: its error as the fetch's failure (visit.ts reads `status`). */
class SeedFailure extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * The fetcher, answering seedsUrl with a page whose links are the seeds, each once, in order, and
 * failing a seed that has an error with it. Everything else is fetched by `fetcher`.
 */
export function seeded(fetcher: Fetcher, seeds: readonly Seed[]): Fetcher {
  const urls = [...new Set(seeds.map(seedUrl))];
  const failed = new Map<string, SeedFailure>();
  for (const s of seeds) if (typeof s !== 'string' && s.error !== undefined && !failed.has(s.url)) failed.set(s.url, new SeedFailure(s.error, s.status));
  return {
    fetch(url, signal) {
      if (url === seedsUrl) return Promise.resolve<Page>({ url, urls });
      const failure = failed.get(url);
      if (failure !== undefined) return Promise.reject(failure);
      return fetcher.fetch(url, signal);
    },
  };
}
