// The HTTP fetcher: the Go Fetcher interface over the network, on got (requests) and linkedom (links).
import { STATUS_CODES } from 'node:http';
import got, { RequestError, TimeoutError, type Got, type PlainResponse } from 'got';
import { DOMParser } from 'linkedom';
import { basicAuthorization, type BasicAuth } from './auth.js';
import { normalizeUrl, originOf, type NormalizeOptions } from './normalize.js';
import { onAbort, sleep } from '../runtime/abort.js';
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
  /** Stop reading a body past this many bytes (after decompression) and fail with "too large". Default: 5 MiB. */
  maxBytes?: number;
  /** Fail a redirect chain longer than this. Default: 10. */
  maxRedirects?: number;
  /** Default: `chancrawl/VERSION (+home page)`. */
  userAgent?: string;
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
const transientCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ENETUNREACH', 'EHOSTUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);

/** What one attempt gave: a page, or an answer worth retrying. */
type Attempt = { kind: 'page'; page: Page } | { kind: 'retry'; status: number; retryAfterMs?: number } | { kind: 'no-head' };

/**
 * Fetches pages over HTTP(S) and finds their links. Redirects are not followed here: a 3xx answer
 * is a page whose one link is the target, so the design's fetched map fetches a target once,
 * a redirect loop ends by itself, and the seams that filter links (scope, robots) judge the
 * target as they judge any link. Only the chain length is tracked here, to cap it.
 */
export class HttpFetcher implements Fetcher {
  readonly #options: Required<Omit<HttpOptions, 'normalize' | 'auth' | 'checkOnly'>> & Pick<HttpOptions, 'auth' | 'checkOnly'> & { normalize: Omit<NormalizeOptions, 'base'> };
  /** Asset URLs met in pages (and their redirect targets): checked, never parsed. */
  readonly #assets = new Set<string>();
  /** Redirect target -> redirects in the shortest chain that has reached it so far. */
  readonly #redirectHops = new Map<string, number>();
  readonly #client: Got;
  /** The headers a request to the credentials' origin adds; undefined without credentials. */
  readonly #authHeaders: { headers: { authorization: string } } | undefined;

  constructor(options: HttpOptions = {}) {
    this.#options = { ...httpDefaults, normalize: {}, ...withoutUndefined(options) };
    const o = this.#options;
    // got merges a request's options into its instance's: merged once here, each request adds only its signal.
    this.#client = got.extend({
      followRedirect: false,
      throwHttpErrors: false,
      retry: { limit: 0 },
      timeout: { connect: o.connectTimeoutMs, response: o.responseTimeoutMs, request: o.requestTimeoutMs },
      headers: { 'user-agent': o.userAgent, accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5' },
    });
    this.#authHeaders = o.auth === undefined ? undefined : { headers: { authorization: basicAuthorization(o.auth) } };
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
        if (attempt < retries && isTransient(error)) {
          await sleep(retryDelayMs * 2 ** attempt, signal);
          continue;
        }
        throw asFetchError(error);
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
    if (signal?.aborted) throw signal.reason;
    const auth = this.#authHeaders !== undefined && originOf(url) === this.#options.auth?.origin ? this.#authHeaders : undefined;
    const stream = head ? this.#client.stream(url, { ...auth, method: 'HEAD' }) : auth === undefined ? this.#client.stream(url) : this.#client.stream(url, auth);
    stream.on('error', () => {}); // every error also rejects one of the awaits below; this keeps a late one from crashing Node
    // Not got's `signal` option: it adds a listener per request to the crawl's one signal, and
    // Node's addEventListener scans them all (this halved a crawl's requests per second).
    const off = signal === undefined ? undefined : onAbort(signal, (reason) => stream.destroy(reason as Error));
    try {
      const response = await new Promise<PlainResponse>((resolve, reject) => {
        stream.once('response', resolve);
        stream.once('error', reject);
      });
      const status = response.statusCode;
      const contentType = response.headers['content-type'];
      const mime = contentType?.split(';')[0]?.trim().toLowerCase();
      const declared = Number(response.headers['content-length'] ?? NaN);
      const length = Number.isFinite(declared) ? declared : undefined;

      // An answer whose body is not wanted: read a small body to its end anyway, so the connection
      // goes back to the pool instead of being closed (a site's 404s would each cost a new one).
      const unread = async <T>(outcome: T): Promise<T> => ((length ?? 0) <= drainBytes && (await drain(stream)), outcome);
      if (status >= 300 && status < 400) return await unread({ kind: 'page', page: this.#redirect(url, status, response.headers.location, contentType) });
      if (head && (status === 405 || status === 501)) return await unread({ kind: 'no-head' });
      if (status >= 500 || status === 429 || status === 408) return await unread({ kind: 'retry', status, retryAfterMs: retryAfter(response.headers['retry-after']) });
      if (status >= 400) throw await unread(new FetchError(httpStatus(status), status));
      if (check) return await unread({ kind: 'page', page: { url, urls: [], status, contentType } }); // checked: the body is not read
      if (mime !== undefined && mime !== '' && !htmlTypes.has(mime)) {
        return await unread({ kind: 'page', page: { url, urls: [], status, contentType, bytes: length } }); // not HTML: not parsed
      }
      if (length !== undefined && length > o.maxBytes) throw tooLarge(length, o.maxBytes, status);

      const chunks: Buffer[] = [];
      let bytes = 0;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > o.maxBytes) throw tooLarge(bytes, o.maxBytes, status);
        chunks.push(chunk);
      }
      const body = Buffer.concat(chunks);
      if (!mime && !looksLikeHtml(body)) return { kind: 'page', page: { url, urls: [], status, contentType, bytes } };
      const { title, urls } = this.links(decode(body, contentType), url);
      return { kind: 'page', page: { url, urls, title, status, contentType, bytes } };
    } finally {
      off?.();
      stream.destroy();
    }
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

