// chancrawl/http: crawling real sites. The HTTP fetcher and its link reader, the scope and
// robots.txt seams as functions of their own, the RPC fetcher: the modules that load undici,
// htmlparser2 and tldts, apart from the main entry (lib/index.ts) so that a fixture crawl loads none.
export { HttpFetcher, FetchError, retryAfter, type HttpOptions } from './fetchers/http.js';
export { LinkReader, readLinks, type PageLinks } from './fetchers/html.js';
export { CookieJar, readCookieFile, type FileCookie } from './fetchers/cookies.js';
export { RpcFetcher, serveFetcher, type FetchService } from './fetchers/rpc.js';
export { scopeTest, scoped, type ScopeOptions } from './seams/scope.js';
export { Robots, rulesOf, robotsMaxBytes, type RobotsFile, type RobotsOptions, type RobotsRules } from './seams/robots.js';
export { readSitemap, sitemapDefaults, SitemapError, type Sitemap, type SitemapOptions } from './fetchers/sitemap.js';
export { sitemapSeeds, robotsSitemaps, type BodyReader, type SitemapSeedOptions } from './seams/sitemaps.js';
