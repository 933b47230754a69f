// chancrawl's library: the three Go crawler designs, their seams, and the fixture fetcher. It loads
// none of the HTTP stack: that is `chancrawl/http` (lib/http.ts), so a fixture crawl starts light.
export type { CrawlOptions, Failed, Fetcher, Found, Page, Result, SkipReason, Skipped } from './types.js';
export { skipReasons } from './types.js';
export { Serial } from './designs/serial.js';
export { ConcurrentMutex, fetchState, makeState } from './designs/mutex.js';
export { ConcurrentChannel, channelDefaults, type ChannelOptions } from './designs/channel.js';
export { crawl, designs, variants, type CrawlerOptions, type Variant } from './crawl.js';
export { crawlSite, siteDefaults, type SiteOptions } from './site.js'; // a site over HTTP, the CLI's defaults; loads undici on first call
export { seedsUrl, type Seed } from './seams/seeds.js';
export { limit } from './seams/cap.js';
export { once } from './seams/once.js';
export { makeChan, range, type Chan } from './runtime/chan.js';
export { funnel } from './runtime/funnel.js';
export { go } from './runtime/go.js';
export { Mutex, WaitGroup } from './runtime/sync.js';
export { FixtureFetcher, FixtureSchema, defaultFixturePath, loadFixture, parseFixture, startOf, type Fixture, type Latency } from './fixture/fixture.js';
export { generate, seededRandom, type GenOptions } from './fixture/gen.js';
export { referenceCrawl, type Expected } from './fixture/reference.js';
export type { BasicAuth } from './fetchers/auth.js';
export { normalizeUrl, trackingParams, type NormalizeOptions } from './fetchers/normalize.js';
export { serveFixture, type ServeOptions, type ServedFixture } from './fixture/serve.js';
export type { CrawlCounts } from './types.js';
export { scopes, type Scope } from './seams/scopes.js';
export type { ScopeOptions } from './seams/scope.js';
export type { RobotsOptions } from './seams/robots.js';
export type { Extractor, PageView, Selectors } from './seams/extract.js';
// Crawling real sites (undici, htmlparser2, tldts) is `chancrawl/http` (lib/http.ts); a page's DOM (linkedom), `chancrawl/dom`.
export { Politeness, maxCrawlDelayMs, type PolitenessOptions } from './seams/politeness.js';
export { Progress, progressLine, type ProgressOptions, type ProgressStream } from './output/progress.js';
export { InputError } from './errors.js';
export { ReportLine, FoundLine, FailedLine, SkippedLine, csvColumns } from './output/schema.js';
export { reportLine } from './output/report.js';
