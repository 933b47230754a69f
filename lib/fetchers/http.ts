// The HTTP fetcher: the Go Fetcher interface over the network, on undici (requests; bench/findings.md
// has the A/B against got) and the streaming link reader (links, read from each chunk as it arrives).
import { STATUS_CODES } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Agent } from 'undici';
import { basicAuthorization, type BasicAuth } from './auth.js';
import { acceptEncoding, decompressed } from './decompress.js';
import { LinkReader, readLinks, refreshUrl, type PageLinks } from './html.js';
import { normalizeUrl, type NormalizeOptions } from './normalize.js';
import { exchange, header } from './request.js';
import { sleep } from '../runtime/abort.js';
import type { Fetcher, Page } from '../types.js';
import { httpDefaults } from './http-defaults.js';

export interface HttpOptions {
  /** Milliseconds to open the TCP connection. Default: 5,000. */
  connectTimeoutMs?: number;
  /** Milliseconds from sending the request to the response headers. Default: 15,000. */
  responseTimeoutMs?: number;
  /** Milliseconds for a whole attempt, body included. Default: 30,000. */
  requestTimeoutMs?: number;
  /**
   * Retries after a 5xx, 408 or 429 answer or a network error (a timeout is not retried: a server
   * too slow once is likely too slow again, and each try would cost the whole timeout). Default: 2.
   */
  retries?: number;
  /** Wait before retry i (0-based): retryDelayMs * 2^i, unless the answer says Retry-After. Default: 500. */
  retryDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the fetch fails with that status. Default: 60,000. */
  maxRetryAfterMs?: number;
  /**
   * Stop reading a body past this many bytes (after decompression): the page is found, with
   * `truncated: true` and the links read before the cut. Default: 32 MiB.
   */
  maxBytes?: number;
  /**
   * At most this many connections to one origin; a request past them waits for one to be free.
   * Give it the crawl's per-host cap: undici lets a kept-alive connection rest one turn of the
   * event loop before its next request, and a request in that turn would otherwise open another.
   * Default: Infinity (as many as there are requests in flight).
   */
  connectionsPerOrigin?: number;
  /** Fail a redirect chain longer than this. Default: 10. */
  maxRedirects?: number;
  /** Default: `chancrawl/VERSION (+home page)`. */
  userAgent?: string;
  /**
   * More request headers, sent with every request (names in any case; one given here replaces
   * the default of that name, `accept` for instance). Default: none.
   */
  headers?: Record<string, string>;
  /**
   * More request headers for one URL, asked before each request of it (a cookie file's Cookie
   * header, say); they replace `headers` of the same name. Default: none.
   */
  headersFor?: (url: string) => Record<string, string> | undefined;
  /** How links and redirect targets are normalized (see normalizeUrl). Default: its defaults. */
  normalize?: Omit<NormalizeOptions, 'base'>;
  /**
   * URLs only checked, not read: requested with HEAD (GET when the server answers HEAD with 405 or
   * 501), the body not read, no links (link checking off the site). Default: none.
   */
  checkOnly?: (url: string) => boolean;
  /**
   * Also give as links, to be checked only, a page's assets: <img src>, <script src>, and <link href>
   * for a stylesheet, an icon, a manifest or a preload. Default: false.
   */
  assets?: boolean;
  /** Credentials sent as HTTP Basic auth, to URLs of this origin only (a link elsewhere never gets them). Default: none. */
  auth?: BasicAuth;
  /**
   * Keep each HTML page's decoded body in `page.html`, for extraction: `documentOf(page)`
   * (lib/fetchers/dom.ts) builds its linkedom DOM from it on first use; a function keeps the
   * bodies of the URLs it says true for. Default: false (a page's links are read as it streams
   * in and its body is not held).
   */
  keepBody?: boolean | ((url: string) => boolean);
  /** Keep each page's response headers in `page.headers`. Default: false. */
  keepHeaders?: boolean;
}

