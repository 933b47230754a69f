// A test web site on 127.0.0.1 served from a route table, counting every request it gets, so a
// test can assert what a crawler asked for (nothing twice, nothing disallowed) as well as what it reported.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Answers one request. `hit` counts requests to this path so far, this one included (1 on the first). */
export type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void | Promise<void>;

/** A route: a handler, or a string served as `200 text/html`. */
export type Route = Handler | string;

export interface Site {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly origin: string;
  /** `origin + path`. */
  url(path: string): string;
  /** Every request in arrival order, as `path?query` (the request target). */
  readonly requests: string[];
  /** How many times each request target was asked for. */
  hits(path: string): number;
  /** TCP connections opened to the site so far. */
  connections(): number;
  /** Adds or replaces a route after start (e.g. one that needs another site's origin). */
  route(path: string, route: Route): void;
  close(): Promise<void>;
}

/** An HTML page with the given title and links (`<a href>`, in order). */
export function page(title: string, ...links: string[]): string {
  return `<!doctype html><html><head><title>${title}</title></head><body>${links.map((l) => `<a href="${l}">${l}</a>`).join('\n')}</body></html>`;
}

/** A handler answering `status` with a Location header. */
export function redirect(location: string, status = 301): Handler {
  return (_req, res) => {
    res.writeHead(status, { location });
    res.end();
  };
}

/** A handler answering with `status`, `body` and headers (content type text/html unless given). */
export function respond(status: number, body = '', headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
    res.end(body);
  };
}

/**
 * Starts a site on 127.0.0.1 on a free port. Paths with no route answer 404. Keys are request
 * targets (`/a/b?q=1`); a handler that throws answers 500.
 */
export async function startSite(routes: Record<string, Route> = {}): Promise<Site> {
  const table = new Map<string, Route>(Object.entries(routes));
  const requests: string[] = [];
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const target = req.url ?? '/';
    requests.push(target);
    const hit = (counts.get(target) ?? 0) + 1;
    counts.set(target, hit);
    const route = table.get(target);
    if (route === undefined) return void respond(404, 'not found')(req, res, hit);
    if (typeof route === 'string') return void respond(200, route)(req, res, hit);
    Promise.resolve()
      .then(() => route(req, res, hit))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  });
  let connections = 0;
  server.on('connection', () => void (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (path) => origin + path,
    requests,
    hits: (path) => counts.get(path) ?? 0,
    connections: () => connections,
    route: (path, route) => void table.set(path, route),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A `site(routes)` for one spec file: each site it starts is closed after its test (give it vitest's afterEach). */
export function sitesClosedAfterEach(afterEach: (fn: () => Promise<void>) => void): (routes?: Record<string, Route>) => Promise<Site> {
  let sites: Site[] = [];
  afterEach(async () => {
    await Promise.all(sites.map((s) => s.close()));
    sites = [];
  });
  return async (routes = {}) => {
    const s = await startSite(routes);
    sites.push(s);
    return s;
  };
}

/**
 * For one spec file (give it vitest's afterEach): `cleanups` run after each test, in the order
 * given, and a `site(routes)` whose sites they close.
 */
export function cleanedUpAfterEach(afterEach: (fn: () => Promise<void>) => void): {
  cleanups: (() => Promise<void> | void)[];
  site: (routes?: Record<string, Route>) => Promise<Site>;
} {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  const site = async (routes: Record<string, Route> = {}) => {
    const s = await startSite(routes);
    cleanups.push(() => s.close());
    return s;
  };
  return { cleanups, site };
}
