// The crawl's scope: which discovered links it may follow. A Fetcher wrapper moves the others from
// page.urls to page.dropped, so the designs never see them and crawl() reports them as skipped.
import { getDomain } from 'tldts';
import type { Fetcher } from '../types.js';
import { keepLinks } from './drop.js';

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
export const scopes = ['origin', 'host', 'domain', 'any'] as const;
export type Scope = (typeof scopes)[number];

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
}

/**
 * The test `inScope(url)` for a crawl from `start`. The start URL itself is always in scope: the
 * user asked for it. A string that is not an http or https URL is never in scope.
 */
export function scopeTest(start: string, options: ScopeOptions = {}): (url: string) => boolean {
  const { scope = 'origin', include = [], exclude = [] } = options;
  const origin = new URL(start);
  const domain = registrable(origin.hostname);
  const sameSite: Record<Scope, (u: URL) => boolean> = {
    origin: (u) => u.origin === origin.origin,
    host: (u) => u.hostname === origin.hostname,
    domain: (u) => registrable(u.hostname) === domain,
    any: () => true,
  };
  return (url) => {
    if (url === start) return true;
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
    if (!sameSite[scope](u)) return false;
    if (include.length > 0 && !include.some((re) => test(re, url))) return false;
    return !exclude.some((re) => test(re, url));
  };
}

/** The fetcher, with the links a page gives (a redirect's Location too) kept to `inScope`. */
export function scoped(fetcher: Fetcher, inScope: (url: string) => boolean): Fetcher {
  return {
    async fetch(url, signal) {
      const page = await fetcher.fetch(url, signal);
      return keepLinks(page, inScope, 'scope');
    },
  };
}

function registrable(hostname: string): string {
  return getDomain(hostname, { allowPrivateDomains: true }) ?? hostname;
}

// A /g or /y pattern keeps lastIndex between calls, which would make `test` alternate.
function test(re: RegExp, url: string): boolean {
  re.lastIndex = 0;
  return re.test(url);
}
