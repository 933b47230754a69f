// Every flag of every command, each declared once: its check, its default (the option's own), its
// help line. To add a flag, add one entry to the group it belongs to; the zod schemas, parseArgs'
// options and --help are built from these tables. Then map it to its option (http-flags.ts,
// policy-flags.ts or main.ts).
import { relative } from 'node:path';
import { z } from 'zod';
import { crawlerDefaults, variants } from '../crawl.js';
import { channelDefaults } from '../designs/channel.js';
import { httpDefaults } from '../fetchers/http-defaults.js';
import { sitemapDefaults } from '../fetchers/sitemap-defaults.js';
import { defaultFixturePath } from '../fixture/fixture.js';
import { genDefaults } from '../fixture/gen.js';
import { formats } from '../output/report.js';
import { graphDefaults } from '../output/graph-defaults.js';
import { packageRoot } from '../package-root.js';
import { politenessDefaults } from '../seams/politeness.js';
import { redisDefaults } from '../runtime/redis-defaults.js';
import { scopes } from '../seams/scopes.js';
import { siteDefaults } from '../site.js';
import { headerLines, oneOf, optional, pairs, patterns, required, seconds, share, show, toggle, valued, whole } from './flags.js';

/** A buffer size: a whole number, or inf for one that never fills. */
const bufferSize = z
  .string()
  .regex(/^(\d+|inf)$/, 'must be a whole number >= 0, or inf')
  .transform((s) => (s === 'inf' ? Infinity : Number(s)));

const latency = z.string().regex(/^\d+(\.\d+)?(-\d+(\.\d+)?)?$/, 'must be milliseconds, L or MIN-MAX');

/** The environment variable that holds USER:PASSWORD when neither --auth nor START_URL does. */
export const authVariable = 'CHANCRAWL_AUTH';

/** Request headers --header may not set, and why: framing and the connection are undici's, the rest chancrawl's. */
export const ownedHeaders: Readonly<Record<string, string>> = {
  host: "each request's is its URL's host",
  'content-length': 'a crawl sends no request body',
  'transfer-encoding': 'a crawl sends no request body',
  connection: 'it keeps connections alive itself',
  'keep-alive': 'it keeps connections alive itself',
  upgrade: 'it keeps connections alive itself',
  te: 'it keeps connections alive itself',
  expect: 'a crawl sends no request body',
  'user-agent': 'give --user-agent, whose product token robots.txt is read for',
  'accept-encoding': 'it asks for the codings it can undo, gzip, deflate and br',
};

