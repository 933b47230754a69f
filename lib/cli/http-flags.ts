// The crawl command's flags for crawling over HTTP (declared in flag-table.ts): the HttpFetcher
// options and the start URL they give.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { InputError } from '../errors.js';
import type { BasicAuth } from '../fetchers/auth.js';
import { CookieJar, readCookieFile } from '../fetchers/cookies.js';
import type { HttpOptions } from '../fetchers/http.js';
import { normalizeUrl, originOf } from '../fetchers/normalize.js';
import { authVariable, httpFlags } from './flag-table.js';

type HttpFlags = { [K in keyof typeof httpFlags]?: z.output<(typeof httpFlags)[K]['schema']> };

/** True when the crawl goes over HTTP: a START_URL and no --fixture (httpStart says which START_URLs are bad). */
export function crawlsOverHttp(start: string | undefined, fixtureGiven: boolean): boolean {
  return !fixtureGiven && start !== undefined;
}

/** A fixture crawl takes none of these flags: say so rather than ignore one. */
export function rejectHttpFlags(values: Record<string, unknown>): void {
  const given = Object.keys(httpFlags).find((name) => name !== 'quiet' && values[name] !== undefined);
  if (given !== undefined) throw new InputError(`--${given} applies to crawling a site (an http(s) START_URL without --fixture)`);
}

export function httpOptionsOf(f: HttpFlags, auth: BasicAuth | undefined): HttpOptions {
  return {
    auth,
    connectTimeoutMs: f['connect-timeout-ms'],
    responseTimeoutMs: f['response-timeout-ms'],
    requestTimeoutMs: f['timeout-ms'],
    retries: f.retries,
    retryDelayMs: f['retry-delay-ms'],
    maxRetryAfterMs: f['max-retry-after-ms'],
    maxBytes: f['max-bytes'],
    maxRedirects: f['max-redirects'],
    userAgent: f['user-agent'],
    headers: f.header,
    headersFor: f.cookies === undefined ? undefined : cookiesFor(f.cookies, f.header?.cookie),
    assets: f.assets,
    keepBody: f.extract === undefined ? false : (url) => f['extract-from'] === undefined || f['extract-from'].some((pattern) => pattern.test(url)),
    normalize: { sortQuery: f['sort-query'], removeTracking: f['remove-tracking'] },
  };
}

/** The Cookie header of each URL from --cookies FILE, after a --header Cookie's own value if one is given. */
function cookiesFor(path: string, given: string | undefined): (url: string) => Record<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`--cookies ${path}: cannot read it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const jar = new CookieJar(readCookieFile(text, `--cookies ${path}`));
  return (url) => {
    const cookie = jar.header(url);
    return cookie === undefined ? undefined : { cookie: given === undefined ? cookie : `${given}; ${cookie}` };
  };
}

/**
 * The START_URL in normal form, the form every discovered link takes, so the start is not fetched
 * twice, without its credentials; and the credentials for its origin: --auth, else START_URL's
 * user:password@, else the environment's ${authVariable}.
 */
export function httpStart(
  given: string,
  f: HttpFlags,
  env: NodeJS.ProcessEnv = {},
  warn: (line: string) => void = () => {},
): { start: string; auth?: BasicAuth } {
  const text = withScheme(given, warn);
  const start = normalizeUrl(text, { sortQuery: f['sort-query'], removeTracking: f['remove-tracking'] });
  if (start === undefined) throw new InputError(`START_URL: not an http(s) URL (got ${JSON.stringify(withoutCredentials(given))})`);
  const origin = originOf(start)!;
  const url = new URL(text.trim());
  if (f.auth !== undefined) return { start, auth: credentials(origin, f.auth) };
  if (url.username !== '' || url.password !== '')
    return { start, auth: { origin, username: percentDecoded(url.username), password: percentDecoded(url.password) } };
  const fromEnv = env[authVariable];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!fromEnv.includes(':')) throw new InputError(`${authVariable}: must be USER:PASSWORD`);
    return { start, auth: credentials(origin, fromEnv) };
  }
  return { start };
}

/**
 * A START_URL with its scheme: http(s) as given; a bare host such as `example.com` or
 * `127.0.0.1:8080/x` as `http://` (said on stderr, as wget and curl take it); another scheme
 * (`ftp://`, `mailto:`) is bad input.
 */
function withScheme(given: string, warn: (line: string) => void): string {
  const text = given.trim();
  if (/^https?:/i.test(text)) return text;
  const scheme = /^([a-z][a-z\d+.-]*):(?!\d+(?:[/?#]|$))/i.exec(text)?.[1]; // host:port is not a scheme
  if (scheme !== undefined || text === '' || text.startsWith('/')) {
    throw new InputError(
      `START_URL: chancrawl crawls http(s) URLs, such as https://example.org/ (got ${JSON.stringify(withoutCredentials(given))}); a fixture's page needs --fixture FILE`,
    );
  }
  warn(`chancrawl: START_URL has no scheme: crawling http://${withoutCredentials(text)}`);
  return `http://${text}`;
}

/** USER:PASSWORD split at its first colon (RFC 7617: a user-id has no colon; a password may). */
function credentials(origin: string, text: string): BasicAuth {
  const colon = text.indexOf(':');
  return { origin, username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** The URL parser keeps userinfo percent-encoded; a stray `%` that decodes to nothing is kept as written. */
function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Text that may be a URL, with any `user:password@` after its scheme masked, for error messages. */
export function withoutCredentials(text: string): string {
  return text.replace(/^(\s*[a-z][a-z\d+.-]*:\/*)[^/?#@]*@/i, '$1***@');
}
