// URL normalization: the one key the designs' fetched maps use, so that two spellings of one page
// are fetched once.

/** The query parameters `removeTracking` drops: names, or prefixes ending in `*`. */
export const trackingParams: readonly string[] = [
  'utm_*',
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'mc_cid',
  'mc_eid',
  'igshid',
  '_ga',
  '_gl',
];

export interface NormalizeOptions {
  /** Resolve a relative `url` against this absolute URL. Default: none (a relative URL gives undefined). */
  base?: string | URL;
  /** Drop `#fragment`: a fragment never reaches the server. Default: true. */
  dropFragment?: boolean;
  /** Sort query parameters by name (stable, so repeated names keep their order). Default: false. */
  sortQuery?: boolean;
  /** Drop tracking parameters (see `trackingParams`). Default: false. */
  removeTracking?: boolean;
}

/**
 * The normal form of an http or https URL, or undefined when `url` is not one (another scheme such
 * as mailto:, javascript:, tel: or data:, or a string that does not parse). Never throws.
 *
 * Always done, by the WHATWG URL parser: surrounding whitespace trimmed and tabs and newlines
 * removed; scheme and host lower-cased (and an IDN host put in punycode); the default port
 * dropped (80 for http, 443 for https); `.` and `..` path segments resolved; an empty path made
 * `/`; characters that must be percent-encoded encoded. Then by us: credentials (`user:pass@`)
 * dropped, so that no report prints them and a page linked with and without them is one page
 * (HttpOptions.auth sends them as a header instead). The rest follows `options`.
 * Normalizing a normal form returns it unchanged.
 */
export function normalizeUrl(url: string, options: NormalizeOptions = {}): string | undefined {
  const { base, dropFragment = true, sortQuery = false, removeTracking = false } = options;
  let parsed: URL;
  try {
    parsed = new URL(url, base);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  // Each setter re-serializes the URL: set only what is there (a page's links are mostly plain).
  if (parsed.username !== '') parsed.username = '';
  if (parsed.password !== '') parsed.password = '';
  if ((sortQuery || removeTracking) && parsed.search !== '') {
    const params = parsed.searchParams;
    if (removeTracking) for (const name of [...params.keys()]) if (isTracking(name)) params.delete(name);
    if (sortQuery) params.sort(); // an emptied query goes with its '?', as URLSearchParams updates the URL
  }
  const href = parsed.href;
  // The fragment cut off the serialization rather than by the hash setter, which serializes the URL
  // again; the first '#' starts it (one in the path or query is percent-encoded). An empty one too.
  const hash = dropFragment ? href.indexOf('#') : -1;
  return remembered(hash === -1 ? href : href.slice(0, hash));
}

function isTracking(name: string): boolean {
  const lower = name.toLowerCase();
  return trackingParams.some((p) => (p.endsWith('*') ? lower.startsWith(p.slice(0, -1)) : lower === p));
}

/** `http://host:port` of a URL (no default port), or undefined when it does not parse. */
export function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** What the seams judge a link by: these of its URL's parts, as the WHATWG URL parser gives them. */
export interface UrlParts {
  /** `http:` or `https:`. */
  protocol: string;
  /** `http://host:port`, without a default port. */
  origin: string;
  hostname: string;
  pathname: string;
  /** `?query`, or '' when there is none (a lone `?` too, as URL.search says). */
  search: string;
}

/**
 * The parts of an http(s) URL, or undefined for another scheme or a string that does not parse.
 * Never throws. A URL that normalizeUrl gave lately is read off its string, as its normal form
 * allows (no credentials, the path from the first `/` after `//`, no `?` or `#` left unencoded
 * in the path): so a link found on a page is parsed once, where it is normalized, and the seams
 * after (scope, robots.txt) only read it. Any other string goes through the URL parser.
 */
export function urlParts(url: string): UrlParts | undefined {
  if (latest.has(url) || earlier.has(url)) {
    const protocol = url.charCodeAt(4) === 0x73 ? 'https:' : 'http:'; // 's'
    const path = url.indexOf('/', protocol.length + 2);
    const host = url.slice(protocol.length + 2, path);
    const port = host.startsWith('[') ? host.indexOf(':', host.indexOf(']')) : host.indexOf(':');
    const hash = url.indexOf('#', path);
    const end = hash === -1 ? url.length : hash;
    const query = url.indexOf('?', path);
    const pathEnd = query === -1 || query > end ? end : query;
    return {
      protocol,
      origin: url.slice(0, path),
      hostname: port === -1 ? host : host.slice(0, port),
      pathname: url.slice(path, pathEnd),
      search: end - pathEnd > 1 ? url.slice(pathEnd, end) : '',
    };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  return { protocol: parsed.protocol, origin: parsed.origin, hostname: parsed.hostname, pathname: parsed.pathname, search: parsed.search };
}

/**
 * The normal forms normalizeUrl gave lately, so that urlParts knows them: two generations of
 * `generation` strings, most of them held by a crawl anyway. Whether a string is a normal form is
 * a fact about the string, true whichever crawl asks; a link judged after its generation is
 * dropped is parsed again, no more.
 */
let latest = new Set<string>();
let earlier = new Set<string>();
const generation = 8192;

function remembered(href: string): string {
  if (latest.size >= generation) [earlier, latest] = [latest, new Set()];
  latest.add(href);
  return href;
}