/** The crawl command's own flags. */
export const crawlFlags = {
  variant: valued(oneOf(variants), { arg: variants.join('|'), help: 'which design crawls', default: crawlerDefaults.variant }),
  fixture: valued(z.string(), {
    arg: 'FILE',
    help: 'the link graph to crawl, JSON',
    default: defaultFixturePath,
    show: `${relative(packageRoot, defaultFixturePath)}, the Go tour's golang.org graph`,
  }),
  depth: optional(whole(0), {
    arg: 'N',
    help: "follow links at most N hops from the start, which is hop 0; the Go tour's Crawl(url, 4) is --depth 3",
    show: show(Infinity),
  }),
  concurrency: optional(whole(1), {
    arg: 'K',
    help: 'at most K fetches in flight',
    show: `${siteDefaults.concurrency} over HTTP, ${show(crawlerDefaults.concurrency)} for a fixture, as in Go`,
  }),
  'channel-buffer': valued(bufferSize, {
    arg: 'N|inf',
    help: "--variant channel's buffer: 0, as in Go, makes each worker wait at its send until the coordinator takes its message; inf never makes a send wait",
    default: channelDefaults.channelBuffer,
  }),
  'latency-ms': valued(latency, { arg: 'L', help: 'simulated time per fetch: L, or MIN-MAX drawn per URL', default: '0' }),
  seed: valued(whole(0), { arg: 'S', help: 'the seed for a MIN-MAX latency', default: 1 }),
  format: optional(oneOf(formats), {
    arg: formats.join('|'),
    help: 'go: the Go fakeFetcher\'s lines "found:   URL" and "missing: URL"; jsonl: one JSON object per URL, skipped ones too (README: the schema); csv: the same as rows under a header line',
    show: 'go, or with --output: csv for a .csv FILE, else jsonl',
  }),
  output: optional(z.string().min(1, 'must name a file'), { arg: 'FILE', short: 'o', help: 'write the report to FILE instead of stdout, creating its folder' }),
  'fail-on-broken': toggle({ help: 'exit 5 when any fetched URL failed (a broken link, for a CI job); the report is written all the same' }),
  timeline: optional(z.string().regex(/\.svg$/i, 'must name an .svg file'), {
    arg: 'FILE.svg',
    help: 'also draw each fetch as a bar in time, on lanes, to FILE.svg',
  }),
  graph: optional(z.string().regex(/\.(dot|svg)$/i, 'must name a .dot or .svg file'), {
    arg: 'FILE.dot|FILE.svg',
    help: "also write the discovered link graph (.svg needs Graphviz's dot)",
  }),
  'graph-max-nodes': valued(whole(1), {
    arg: 'N',
    help: '--graph draws every URL and link up to N URLs (and 4N links); past that, N pages, the fewest hops from the start, in a box per folder with the rest counted, an arrow to each from the page that first linked to it',
    default: graphDefaults.maxNodes,
  }),
  'graph-outside': toggle({ help: '--graph also draws the links out of --scope (reported skipped "scope"), left out by default' }),
  resume: optional(z.array(z.string()), {
    arg: 'REPORT.jsonl',
    multiple: true,
    help: "continue the crawl that wrote this --format jsonl report (stopped, limited or killed): its found and failed pages are not fetched again, and this run reports every other URL once (those it skipped for a stop, a limit or depth among them); repeat for a chain of resumed runs, in order; START_URL defaults to the report's",
  }),
};

