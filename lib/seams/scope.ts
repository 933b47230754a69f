// The crawl's scope: which discovered links it may follow. A Fetcher wrapper moves the others from
// page.urls to page.dropped, so the designs never see them and crawl() reports them as skipped.
import { getDomain } from 'tldts';
import { urlParts, type UrlParts } from '../fetchers/normalize.js';
import type { Fetcher } from '../types.js';
import { keepLinks } from './drop.js';
import type { Scope } from './scopes.js';

/**
 * Which links stay in scope, compared with the start URL:
 * - 'origin': same scheme, host and port (the default; what a browser calls one site);
 * - 'host': same host name, any scheme or port;
 * - 'domain': same registrable domain by the public suffix list, private suffixes such as
 *   github.io included (`a.example.co.uk` and `b.example.co.uk` share `example.co.uk`; `x.co.uk`
 *   and `y.co.uk` do not); an IP address or a name with no registrable domain (`localhost`) is
 *   compared as a whole host name;
 * - 'any': every http or https URL.
 */
export { scopes, type Scope } from './scopes.js';

export interface ScopeOptions {
  /** Default: 'origin'. */
  scope?: Scope;
  /**
   * Regular expressions tested against the whole URL (unanchored, as `RegExp.test` does): when
   * any are given, a link must match at least one. Default: none, so every link in scope passes.
   */
  include?: RegExp[];
  /** Regular expressions tested against the whole URL: a link that matches any is out of scope. */
  exclude?: RegExp[];
  /**
   * Links off the site (out of `scope`, yet http(s) and passing include and exclude) are fetched
   * to check them, but not followed: their pages' links are left out, a redirect's target kept.
   * Give HttpFetcher `checkOnly: scopeTests(start, options).offSite` to make those requests HEAD.
   * Default: false, they are reported skipped 'scope'.
   */
  checkExternal?: boolean;
}

/**
 * The test `inScope(url)` for a crawl from `start`. The start URL itself is always in scope: the
 * user asked for it. A string that is not an http or https URL is never in scope.
 */
export function scopeTest(start: Parameters<typeof scopeTests>[0], options: ScopeOptions = {}): (url: string) => boolean {
  return scopeTests(start, options).inScope;
}

/**
 * inScope as scopeTest gives it, and offSite: the links that checkExternal checks (always false
 * without it). Several starts (a crawl from several seeds) are each in scope, and the site of each
 * is the crawl's; so is the site of each of `sites` (the sitemaps seeds came from), whose URLs are
 * judged as links are.
 */
export function scopeTests(
  start: string | { starts: readonly string[]; sites: readonly string[] },
  options: ScopeOptions = {},
): { inScope: (url: string) => boolean; offSite: (url: string) => boolean } {
  const { scope = 'origin', include = [], exclude = [], checkExternal = false } = options;
  const starts = new Set(typeof start === 'string' ? [start] : start.starts);
  const roots = [...starts, ...(typeof start === 'string' ? [] : start.sites)].map((u) => new URL(u));
  const origins = new Set(roots.map((u) => u.origin));
  const hosts = new Set(roots.map((u) => u.hostname));
  const domains = new Set(roots.map((u) => registrable(u.hostname)));
  const sameSite: Record<Scope, (u: UrlParts) => boolean> = {
    origin: (u) => origins.has(u.origin),
    host: (u) => hosts.has(u.hostname),
    domain: (u) => domains.has(registrable(u.hostname)),
    any: () => true,
  };
  /** 'in', 'off' the site (else passing), or 'out'. */
  const judge = (url: string): 'in' | 'off' | 'out' => {
    if (starts.has(url)) return 'in';
    const u = urlParts(url); // a link as the link reader normalized it is read, not parsed again
    if (u === undefined) return 'out';
    if (include.length > 0 && !include.some((re) => test(re, url))) return 'out';
    if (exclude.some((re) => test(re, url))) return 'out';
    return sameSite[scope](u) ? 'in' : 'off';
  };
  return { inScope: (url) => judge(url) === 'in', offSite: checkExternal ? (url) => judge(url) === 'off' : () => false };
}

/**
 * The fetcher, with the links a page gives (a redirect's Location too) kept to `inScope`, or
 * `offSite`: those are fetched too, but a page off the site gives no links (a redirect still does).
 */
export function scoped(fetcher: Fetcher, inScope: (url: string) => boolean, offSite: (url: string) => boolean = () => false): Fetcher {
  const follow = (url: string) => inScope(url) || offSite(url);
  return {
    async fetch(url, signal) {
      const page = await fetcher.fetch(url, signal);
      if (offSite(url) && !isRedirect(page.status)) return page.urls.length === 0 ? page : { ...page, urls: [] }; // checked, not followed
      return keepLinks(page, follow, 'scope');
    },
  };
}

function isRedirect(status: number | undefined): boolean {
  return status !== undefined && status >= 300 && status < 400;
}

function registrable(hostname: string): string {
  return getDomain(hostname, { allowPrivateDomains: true }) ?? hostname;
}

// A /g or /y pattern keeps lastIndex between calls, which would make `test` alternate.
function test(re: RegExp, url: string): boolean {
  re.lastIndex = 0;
  return re.test(url);
}
