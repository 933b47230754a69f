// Cookies from a file in the Netscape format that curl -c and wget --save-cookies write, and the
// Cookie header each URL is sent with them (RFC 6265 5.4: domain, path, secure, expiry).
import { InputError } from '../errors.js';

/** One line of a cookie file. */
export interface FileCookie {
  /** The host, lower-cased, without a leading dot or a port. */
  domain: string;
  /** Sent to this port only: wget writes a cookie of a host on a port not the scheme's default as `HOST:PORT`. */
  port?: number;
  /** Also sent to the hosts under `domain` (the file's flag is TRUE, or its domain has a leading dot). */
  subdomains: boolean;
  /** Sent to this path and the paths under it. */
  path: string;
  /** Sent over https only. */
  secure: boolean;
  /** Seconds since the epoch after which it is not sent; 0 for a session cookie, sent for the whole crawl. */
  expires: number;
  name: string;
  value: string;
}

const tab = '\t';

/**
 * The cookies of a Netscape cookie file: per line DOMAIN (HOST:PORT as wget writes one of a port
 * not the scheme's default), INCLUDE-SUBDOMAINS (TRUE or FALSE), PATH,
 * SECURE (TRUE or FALSE), EXPIRES (epoch seconds, 0 for a session cookie), NAME and VALUE, tab-
 * separated (six fields when the value is empty, as curl takes them). A line starting `#HttpOnly_`
 * is a cookie (curl's mark for one scripts cannot read); any other `#` line and a blank line are
 * nothing. Cookies expired at `now` (milliseconds) are left out. A line that is none of these is
 * an InputError naming `source` and its line number.
 */
export function readCookieFile(text: string, source: string, now = Date.now()): FileCookie[] {
  const cookies: FileCookie[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const bad = (why: string) => new InputError(`${source} line ${i + 1}: ${why}`);
    const cookieLine = line.startsWith('#HttpOnly_') ? line.slice('#HttpOnly_'.length) : line;
    if (cookieLine === line && (line.startsWith('#') || line.trim() === '')) continue;
    const fields = cookieLine.split(tab);
    if (fields.length !== 7 && fields.length !== 6)
      throw bad(
        `${fields.length} field${fields.length === 1 ? '' : 's'}, where a cookie has 7 separated by tabs: DOMAIN, INCLUDE-SUBDOMAINS, PATH, SECURE, EXPIRES, NAME, VALUE`,
      );
    const [domain, subdomains, path, secure, expires, name, value = ''] = fields as [string, string, string, string, string, string, string?];
    const [, host = '', port] = /^\.?(\[[\da-f:.]*\]|[^:]*)(?::(\d+))?$/.exec(domain.trim().toLowerCase()) ?? [];
    if (host === '' || /[\s/]/.test(host)) throw bad(`DOMAIN must be a host name, or HOST:PORT (got ${JSON.stringify(domain)})`);
    const flag = (field: string, what: string) => {
      if (/^true$/i.test(field)) return true;
      if (/^false$/i.test(field)) return false;
      throw bad(`${what} must be TRUE or FALSE (got ${JSON.stringify(field)})`);
    };
    if (!path.startsWith('/')) throw bad(`PATH must start with / (got ${JSON.stringify(path)})`);
    if (!/^\d+$/.test(expires)) throw bad(`EXPIRES must be seconds since 1970, or 0 for a session cookie (got ${JSON.stringify(expires)})`);
    if (/[\0\r]/.test(name + value)) throw bad('NAME and VALUE must not hold a line break or a NUL');
    const cookie: FileCookie = {
      domain: host,
      ...(port === undefined ? {} : { port: Number(port) }),
      subdomains: flag(subdomains, 'INCLUDE-SUBDOMAINS') || domain.trim().startsWith('.'),
      path,
      secure: flag(secure, 'SECURE'),
      expires: Number(expires),
      name,
      value,
    };
    if (!live(cookie, now)) continue;
    cookies.push(cookie);
  }
  return cookies;
}

/** Whether `cookie` has not expired at `now` (milliseconds). */
const live = (cookie: FileCookie, now: number): boolean => cookie.expires === 0 || cookie.expires * 1000 > now;

/**
 * Cookies looked up by URL: the Cookie header a request to it carries, as a browser would send it
 * (RFC 6265 5.4): the cookies whose domain is its host (or, for subdomain cookies, a domain the
 * host ends in) and whose port, when the file gives one, is its port, whose path is its path or a parent of it, secure ones over https only, none that
 * has expired since; longer paths first, then in file order.
 */
export class CookieJar {
  /** Cookies by domain, in file order. */
  readonly #byDomain = new Map<string, FileCookie[]>();

  constructor(cookies: Iterable<FileCookie>) {
    for (const cookie of cookies) {
      const list = this.#byDomain.get(cookie.domain);
      if (list === undefined) this.#byDomain.set(cookie.domain, [cookie]);
      else list.push(cookie);
    }
  }

  /** The Cookie header's value for `url`, or undefined when no cookie goes there. */
  header(url: string, now = Date.now()): string | undefined {
    const { protocol, hostname, port: given, pathname } = new URL(url);
    const port = given === '' ? (protocol === 'https:' ? 443 : 80) : Number(given);
    const host = hostname.toLowerCase();
    const sent: FileCookie[] = [];
    const ip = /^\d+(\.\d+){3}$/.test(host) || host.startsWith('['); // an address has no parent domains
    // The host itself, then each parent domain of it: a.b.example.org, b.example.org, example.org, org.
    for (let domain = host; domain !== ''; domain = !ip && domain.includes('.') ? domain.slice(domain.indexOf('.') + 1) : '') {
      for (const cookie of this.#byDomain.get(domain) ?? []) {
        if (domain !== host && !cookie.subdomains) continue;
        if ((cookie.secure && protocol !== 'https:') || (cookie.port !== undefined && cookie.port !== port)) continue;
        if (!pathMatches(pathname, cookie.path) || !live(cookie, now)) continue;
        sent.push(cookie);
      }
    }
    if (sent.length === 0) return undefined;
    sent.sort((a, b) => b.path.length - a.path.length); // stable: file order within a length
    return sent.map((c) => (c.name === '' ? c.value : `${c.name}=${c.value}`)).join('; ');
  }
}

/** RFC 6265 5.1.4: `path` is `cookiePath` or under it (`/docs` covers `/docs/x` and `/docs`, not `/docsets`). */
function pathMatches(path: string, cookiePath: string): boolean {
  if (path === cookiePath) return true;
  if (!path.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || path[cookiePath.length] === '/';
}
