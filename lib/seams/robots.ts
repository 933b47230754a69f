// robots.txt, obeyed: fetched once per origin and cached, parsed by robots-parser (RFC 9309 rules,
// `*` and `$` patterns, longest match wins), its Crawl-delay handed to the politeness limiter.
import { got } from 'got';
import robotsParser from 'robots-parser';
import { keepLinks } from './drop.js';
import { abortable } from '../runtime/abort.js';
import { basicAuthorization, type BasicAuth } from '../fetchers/auth.js';
import type { Fetcher } from '../types.js';
import { userAgent as defaultUserAgent } from '../version.js';

/** What a robots.txt allows one user agent on one origin. */
export interface RobotsRules {
  allowed(url: string): boolean;
  /** Seconds between requests the site asks for, when it asks. */
  crawlDelay?: number;
}

/** What loading a robots.txt gave: an HTTP status and the body, or a network failure (status 0). */
export interface RobotsFile {
  status: number;
  body: string;
}

export interface RobotsOptions {
  /** The product token matched against `User-agent:` lines. Default: 'chancrawl'. */
  agent?: string;
  /** The User-Agent header sent for robots.txt. Default: the HTTP fetcher's, `chancrawl/VERSION (+home page)`. */
  userAgent?: string;
  /** Credentials sent as Basic auth for the robots.txt of their origin, as the HTTP fetcher sends them for its pages. */
  auth?: BasicAuth;
  /** The whole robots.txt request may take this long. Default: 5000 ms. */
  timeoutMs?: number;
  /** Called once per origin whose robots.txt asks for a Crawl-delay: host (name:port), seconds. */
  onCrawlDelay?: (host: string, seconds: number) => void;
  /** Loads a robots.txt URL. Default: a GET with got, redirects followed, no retries, 500 KiB read at most. */
  load?: (url: string, signal: AbortSignal) => Promise<RobotsFile>;
  /** Aborts robots.txt requests still loading (the crawl's stop signal). */
  signal?: AbortSignal;
}

/** RFC 9309 asks crawlers to read at least 500 KiB of a robots.txt; the rest is ignored. */
export const robotsMaxBytes = 500 * 1024;

const allowAll: RobotsRules = { allowed: () => true };
const disallowAll: RobotsRules = { allowed: () => false };

/**
 * The rules of one robots.txt answer, after RFC 9309 section 2.3.1:
 * - 2xx: the file's rules for `agent` (a group naming it, else the `*` group);
 * - 3xx left after redirects, and 4xx (404, but 401 and 403 too): no rules, everything allowed;
 * - 5xx, and a network failure or timeout (status 0): the site is "unreachable", so nothing is
 *   allowed on that origin for this crawl. A crawler that cannot read the rules does not guess.
 */
export function rulesOf(robotsUrl: string, file: RobotsFile, agent: string): RobotsRules {
  if (file.status >= 200 && file.status < 300) {
    const robot = robotsParser(robotsUrl, file.body);
    const crawlDelay = robot.getCrawlDelay(agent);
    return { allowed: (url) => robot.isAllowed(url, agent) !== false, ...(crawlDelay === undefined ? {} : { crawlDelay }) };
  }
  if (file.status >= 300 && file.status < 500) return allowAll;
  return disallowAll;
}

/** robots.txt for every origin a crawl meets: one request per origin, shared by concurrent askers. */
export class Robots {
  readonly #rules = new Map<string, Promise<RobotsRules>>();
  readonly #agent: string;
  readonly #options: RobotsOptions;

  constructor(options: RobotsOptions = {}) {
    this.#agent = options.agent ?? 'chancrawl';
    this.#options = options;
  }

  /** Whether robots.txt lets this crawler fetch `url`. A string that is not a URL is not allowed. */
  async allowed(url: string, signal?: AbortSignal): Promise<boolean> {
    const origin = originOf(url);
    if (origin === undefined) return false;
    return (await abortable(this.rulesFor(origin), signal)).allowed(url);
  }

  /** The rules of one origin (`http://host:port`), loaded on the first call, cached after. */
  rulesFor(origin: string): Promise<RobotsRules> {
    let rules = this.#rules.get(origin);
    if (rules === undefined) {
      rules = this.#load(origin);
      this.#rules.set(origin, rules);
    }
    return rules;
  }

  /** The fetcher, with the links robots.txt disallows moved from page.urls to page.dropped. */
  filter(fetcher: Fetcher): Fetcher {
    return {
      fetch: async (url, signal) => {
        const page = await fetcher.fetch(url, signal);
        // One wait per origin, not per link: a page's links mostly share a few origins.
        const rules = new Map<string, RobotsRules>();
        for (const u of page.urls) {
          const origin = originOf(u);
          if (origin !== undefined && !rules.has(origin)) rules.set(origin, await abortable(this.rulesFor(origin), signal));
        }
        return keepLinks(page, (u) => {
          const origin = originOf(u);
          return origin !== undefined && rules.get(origin)!.allowed(u);
        }, 'robots');
      },
    };
  }

  async #load(origin: string): Promise<RobotsRules> {
    const robotsUrl = `${origin}/robots.txt`;
    const { timeoutMs = 5000, userAgent = defaultUserAgent, signal, auth } = this.#options;
    const headers: Record<string, string> = { 'user-agent': userAgent, ...(auth?.origin === origin ? { authorization: basicAuthorization(auth) } : {}) };
    const load = this.#options.load ?? ((u, s) => loadWithGot(u, headers, timeoutMs, s));
    const stop = signal === undefined ? AbortSignal.timeout(timeoutMs) : AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
    let file: RobotsFile;
    try {
      file = await load(robotsUrl, stop);
    } catch {
      file = { status: 0, body: '' };
    }
    const rules = rulesOf(robotsUrl, file, this.#agent);
    if (rules.crawlDelay !== undefined) this.#options.onCrawlDelay?.(new URL(origin).host, rules.crawlDelay);
    return rules;
  }
}

/** GET a robots.txt with got: redirects followed (got's cap, 10), no retry, at most robotsMaxBytes read. */
async function loadWithGot(url: string, headers: Record<string, string>, timeoutMs: number, signal: AbortSignal): Promise<RobotsFile> {
  const stream = got.stream(url, { timeout: { request: timeoutMs }, retry: { limit: 0 }, throwHttpErrors: false, headers, signal });
  // got keeps listening to `signal` after the body has ended, and an abort then makes the stream
  // emit 'error': with no listener that would crash Node. Errors while reading reach the loop below.
  stream.on('error', () => {});
  let status = 0;
  stream.once('response', (response: { statusCode: number }) => {
    status = response.statusCode;
  });
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= robotsMaxBytes) break;
    }
  } finally {
    stream.destroy();
  }
  return { status, body: Buffer.concat(chunks).subarray(0, robotsMaxBytes).toString('utf8') };
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

