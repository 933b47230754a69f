// --header: what the site's server sees, and bad input as one line and exit 2.
import type { IncomingHttpHeaders } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';
import { page, respond, sitesClosedAfterEach, type Handler } from './support/site.js';

const site = sitesClosedAfterEach(afterEach);

/** Routes that record each request's headers by path, then answer `page`. */
function recorded(routes: Record<string, string>): { seen: Map<string, IncomingHttpHeaders>; routes: Record<string, Handler> } {
  const seen = new Map<string, IncomingHttpHeaders>();
  return { seen, routes: Object.fromEntries(Object.entries(routes).map(([path, body]) => [path, (req, res, hit) => (seen.set(path, req.headers), respond(200, body)(req, res, hit))])) };
}

describe('chancrawl --header, as the server sees it', () => {
  it('sends every --header with every page request, joins a repeated name, and replaces a default (Accept)', async () => {
    const { seen, routes } = recorded({ '/': page('home', '/a', '/b'), '/a': page('a'), '/b': page('b') });
    const s = await site(routes);
    const run = await cli('--quiet', '--header', 'X-Token: abc 123', '--header', 'accept: text/html', '--header', 'X-List: one', '--header', 'X-List:two', '--header', 'X-Empty:', s.url('/'));
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect([...seen.keys()].sort()).toEqual(['/', '/a', '/b']);
    for (const headers of seen.values()) expect(headers).toMatchObject({ 'x-token': 'abc 123', accept: 'text/html', 'x-list': 'one, two', 'x-empty': '' });
  });

  it.each([
    [['--header', 'X-Token abc'], `--header: must be 'NAME: VALUE' (got "X-Token abc")`],
    [['--header', 'A: 1', '--header', ': abc'], `--header: must be 'NAME: VALUE', NAME not empty (got ": abc")`],
    [['--header', 'Bad Name: x'], `--header: "Bad Name" is not a header name`],
    [['--header', 'Host: elsewhere.test'], `--header: Host is chancrawl's to set: each request's is its URL's host (got "Host: elsewhere.test")`],
    [['--header', 'content-length: 5'], `--header: content-length is chancrawl's to set`],
    [['--header', 'User-Agent: Foo/1'], `--header: User-Agent is chancrawl's to set: give --user-agent`],
  ])('%j is exit 2 with one line naming the flag and what is wrong', async (args, message) => {
    const s = await site({ '/': page('home') });
    const run = await cli(...args, s.url('/'));
    expect(run.status).toBe(2);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(run.stderr).toContain(`chancrawl: ${message}`);
    expect(s.requests).toEqual([]);
  });
});
