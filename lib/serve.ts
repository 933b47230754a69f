// A fixture graph served as a web site on 127.0.0.1, so the HTTP fetcher can be checked against the
// fixture fetcher: crawling the site must report the same pages as crawling the fixture.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { FixtureFetcher, startOf, type Fixture, type Latency } from './fixture.js';
import { normalizeUrl } from './normalize.js';

export interface ServeOptions {
  /** The port to listen on; 0 picks a free one. Default: 0. */
  port?: number;
  /** Time before each answer, as for the fixture fetcher. Default: 0. */
  latency?: Latency;
}

export interface ServedFixture {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly origin: string;
  /** Where the fixture's start page is served: `origin + '/'`. */
  readonly start: string;
  /** The served URL of a fixture URL. */
  served(fixtureUrl: string): string;
  /** The fixture URL a served URL stands for; undefined for a URL this site does not serve. */
  original(servedUrl: string): string | undefined;
  close(): Promise<void>;
}

/**
 * Serves each page of `fixture` as HTML: its body as the <title>, its links as <a href> in order,
 * rewritten to this server. A linked URL with no page answers 404. The start page is `/`; any other
 * http(s) URL already in normal form is `/SCHEME/HOST/PATH?QUERY` (readable, and the fetcher's
 * normalization leaves it alone); any other string is `/~` and its percent-encoding.
 */
export async function serveFixture(fixture: Fixture, options: ServeOptions = {}): Promise<ServedFixture> {
  const { port = 0, latency = 0 } = options;
  const startUrl = startOf(fixture);
  const delays = new FixtureFetcher(fixture, latency);
  let origin = '';

  const pathOf = (url: string): string => {
    if (url === startUrl) return '/';
    const scheme = /^(https?):\/\//.exec(url)?.[1];
    if (scheme !== undefined && normalizeUrl(url) === url) return `/${scheme}/${url.slice(scheme.length + 3)}`;
    return `/~${encodeURIComponent(url)}`; // one segment starting with ~, so never read as . or ..
  };
  const urlOf = (path: string): string | undefined => {
    if (path === '/') return startUrl;
    if (path.startsWith('/~')) {
      try {
        return decodeURIComponent(path.slice(2));
      } catch {
        return undefined;
      }
    }
    const scheme = /^\/(https?)\//.exec(path)?.[1];
    return scheme === undefined ? undefined : `${scheme}://${path.slice(scheme.length + 2)}`;
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = urlOf(req.url ?? '/');
      const page = url !== undefined && Object.hasOwn(fixture.pages, url) ? fixture.pages[url] : undefined;
      const ms = delays.latencyOf(url ?? '');
      if (ms > 0) await sleep(ms);
      if (page === undefined) {
        res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
        return void res.end('<!doctype html><title>404 Not Found</title>\n');
      }
      const links = page.urls.map((u) => `<li><a href="${escape(origin + pathOf(u))}">${escape(u)}</a></li>`).join('\n');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html>\n<html><head><title>${escape(page.body)}</title></head>\n<body><ul>\n${links}\n</ul></body></html>\n`);
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    start: `${origin}/`,
    served: (u) => origin + pathOf(u),
    original: (u) => (u.startsWith(`${origin}/`) ? urlOf(u.slice(origin.length)) : undefined),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => entities[c] ?? c);
}

/** `chancrawl serve`: serves `fixture` until `signal` aborts, calling `listening` once it listens. */
export async function serveUntil(fixture: Fixture, options: ServeOptions, signal: AbortSignal, listening: (site: ServedFixture) => void): Promise<void> {
  const site = await serveFixture(fixture, options);
  listening(site);
  if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  await site.close();
}