/** The crawl command's flags for crawling over HTTP; HttpFetcher's defaults are theirs. */
export const httpFlags = {
  'connect-timeout-ms': valued(whole(1), { arg: 'N', help: 'time to connect', default: httpDefaults.connectTimeoutMs }),
  'response-timeout-ms': valued(whole(1), { arg: 'N', help: 'time from request to response headers', default: httpDefaults.responseTimeoutMs }),
  'timeout-ms': valued(whole(1), { arg: 'N', help: 'time for a whole request, body included', default: httpDefaults.requestTimeoutMs }),
  retries: valued(whole(0), { arg: 'N', help: 'retries after a 5xx, 408, 429 or a network error', default: httpDefaults.retries }),
  'retry-delay-ms': valued(whole(0), {
    arg: 'N',
    help: 'backoff: N ms before the first retry, doubling; a Retry-After header is honoured instead',
    default: httpDefaults.retryDelayMs,
  }),
  'max-retry-after-ms': valued(whole(0), { arg: 'N', help: 'fail rather than wait for a longer Retry-After', default: httpDefaults.maxRetryAfterMs }),
  'max-bytes': valued(whole(1), { arg: 'N', help: 'read at most N bytes of a page, then report it truncated', default: httpDefaults.maxBytes }),
  'max-redirects': valued(whole(0), { arg: 'N', help: 'fail a redirect chain longer than N', default: httpDefaults.maxRedirects }),
  'user-agent': optional(z.string().min(1, 'must not be empty'), {
    arg: 'S',
    help: 'the User-Agent header; robots.txt is read for its product token, the name before the first "/"',
    show: httpDefaults.userAgent,
  }),
  auth: optional(z.string().regex(/:/, 'must be USER:PASSWORD'), {
    arg: 'USER:PASSWORD',
    help: `HTTP Basic auth, sent to START_URL's origin only (scheme, host, port); also taken from START_URL's user:password@, else from the environment variable ${authVariable}=USER:PASSWORD, which ps does not show. Reports never print credentials; a link's user:password@ is dropped`,
  }),
  header: optional(headerLines(ownedHeaders), {
    arg: "'NAME: VALUE'",
    multiple: true,
    help: 'send this header with every request for a page or a sitemap, to whichever host it goes (off the site too, with --check-external; not with robots.txt requests); repeatable: a NAME given twice is sent once with both values, joined by ", " (by "; " for Cookie, which --cookies adds to). An empty VALUE sends the header empty. Host, Content-Length, Transfer-Encoding, Connection, Keep-Alive, Upgrade, TE, Expect, User-Agent (see --user-agent) and Accept-Encoding are bad input: chancrawl sets them',
  }),
  cookies: optional(z.string().min(1, 'must name a file'), {
    arg: 'FILE',
    help: 'send the cookies of FILE, a Netscape cookie file as curl -c and wget --save-cookies write it, each to its domain (and subdomains when flagged), its path and below, secure ones over https only; expired ones are left out, 0 is a session cookie. Set-Cookie answers are not kept. A bad line is exit 2',
  }),
  assets: toggle({ help: "also check (HEAD, not parse) each page's <img src>, <script src> and <link href> stylesheets, icons, manifests and preloads" }),
  extract: optional(pairs(), {
    arg: 'NAME=SELECTOR',
    multiple: true,
    help: "fill each found page's jsonl line's data.NAME with the text of every element SELECTOR (CSS) matches, spaces collapsed, or with SELECTOR@attr their attribute as written: a list in document order, [] when none; repeatable. The page is parsed into a DOM (linkedom) for it, its body kept until then. Without --format or -o, prints jsonl",
  }),
  'extract-from': optional(patterns(), {
    arg: 'REGEX',
    multiple: true,
    help: 'extract only from pages whose URL matches (JavaScript regex, unanchored); repeat for "any of these"',
    show: 'every page',
  }),
  sitemap: optional(z.array(z.string().min(1, 'must name a sitemap')), {
    arg: 'URL|robots',
    multiple: true,
    help: `also start from each <loc> of this sitemap (XML or a text file of URLs, gzipped or not; an index's sitemaps are read in turn, ${sitemapDefaults.maxNesting} levels down at most; ${sitemapDefaults.maxUrls.toLocaleString('en')} URLs and ${sitemapDefaults.maxBytes / 1e6} MB per file), each at depth 0, judged by --scope as a link with the sitemap's site counted as the crawl's, and reported with the sitemap as parent; a robots.txt URL gives its Sitemap lines, and robots those of each START_URL's robots.txt; repeatable, START_URL optional. A sitemap that cannot be read is reported failed (missing:), and the crawl goes on; a robots.txt that answers 4xx has no Sitemap lines`,
  }),
  'sort-query': toggle({ help: 'sort query parameters when comparing URLs' }),
  'remove-tracking': toggle({ help: 'drop utm_* and other tracking parameters from URLs' }),
  quiet: toggle({ short: 'q', help: 'no summary on stderr at the end (ok, failed, skipped, bytes, pages/s)' }),
};