/** A fetch that failed: `status` is the HTTP status when there was an answer (lib/designs/visit.ts reports it). */
export class FetchError extends Error {
  override name = 'FetchError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const htmlTypes = new Set(['text/html', 'application/xhtml+xml']);
const transientCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** What one attempt gave: a page, or an answer worth retrying. */
type Attempt = { kind: 'page'; page: Page } | { kind: 'retry'; status: number; retryAfterMs?: number } | { kind: 'no-head' };

/**
 * Fetches pages over HTTP(S) and finds their links. Redirects are not followed here: a 3xx answer
 * is a page whose one link is the target, so the design's fetched map fetches a target once,
 * a redirect loop ends by itself, and the seams that filter links (scope, robots) judge the
 * target as they judge any link. Only the chain length is tracked here, to cap it.
 */
export class HttpFetcher implements Fetcher {
  readonly #options: Required<Omit<HttpOptions, 'normalize' | 'auth' | 'checkOnly' | 'headers' | 'headersFor'>> &
    Pick<HttpOptions, 'auth' | 'checkOnly' | 'headers' | 'headersFor'> & { normalize: Omit<NormalizeOptions, 'base'> };
  /** Asset URLs met in pages (and their redirect targets): checked, never parsed. */
  readonly #assets = new Set<string>();
  /** Redirect target -> redirects in the shortest chain that has reached it so far. */
  readonly #redirectHops = new Map<string, number>();
  /** The fetcher's own connection pools (one per origin, kept alive), so that close() can end their sockets. */
  readonly #dispatcher: Agent;
  /** Every request's headers; #authHeaders adds the credentials', for their origin only. */
  readonly #headers: Record<string, string>;
  readonly #authHeaders: Record<string, string> | undefined;
  /** Aborted by close(): requests still on the wire end with it. */
  readonly #closing = new AbortController();

  constructor(options: HttpOptions = {}) {
    this.#options = { ...httpDefaults, normalize: {}, ...withoutUndefined(options) };
    const o = this.#options;
    // Redirects are not followed and bodies not decompressed by undici (it does neither unasked):
    // decompressed() decodes, never reading ahead of our reader, whose byte cap stops a bomb.
    // The whole-request timeout is a timer of ours in #attempt: undici times only the parts.
    const connections = o.connectionsPerOrigin === Infinity ? null : o.connectionsPerOrigin;
    this.#dispatcher = new Agent({ connections, connect: { timeout: o.connectTimeoutMs }, headersTimeout: o.responseTimeoutMs, bodyTimeout: 0 });
    this.#headers = {
      'user-agent': o.userAgent,
      accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
      'accept-encoding': acceptEncoding,
      ...lowerCased(o.headers),
    };
    this.#authHeaders = o.auth === undefined ? undefined : { ...this.#headers, authorization: basicAuthorization(o.auth) };
  }

