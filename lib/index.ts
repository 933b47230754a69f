// chancrawl's library: the three Go crawler designs, their seams, and the fixture fetcher.
export type { CrawlOptions, Failed, Fetcher, Found, Page, Result, SkipReason, Skipped } from './types.js';
export { Serial } from './serial.js';
export { ConcurrentMutex, fetchState, makeState } from './mutex.js';
export { ConcurrentChannel } from './channel.js';
export { crawl, designs, variants, type CrawlerOptions, type Variant } from './crawl.js';
export { limit, once } from './limit.js';
export { Mutex, WaitGroup, funnel, go, makeChan, range } from './sync.js';
export { FixtureFetcher, FixtureSchema, defaultFixturePath, loadFixture, parseFixture, startOf, type Fixture, type Latency } from './fixture.js';
export { generate, seededRandom, type GenOptions } from './gen.js';
export { referenceCrawl, type Expected } from './reference.js';
export { RpcFetcher, serveFetcher, type FetchService } from './rpc.js';
export { HttpFetcher, FetchError, type HttpOptions } from './http.js';
export { normalizeUrl, trackingParams, type NormalizeOptions } from './normalize.js';
export { serveFixture, type ServeOptions, type ServedFixture } from './serve.js';
export { InputError } from './errors.js';
