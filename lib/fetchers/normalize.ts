// URL normalization: the one key the designs' fetched maps use, so that two spellings of one page
// are fetched once.

/** The query parameters `removeTracking` drops: names, or prefixes ending in `*`. */
export const trackingParams: readonly string[] = ['utm_*', 'fbclid', 'gclid', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'mc_cid', 'mc_eid', 'igshid', '_ga', '_gl'];

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
  if (dropFragment && (parsed.hash !== '' || parsed.href.endsWith('#'))) parsed.hash = ''; // an empty fragment has hash '' but keeps its '#'
  if ((sortQuery || removeTracking) && parsed.search !== '') {
    const params = parsed.searchParams;
    if (removeTracking) for (const name of [...params.keys()]) if (isTracking(name)) params.delete(name);
    if (sortQuery) params.sort(); // an emptied query goes with its '?', as URLSearchParams updates the URL
  }
  return parsed.href;
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