/** The crawl command's flags for scope, robots.txt, politeness and limits. */
export const policyFlags = {
  scope: optional(oneOf(scopes), {
    arg: scopes.join('|'),
    help: 'which links to follow, judged against START_URL: same scheme, host and port (origin, the default over HTTP); same host name (host); same registrable domain by the public suffix list (domain); any http(s) (any)',
  }),
  include: optional(patterns(), {
    arg: 'REGEX',
    multiple: true,
    help: 'follow only URLs that match (JavaScript regex, unanchored, tested on the whole URL); repeat for "any of these"',
  }),
  exclude: optional(patterns(), {
    arg: 'REGEX',
    multiple: true,
    help: 'never follow URLs that match; repeatable. Left-out URLs are reported skipped with reason "scope"; the start URL is always crawled',
  }),
  'check-external': toggle({
    help: 'request links off the site (out of --scope, passing --include and --exclude) with HEAD, GET if HEAD is refused, to report them found or failed, without following them',
  }),
  'ignore-robots': toggle({
    help: 'do not fetch or obey robots.txt (obeyed by default over HTTP: disallowed URLs are reported skipped "robots"; its Crawl-delay spaces requests; an unreadable robots.txt (5xx, timeout) disallows its site, a 4xx allows all)',
  }),
  'per-host': optional(whole(1), {
    arg: 'K',
    help: 'at most K requests in flight to one host',
    show: `${siteDefaults.perHost} over HTTP, ${show(politenessDefaults.perHost)} for a fixture`,
  }),
  'delay-ms': valued(whole(0), { arg: 'D', help: 'at least D ms between the starts of two requests to one host', default: politenessDefaults.delayMs }),
  'max-pages': optional(whole(0), { arg: 'N', help: 'start at most N fetches, then stop', show: show(crawlerDefaults.maxPages) }),
  'max-time': optional(seconds, {
    arg: 'S',
    help: 'stop after S seconds, aborting fetches in flight. URLs left unfetched by a limit are reported skipped "max-pages"/"max-time"',
    show: show(crawlerDefaults.maxTimeMs),
  }),
};

/** The crawl command's flags for a crawl shared by many processes through Redis; report and status take --redis and --crawl. */
export const sharedFlags = {
  redis: optional(z.string().regex(/^rediss?:\/\/./, 'must be a redis:// URL, such as redis://127.0.0.1:6379'), {
    arg: 'URL',
    help: 'the Redis that holds the crawl, redis://HOST:PORT',
  }),
  crawl: optional(z.string().regex(/^[\w.-]+$/, 'must be a name of letters, digits, _ . -'), {
    arg: 'NAME',
    help: "the crawl's name: every process started with it shares the crawl, each printing the results it reported (together: every URL once); started again after a stop or a crash, processes go on where the crawl was",
  }),
  'lease-ms': optional(whole(100), {
    arg: 'MS',
    help: 'a process that holds a URL this long without a sign of life is taken for dead, and another fetches its URLs',
    show: String(redisDefaults.leaseMs),
  }),
};

/** The gen command's flags; generate()'s defaults are theirs. */
export const genFlags = {
  pages: required(whole(1), { arg: 'N', help: 'pages in the graph, missing ones included (required)' }),
  degree: valued(whole(1), { arg: 'D', help: 'mean links per page', default: genDefaults.degree }),
  seed: valued(whole(0), { arg: 'S', help: 'the same seed gives the same bytes', default: genDefaults.seed }),
  missing: valued(share, { arg: 'F', help: 'share of pages that are linked but missing, 0 to 1', default: genDefaults.missing }),
  out: optional(z.string(), { arg: 'FILE', help: 'write to FILE instead of stdout' }),
};

/** The serve command's flags: its own port, and the crawl's latency flags. */
export const serveFlags = {
  port: valued(
    whole(0).refine((p) => p <= 65535, 'must be a port, 0 to 65535'),
    { arg: 'P', help: 'the port on 127.0.0.1; 0 is any free port', default: 0 },
  ),
  'latency-ms': crawlFlags['latency-ms'],
  seed: crawlFlags.seed,
  'page-kb': valued(whole(0), { arg: 'N', help: 'pad each page to about N KiB with ordinary markup that has no links', default: 0 }),
  robots: optional(z.string().min(1, 'must name a file'), { arg: 'FILE', help: 'serve FILE as /robots.txt (default: /robots.txt is a 404)' }),
  log: optional(z.string().min(1, 'must name a file'), { arg: 'FILE', help: 'append a jsonl line per request to FILE: path, start and end (epoch ms)' }),
};

/** The reference command's flags: the crawl's. */
export const referenceFlags = { fixture: crawlFlags.fixture, depth: crawlFlags.depth };