  /**
   * The title and the normalized http(s) links of an HTML page at `url`, in document order: the
   * href of every <a> and <area>, resolved against the first <base href>, itself resolved against
   * `url`. Attribute names are matched in any case (linkedom keeps `HREF` as written).
   */
  links(html: string, url: string): { title: string | undefined; urls: string[] } {
    const document = parser.parseFromString(html, 'text/html');
    // getElementsByTagName walks linkedom's node list; css-select (querySelectorAll) costs more than the parse.
    let base = url;
    for (const element of document.getElementsByTagName('base')) {
      const href = attribute(element, 'href');
      if (href === undefined) continue;
      base = resolve(href.trim(), url) ?? url;
      break;
    }
    const anchors = document.getElementsByTagName('a');
    const areas = document.getElementsByTagName('area');
    const elements = areas.length === 0 ? anchors : [...anchors, ...areas].sort(inDocumentOrder);
    const options = { ...this.#options.normalize, base };
    const urls: string[] = [];
    for (const element of elements) {
      const href = attribute(element, 'href');
      if (href === undefined) continue;
      const link = normalizeUrl(href.trim(), options);
      if (link !== undefined) urls.push(link);
    }
    if (this.#options.assets) {
      for (const [tag, name] of assetAttributes) {
        for (const element of document.getElementsByTagName(tag)) {
          if (tag === 'link' && !assetRels.test(attribute(element, 'rel') ?? '')) continue;
          const src = attribute(element, name);
          const link = src === undefined ? undefined : normalizeUrl(src.trim(), options);
          if (link === undefined) continue;
          urls.push(link);
          this.#assets.add(link);
        }
      }
    }
    const title = document.getElementsByTagName('title')[0]?.textContent?.replace(/\s+/g, ' ').trim();
    return { title: title || undefined, urls };
  }
}

/** The elements whose attribute names an asset, checked with `assets`. */
const assetAttributes = [['img', 'src'], ['script', 'src'], ['link', 'href']] as const;
/** The <link rel> values that name an asset; rel="next", "index", "canonical" and such name pages. */
const assetRels = /(^|\s)(stylesheet|icon|apple-touch-icon|manifest|preload|modulepreload|prefetch)(\s|$)/i;

function inDocumentOrder(a: Element, b: Element): number {
  return a.compareDocumentPosition(b) & 4 /* Node.DOCUMENT_POSITION_FOLLOWING */ ? -1 : 1;
}

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

/** linkedom's parser, reused: parseHTML would build a window around each page, doubling the parse's cost. */
const parser = new DOMParser();

/** `HTTP 404 Not Found`. */
function httpStatus(status: number): string {
  return `HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
}

function attribute(element: Element, name: string): string | undefined {
  const value = element.getAttribute(name); // the usual spelling first: the list below costs a NamedNodeMap
  if (value !== null) return value;
  for (const a of Array.from(element.attributes)) if (a.name.toLowerCase() === name) return a.value;
  return undefined;
}

function resolve(href: string, base: string): string | undefined {
  try {
    return new URL(href, base).href;
  } catch {
    return undefined;
  }
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

function isTransient(error: unknown): boolean {
  return error instanceof RequestError && !(error instanceof TimeoutError) && transientCodes.has(error.code);
}

function asFetchError(error: unknown): Error {
  if (error instanceof FetchError) return error;
  if (error instanceof TimeoutError) return new FetchError(error.event === 'request' ? `timeout: the request took longer than ${timeoutOf(error)} ms in all` : `timeout: no ${error.event} within ${timeoutOf(error)} ms`);
  if (error instanceof RequestError) return new FetchError(`${error.code}: ${error.message}`);
  return error instanceof Error ? error : new Error(String(error));
}

function timeoutOf(error: TimeoutError): string {
  return /(\d+)\s*ms/.exec(error.message)?.[1] ?? '?';
}

function tooLarge(bytes: number, max: number, status: number): FetchError {
  return new FetchError(`too large: more than ${max} bytes (${bytes} seen)`, status);
}

/** HTML by its first bytes, for an answer with no Content-Type (a subset of the WHATWG sniffing rules). */
function looksLikeHtml(body: Buffer): boolean {
  const head = body.subarray(0, 1024).toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '');
  return /^\s*<(!doctype\s+html|html|head|body|title|script|iframe|h1|div|font|table|a|style|b|br|p|!--)[\s>]/i.test(head);
}

/** The body as text: in the charset of the Content-Type, else of a <meta> in the first 1024 bytes, else UTF-8. */
function decode(body: Buffer, contentType: string | undefined): string {
  const meta = () => /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(body.subarray(0, 1024).toString('latin1'))?.[1];
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1] ?? meta();
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
