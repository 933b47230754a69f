// robots.txt, obeyed: fetched once per origin and cached, read by robots-txt.ts (RFC 9309 rules,
// `*` and `$` patterns, longest match wins) for the product token of our User-Agent, its
// Crawl-delay handed to the politeness limiter.
import { STATUS_CODES } from 'node:http';
import { Agent } from 'undici';
import { keepLinks } from './drop.js';
import { agentRules, productToken, robotsMaxBytes } from './robots-txt.js';
import { abortable } from '../runtime/abort.js';
import { basicAuthorization, type BasicAuth } from '../fetchers/auth.js';
import { acceptEncoding, decompressed } from '../fetchers/decompress.js';
import { urlParts } from '../fetchers/normalize.js';
import { exchange, header } from '../fetchers/request.js';
import type { Fetcher } from '../types.js';
import { userAgent as defaultUserAgent } from '../version.js';

/** What a robots.txt allows one user agent on one origin. */
export interface RobotsRules {
  allowed(url: string): boolean;
  /** Seconds between requests the site asks for, when it asks. */
  crawlDelay?: number;
  /** Why nothing is allowed, when robots.txt could not be read: `robots.txt unreadable (HTTP 503 Service Unavailable)`. */
  unreadable?: string;
}

/** What loading a robots.txt gave: an HTTP status and the body, or a network failure (status 0). */
export interface RobotsFile {
  status: number;
  /** The bytes as served (a string is taken as UTF-8). */
  body: string | Uint8Array;
  /** For a network failure: what failed (`timeout`, `ECONNRESET`, `more than 10 redirects`). */
  error?: string;
}

export interface RobotsOptions {
  /** The product token matched against `User-agent:` lines. Default: userAgent's (RFC 9309 2.2.1), `chancrawl`. */
  agent?: string;
  /** The User-Agent header sent for robots.txt. Default: the HTTP fetcher's, `chancrawl/VERSION (+home page)`. */
  userAgent?: string;
  /** Credentials sent as Basic auth for the robots.txt of their origin, as the HTTP fetcher sends them for its pages. */
  auth?: BasicAuth;
  /** The whole robots.txt request may take this long. Default: 5000 ms. */
  timeoutMs?: number;
  /** Called once per origin whose robots.txt asks for a Crawl-delay: host (name:port), seconds. */
  onCrawlDelay?: (host: string, seconds: number) => void;
  /**
   * Loads a robots.txt URL. Default: a GET on undici, redirects followed (at most 10, to any host, as
   * RFC 9309 2.3.1.2 says), no retries, 500 KiB read at most (after decompression).
   */
  load?: (url: string, signal: AbortSignal) => Promise<RobotsFile>;
  /** Aborts robots.txt requests still loading (the crawl's stop signal). */
  signal?: AbortSignal;
  /** Where the robots.txt files are kept when other processes crawl the same origins. Default: each origin's file loaded by this process. */
  files?: RobotsFiles;
}

/**
 * The robots.txt files of one crawl kept where all its processes see them (Redis: runtime/redis.ts),
 * so that each origin's is requested once for the whole crawl.
 */
export interface RobotsFiles {
  /** The file of `origin` as a process of the crawl loaded it: the first to ask loads it with `load`, the others wait for its answer. */
  shared(origin: string, load: () => Promise<RobotsFile>, signal?: AbortSignal): Promise<RobotsFile>;
}

export { robotsMaxBytes };

const allowAll: RobotsRules = { allowed: () => true };

/**
 * The rules of one robots.txt answer, after RFC 9309 section 2.3.1:
 * - 2xx: the file's rules for `agent` (a group naming it, else the `*` group);
 * - 3xx left after redirects, and 4xx (404, but 401 and 403 too): no rules, everything allowed;
 * - 5xx, and a network failure or timeout (status 0): the site is "unreachable", so nothing is
 *   allowed on that origin for this crawl. A crawler that cannot read the rules does not guess.
 */
export function rulesOf(file: RobotsFile, agent: string): RobotsRules {
  if (file.status >= 200 && file.status < 300) {
    const rules = agentRules(file.body, agent);
    const allowed = (url: string) => {
      const u = urlParts(url);
      return u !== undefined && (u.pathname === '/robots.txt' || rules.allowed(u.pathname + u.search));
    };
    return { allowed, ...(rules.crawlDelay === undefined ? {} : { crawlDelay: rules.crawlDelay }) };
  }
  if (file.status >= 300 && file.status < 500) return allowAll;
  const why = file.status === 0 ? (file.error ?? 'no answer') : httpStatus(file.status);
  return { allowed: isRobotsTxt, unreadable: `robots.txt unreadable (${why}): its site is treated as disallowed` };
}

/** RFC 9309 2.2.2: /robots.txt itself is always allowed. */
function isRobotsTxt(url: string): boolean {
  return urlParts(url)?.pathname === '/robots.txt';
}

