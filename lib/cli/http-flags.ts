// The crawl command's flags for crawling over HTTP: their zod checks, their parseArgs specs, their
// help text, and the HttpFetcher options and start URL they give. Kept out of cli.ts so it stays short.
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { BasicAuth } from '../fetchers/auth.js';
import type { HttpOptions } from '../fetchers/http.js';
import { normalizeUrl, originOf } from '../fetchers/normalize.js';

const count = (min: number) => z.string().regex(/^\d+$/, `must be a whole number >= ${min}`).transform(Number).refine((n) => n >= min, `must be a whole number >= ${min}`);

/** Merged into the crawl command's zod schema. Every flag is optional: HttpFetcher has the defaults. */
export const httpFlagShape = {
  'connect-timeout-ms': count(1).optional(),
  'response-timeout-ms': count(1).optional(),
  'timeout-ms': count(1).optional(),
  retries: count(0).optional(),
  'retry-delay-ms': count(0).optional(),
  'max-retry-after-ms': count(0).optional(),
  'max-bytes': count(1).optional(),
  'max-redirects': count(0).optional(),
  'user-agent': z.string().min(1, 'must not be empty').optional(),
  auth: z.string().regex(/:/, 'must be USER:PASSWORD').optional(),
  'sort-query': z.boolean().optional(),
  'remove-tracking': z.boolean().optional(),
  quiet: z.boolean().optional(),
};

/** Merged into the command's parseArgs options. */
export const httpOptionSpecs = {
  'connect-timeout-ms': { type: 'string' },
  'response-timeout-ms': { type: 'string' },
  'timeout-ms': { type: 'string' },
  retries: { type: 'string' },
  'retry-delay-ms': { type: 'string' },
  'max-retry-after-ms': { type: 'string' },
  'max-bytes': { type: 'string' },
  'max-redirects': { type: 'string' },
  'user-agent': { type: 'string' },
  auth: { type: 'string' },
  'sort-query': { type: 'boolean' },
  'remove-tracking': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

/** The environment variable that holds USER:PASSWORD when neither --auth nor START_URL does. */
export const authVariable = 'CHANCRAWL_AUTH';

export const httpUsage = `
Crawling a site: an http(s) START_URL and no --fixture crawls over HTTP, each page's links
taken from its <a href> and <area href>; a redirect is a page linking to its target.
  --connect-timeout-ms N   time to connect (default: 5000)
  --response-timeout-ms N  time from request to response headers (default: 15000)
  --timeout-ms N           time for a whole request, body included (default: 30000)
  --retries N              retries after a 5xx, 408, 429 or a network error (default: 2)
  --retry-delay-ms N       backoff: N ms before the first retry, doubling (default: 500);
                           a Retry-After header is honoured instead
  --max-retry-after-ms N   fail rather than wait for a longer Retry-After (default: 60000)
  --max-bytes N            fail a page larger than N bytes, "too large" (default: 5242880)
  --max-redirects N        fail a redirect chain longer than N (default: 10)
  --user-agent S           (default: chancrawl/VERSION (+home page)); robots.txt is read
                           for its product token, the name before the first "/"
  --auth USER:PASSWORD     HTTP Basic auth, sent to START_URL's origin only (scheme, host,
                           port); also taken from START_URL's user:password@, else from the
                           environment variable ${authVariable}=USER:PASSWORD, which ps does not show.
                           Reports never print credentials; a link's user:password@ is dropped
  --sort-query             sort query parameters when comparing URLs
  --remove-tracking        drop utm_* and other tracking parameters from URLs
  -q, --quiet              no summary on stderr at the end (ok, failed, skipped, bytes, pages/s)
`;

type HttpFlags = { [K in keyof typeof httpFlagShape]?: z.output<(typeof httpFlagShape)[K]> };

/** True when the crawl goes over HTTP: an http(s) START_URL and no --fixture. */
export function crawlsOverHttp(start: string | undefined, fixtureGiven: boolean): boolean {
  return !fixtureGiven && start !== undefined && /^\s*https?:/i.test(start);
}

/** A fixture crawl takes none of these flags: say so rather than ignore one. */
export function rejectHttpFlags(values: Record<string, unknown>): void {
  const given = Object.keys(httpOptionSpecs).find((name) => name !== 'quiet' && values[name] !== undefined);
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
    normalize: { sortQuery: f['sort-query'], removeTracking: f['remove-tracking'] },
  };
}

/**
 * The START_URL in normal form, the form every discovered link takes, so the start is not fetched
 * twice, without its credentials; and the credentials for its origin: --auth, else START_URL's
 * user:password@, else the environment's ${authVariable}.
 */
export function httpStart(text: string, f: HttpFlags, env: NodeJS.ProcessEnv = {}): { start: string; auth?: BasicAuth } {
  const start = normalizeUrl(text, { sortQuery: f['sort-query'], removeTracking: f['remove-tracking'] });
  if (start === undefined) throw new InputError(`START_URL: not an http(s) URL (got ${JSON.stringify(withoutCredentials(text))})`);
  const origin = originOf(start)!;
  const given = new URL(text.trim());
  if (f.auth !== undefined) return { start, auth: credentials(origin, f.auth) };
  if (given.username !== '' || given.password !== '') return { start, auth: { origin, username: percentDecoded(given.username), password: percentDecoded(given.password) } };
  const fromEnv = env[authVariable];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!fromEnv.includes(':')) throw new InputError(`${authVariable}: must be USER:PASSWORD`);
    return { start, auth: credentials(origin, fromEnv) };
  }
  return { start };
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