  /**
   * Releases what the fetcher holds: its kept-alive connections are closed, requests still on the
   * wire are aborted, and every later fetch rejects. Call it when the crawl is over, so that
   * nothing of the fetcher keeps the process alive. Resolves once the sockets are closed.
   */
  async close(): Promise<void> {
    if (this.#closing.signal.aborted) return;
    this.#closing.abort(new FetchError('the fetcher was closed'));
    await this.#dispatcher.destroy();
  }

  async fetch(url: string, signal?: AbortSignal): Promise<Page> {
    const { retries, retryDelayMs, maxRetryAfterMs } = this.#options;
    let head = this.#assets.has(url) || this.#options.checkOnly?.(url) === true;
    const check = head;
    for (let attempt = 0; ; attempt++) {
      let outcome: Attempt;
      try {
        outcome = await this.#attempt(url, signal, check, head);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (this.#closing.signal.aborted) throw this.#closing.signal.reason;
        if (attempt < retries && isTransient(error)) {
          await sleep(retryDelayMs * 2 ** attempt, signal);
          continue;
        }
        throw asFetchError(error, this.#options);
      }
      if (outcome.kind === 'page') return outcome.page;
      if (outcome.kind === 'no-head') {
        [head, attempt] = [false, attempt - 1]; // not a retry: the same check by GET
        continue;
      }
      const { status, retryAfterMs } = outcome;
      const statusText = httpStatus(status);
      if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) {
        throw new FetchError(`${statusText} (Retry-After ${retryAfterMs / 1000} s is past the ${maxRetryAfterMs / 1000} s cap)`, status);
      }
      if (attempt >= retries) throw new FetchError(attempt === 0 ? statusText : `${statusText} (after ${attempt} retries)`, status);
      await sleep(retryAfterMs ?? retryDelayMs * 2 ** attempt, signal);
    }
  }

  async #attempt(url: string, signal: AbortSignal | undefined, check: boolean, head: boolean): Promise<Attempt> {
    const o = this.#options;
    const target = new URL(url);
    const headers = this.#requestHeaders(url, target.origin);
    // The crawl's signal, close() and the whole-request timer abort the attempt (see exchange).
    const timeout = () => new FetchError(`timeout: the request took longer than ${o.requestTimeoutMs} ms in all`);
    return await exchange(
      this.#dispatcher,
      target,
      { method: head ? 'HEAD' : 'GET', headers, signals: [signal, this.#closing.signal], timeoutMs: o.requestTimeoutMs, timeout },
      async (response) => {
        const status = response.statusCode;
        const contentType = header(response.headers, 'content-type');
        const mime = contentType?.split(';')[0]?.trim().toLowerCase();
        const declared = Number(header(response.headers, 'content-length') ?? NaN);
        const length = Number.isFinite(declared) ? declared : undefined;

        // An answer whose body is not wanted: read a small body to its end anyway, so the connection
        // goes back to the pool instead of being closed (a site's 404s would each cost a new one).
        const unread = async <T>(outcome: T): Promise<T> => ((length ?? 0) <= drainBytes && (await drain(response.body)), outcome);
        if (status >= 300 && status < 400)
          return await unread({ kind: 'page', page: this.#redirect(url, status, header(response.headers, 'location'), contentType) });
        if (head && (status === 405 || status === 501)) return await unread({ kind: 'no-head' });
        if (status >= 500 || status === 429 || status === 408)
          return await unread({ kind: 'retry', status, retryAfterMs: retryAfter(header(response.headers, 'retry-after')) });
        if (status >= 400) throw await unread(new FetchError(httpStatus(status), status));
        if (check) return await unread({ kind: 'page', page: { url, urls: [], status, contentType } }); // checked: the body is not read
        if (mime !== undefined && mime !== '' && !htmlTypes.has(mime)) {
          return await unread({ kind: 'page', page: { url, urls: [], status, contentType, bytes: length } }); // not HTML: not parsed
        }
        const keepBody = typeof o.keepBody === 'function' ? o.keepBody(url) : o.keepBody;
        const reader = new LinkReader(url, { contentType, normalize: o.normalize, sniff: !mime, keepText: keepBody, assets: o.assets });
        let bytes = 0;
        let truncated = false;
        let unyielded = 0;
        for await (const chunk of decompressed(response.body as AsyncIterable<Buffer>, header(response.headers, 'content-encoding'))) {
          const room = o.maxBytes - bytes;
          if (chunk.length > room) {
            reader.write(chunk.subarray(0, room));
            bytes += room;
            truncated = true; // the rest is not read: exchange() destroys the body, closing the connection
            break;
          }
          bytes += chunk.length;
          reader.write(chunk);
          // A stream with data buffered hands it over on microtasks: a turn of the event loop now
          // and then lets timers and signals (a timeout, --max-time, SIGINT) in mid-page.
          if ((unyielded += chunk.length) >= yieldBytes) {
            unyielded = 0;
            await nextTurn();
            if (signal?.aborted) throw signal.reason;
          }
        }
        const { title, urls } = this.#withAssets(reader.end());
        // A Refresh header names a link of an HTML page, before those of its body (it came first);
        // one that only reloads the page ('') is no link.
        const refresh = refreshUrl(header(response.headers, 'refresh') ?? '');
        const refreshed = refresh && reader.html ? normalizeUrl(refresh, { ...o.normalize, base: url }) : undefined;
        const page: Page = { url, urls: refreshed === undefined ? urls : [refreshed, ...urls], title, status, contentType, bytes };
        if (truncated) page.truncated = true;
        if (keepBody && reader.html) page.html = reader.text();
        if (o.keepHeaders) page.headers = headersOf(response.headers);
        return { kind: 'page', page };
      },
    );
  }

  /** The headers of a request for `url`: every request's, the credentials' for their origin, then headersFor's. */
  #requestHeaders(url: string, origin: string): Record<string, string> {
    const o = this.#options;
    const shared = this.#authHeaders !== undefined && origin === o.auth?.origin ? this.#authHeaders : this.#headers;
    const own = o.headersFor?.(url);
    return own === undefined ? shared : { ...shared, ...lowerCased(own) };
  }

  /** A 3xx answer as a page that links to its target. */
  #redirect(url: string, status: number, location: string | undefined, contentType: string | undefined): Page {
    const statusText = httpStatus(status);
    if (location === undefined || location.trim() === '') throw new FetchError(`${statusText} without a Location`, status);
    const target = normalizeUrl(location.trim(), { ...this.#options.normalize, base: url });
    if (target === undefined) throw new FetchError(`${statusText} to a URL that is not http(s): ${location}`, status);
    const hops = (this.#redirectHops.get(url) ?? 0) + 1;
    if (hops > this.#options.maxRedirects) throw new FetchError(`too many redirects (more than ${this.#options.maxRedirects})`, status);
    if (hops < (this.#redirectHops.get(target) ?? Infinity)) this.#redirectHops.set(target, hops);
    if (this.#assets.has(url)) this.#assets.add(target);
    return { url: target, urls: [target], status, contentType, bytes: 0 };
  }

  /** The title and the normalized http(s) links of a whole HTML page at `url` (see LinkReader). */
  links(html: string, url: string): PageLinks {
    return this.#withAssets(readLinks(html, url, this.#options.normalize, this.#options.assets));
  }

  /**
   * GETs `url` for what its body says rather than for its links (a sitemap, robots.txt): with this
   * fetcher's headers (headersFor's too), credentials and timeouts, redirects followed (at most maxRedirects), and a
   * 5xx, 408, 429 or network error before the body retried as a page's fetch is. `consume` is given
   * the body as it streams in, decompressed as its Content-Encoding says, and the URL it came from
   * after redirects; an error answer rejects with a FetchError and `consume` is not called.
   */
  async read<T>(url: string, consume: (body: AsyncIterable<Buffer>, url: string) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const o = this.#options;
    const timeout = () => new FetchError(`timeout: the request took longer than ${o.requestTimeoutMs} ms in all`);
    let target = url;
    for (let attempt = 0, hops = 0; ; attempt++) {
      const u = new URL(target);
      const headers = { ...this.#requestHeaders(target, u.origin), accept: 'application/xml,text/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5' };
      let reading = false;
      let outcome: { done: T } | { next: string } | { waitMs: number };
      try {
        outcome = await exchange(
          this.#dispatcher,
          u,
          { method: 'GET', headers, signals: [signal, this.#closing.signal], timeoutMs: o.requestTimeoutMs, timeout },
          async (response) => {
            const status = response.statusCode;
            if (status >= 300 && status < 400) {
              const location = header(response.headers, 'location')?.trim();
              const next = location ? normalizeUrl(location, { ...o.normalize, base: target }) : undefined;
              if (next === undefined) throw new FetchError(`${httpStatus(status)} without an http(s) Location`, status);
              if ((hops += 1) > o.maxRedirects) throw new FetchError(`too many redirects (more than ${o.maxRedirects})`, status);
              return { next };
            }
            if (status >= 500 || status === 429 || status === 408) {
              const statusText = httpStatus(status);
              if (attempt >= o.retries) throw new FetchError(attempt === 0 ? statusText : `${statusText} (after ${attempt} retries)`, status);
              const waitMs = retryAfter(header(response.headers, 'retry-after')) ?? o.retryDelayMs * 2 ** attempt;
              if (waitMs > o.maxRetryAfterMs)
                throw new FetchError(`${statusText} (Retry-After ${waitMs / 1000} s is past the ${o.maxRetryAfterMs / 1000} s cap)`, status);
              return { waitMs };
            }
            if (status >= 400) throw new FetchError(httpStatus(status), status);
            reading = true;
            return { done: await consume(decompressed(response.body as AsyncIterable<Buffer>, header(response.headers, 'content-encoding')), target) };
          },
        );
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (this.#closing.signal.aborted) throw this.#closing.signal.reason;
        // Once the body is being read, what `consume` took cannot be taken back: no retry then.
        if (reading || error instanceof FetchError || attempt >= o.retries || !isTransient(error)) throw asFetchError(error, o);
        outcome = { waitMs: o.retryDelayMs * 2 ** attempt };
      }
      if ('done' in outcome) return outcome.done;
      if ('next' in outcome)
        [target, attempt] = [outcome.next, attempt - 1]; // a redirect is not a retry
      else await sleep(outcome.waitMs, signal);
    }
  }

  /** Remembers a page's assets, so that they are checked (HEAD), not read. */
  #withAssets(links: PageLinks): PageLinks {
    for (const link of links.assets ?? []) this.#assets.add(link);
    return links;
  }
}

/** Bytes of body read between two turns of the event loop. */
const yieldBytes = 256 * 1024;

/** The most of an unwanted body read to keep its connection: past this, closing it is cheaper. */
const drainBytes = 64 * 1024;

/** Reads `stream` to its end unless it passes drainBytes; true if it ended. Never rejects. */
async function drain(stream: AsyncIterable<Buffer>): Promise<boolean> {
  let bytes = 0;
  try {
    for await (const chunk of stream) if ((bytes += chunk.length) > drainBytes) return false;
    return true;
  } catch {
    return false;
  }
}

/** `HTTP 404 Not Found`. */
function httpStatus(status: number): string {
  return `HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
}

/** Waits, or rejects with the signal's own reason (timers/promises would replace it with an AbortError). */
/** Retry-After in milliseconds: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfter(header: string | undefined, now = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A failure as one line: what timed out, or the error's code and message. */
function asFetchError(error: unknown, o: { connectTimeoutMs: number; responseTimeoutMs: number }): Error {
  if (error instanceof FetchError) return error;
  const code = codeOf(error);
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return new FetchError(`timeout: no response within ${o.responseTimeoutMs} ms`);
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return new FetchError(`timeout: no connect within ${o.connectTimeoutMs} ms`);
  if (code !== undefined && error instanceof Error) return new FetchError(`${code}: ${error.message}`);
  return error instanceof Error ? error : new Error(String(error));
}

/** undici's and the socket's error code: ECONNRESET, UND_ERR_SOCKET (the server closed the connection), UND_ERR_HEADERS_TIMEOUT. */
function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isTransient(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && transientCodes.has(code);
}

/** Node's response headers without its undefined entries (names are lower-cased already). */
function headersOf(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string | string[]] => entry[1] !== undefined));
}

function lowerCased(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