function httpStatus(status: number): string {
  return `HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
}

/** robots.txt for every origin a crawl meets: one request per origin, shared by concurrent askers. */
export class Robots {
  readonly #rules = new Map<string, Promise<RobotsRules>>();
  readonly #agent: string;
  readonly #options: RobotsOptions;

  constructor(options: RobotsOptions = {}) {
    this.#agent = options.agent ?? productToken(options.userAgent ?? defaultUserAgent);
    this.#options = options;
  }

  /** Whether robots.txt lets this crawler fetch `url`. A string that is not a URL is not allowed. */
  async allowed(url: string, signal?: AbortSignal): Promise<boolean> {
    return (await this.refusal(url, signal)) === undefined;
  }

  /** Undefined when robots.txt lets this crawler fetch `url`; else why not, with the rules' `unreadable` note. */
  async refusal(url: string, signal?: AbortSignal): Promise<{ detail?: string } | undefined> {
    const origin = urlParts(url)?.origin;
    if (origin === undefined) return {};
    const rules = await abortable(this.rulesFor(origin), signal);
    if (rules.allowed(url)) return undefined;
    return rules.unreadable === undefined ? {} : { detail: rules.unreadable };
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

  /**
   * The fetcher, with the links robots.txt disallows moved from page.urls to page.dropped. A page is
   * fetched once its origin's robots.txt is read, so its Crawl-delay holds from the first request.
   */
  filter(fetcher: Fetcher): Fetcher {
    return {
      fetch: async (url, signal) => {
        const own = urlParts(url)?.origin;
        if (own !== undefined) await abortable(this.rulesFor(own), signal);
        const page = await fetcher.fetch(url, signal);
        // One wait per origin, not per link: a page's links mostly share a few origins.
        const rules = new Map<string, RobotsRules>();
        const rulesOfUrl = new Map<string, RobotsRules | undefined>();
        for (const u of page.urls) {
          const origin = urlParts(u)?.origin;
          if (origin !== undefined && !rules.has(origin)) rules.set(origin, await abortable(this.rulesFor(origin), signal));
          rulesOfUrl.set(u, origin === undefined ? undefined : rules.get(origin));
        }
        return keepLinks(
          page,
          (u) => rulesOfUrl.get(u)?.allowed(u) === true,
          'robots',
          (u) => rulesOfUrl.get(u)?.unreadable,
        );
      },
    };
  }

  async #load(origin: string): Promise<RobotsRules> {
    const robotsUrl = `${origin}/robots.txt`;
    const { timeoutMs = 5000, userAgent = defaultUserAgent, signal, auth } = this.#options;
    const load = this.#options.load ?? ((u, s) => loadRobotsTxt(u, userAgent, auth, s));
    const loaded = async (): Promise<RobotsFile> => {
      const stop = signal === undefined ? AbortSignal.timeout(timeoutMs) : AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
      try {
        return await load(robotsUrl, stop);
      } catch (error) {
        return { status: 0, body: '', error: failure(error) };
      }
    };
    const { files } = this.#options;
    const file = files === undefined ? await loaded() : await files.shared(origin, loaded, signal);
    const rules = rulesOf(file, this.#agent);
    if (rules.crawlDelay !== undefined) this.#options.onCrawlDelay?.(new URL(origin).host, rules.crawlDelay);
    return rules;
  }
}

/** At most this many redirects are followed to a robots.txt (RFC 9309 2.3.1.2 asks for at least 5). */
const maxRedirects = 10;

/** robots.txt requests' connections (one pool per origin, kept alive; undici unrefs an idle socket, so none holds the process). */
let robotsAgent: Agent | undefined;

/**
 * GET a robots.txt: redirects followed by hand, to any http(s) URL, at most maxRedirects; no retry;
 * decoded as its Content-Encoding says, at most robotsMaxBytes read. `signal` times the whole
 * chain. The credentials go to their own origin only, as HttpFetcher sends them, not where a redirect leads.
 */
async function loadRobotsTxt(url: string, userAgent: string, auth: BasicAuth | undefined, signal: AbortSignal): Promise<RobotsFile> {
  robotsAgent ??= new Agent();
  let target = new URL(url);
  for (let redirects = 0; ; redirects++) {
    const headers: Record<string, string> = {
      'user-agent': userAgent,
      'accept-encoding': acceptEncoding,
      ...(auth?.origin === target.origin ? { authorization: basicAuthorization(auth) } : {}),
    };
    const answer = await exchange(robotsAgent, target, { method: 'GET', headers, signals: [signal] }, async (response): Promise<RobotsFile | URL> => {
      const { statusCode: status } = response;
      const location = header(response.headers, 'location')?.trim();
      if (status >= 300 && status < 400 && location) {
        if (redirects >= maxRedirects) throw new Error(`more than ${maxRedirects} redirects`);
        let next: URL;
        try {
          next = new URL(location, target);
        } catch {
          throw new Error(`a redirect to a URL that does not parse: ${location}`);
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new Error(`a redirect to a URL that is not http(s): ${location}`);
        return next;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of decompressed(response.body as AsyncIterable<Buffer>, header(response.headers, 'content-encoding'))) {
        chunks.push(chunk);
        if ((size += chunk.length) >= robotsMaxBytes) break; // the rest is not read: exchange() closes the connection
      }
      return { status, body: Buffer.concat(chunks).subarray(0, robotsMaxBytes) };
    });
    if (!(answer instanceof URL)) return answer;
    target = answer;
  }
}

/** A load's failure in a few words: the error's code (ECONNREFUSED, UND_ERR_SOCKET), `timeout`, else its message. */
function failure(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (error instanceof Error ? error.message : String(error));
}
