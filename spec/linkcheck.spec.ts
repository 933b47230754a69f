// Link checking for CI on pages written like the Python docs: --fail-on-broken's exit code,
// --check-external (links off the site requested, HEAD first, not followed), --assets.
import { afterEach, describe, expect, it } from 'vitest';
import type { ReportLine } from '../lib/output/schema.js';
import { cli } from './support/cli.js';
import { docsFiles, serveDocs } from './support/docs-site.js';
import { page, respond, startSite, type Handler, type Site } from './support/site.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** The docs-like site, and the other site it links to, which notes each request's method. */
async function docs(): Promise<{ docs: Site; other: Site; methods: string[] }> {
  const methods: string[] = [];
  const noted =
    (handler: Handler): Handler =>
    (req, res, hit) => {
      methods.push(`${req.method} ${req.url}`);
      return handler(req, res, hit);
    };
  const other = await startSite({
    '/ok': noted(respond(200, page('Other', '/never'))),
    '/gone': noted(respond(404, 'gone')),
    '/no-head': noted((req, res, hit) => respond(req.method === 'HEAD' ? 405 : 200, page('No HEAD'))(req, res, hit)),
  });
  const s = await serveDocs(docsFiles(other.origin));
  cleanups.push(
    () => other.close(),
    () => s.close(),
  );
  return { docs: s, other, methods };
}
const parse = (text: string): ReportLine[] =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as ReportLine);

describe('--fail-on-broken', () => {
  it('exits 5 when a fetched URL failed, 0 without the flag, 0 with it when nothing failed', async () => {
    const { docs: s } = await docs();
    const failing = await cli('--quiet', '--fail-on-broken', s.url('/index.html'));
    expect(failing.status).toBe(5);
    expect(failing.stdout).toContain(`missing: ${s.url('/library/missing.html')}`);
    expect((await cli('--quiet', s.url('/index.html'))).status).toBe(0);
    expect((await cli('--quiet', '--fail-on-broken', '--depth', '0', s.url('/index.html'))).status).toBe(0);
  });
});

describe('--check-external', () => {
  it('requests links off the site with HEAD (GET when HEAD is refused), reports them found or failed, follows none', async () => {
    const { docs: s, other, methods } = await docs();
    const lines = parse((await cli('--format', 'jsonl', '--quiet', '--check-external', s.url('/index.html'))).stdout);
    const at = (u: string) => lines.find((l) => l.url === u);
    expect(at(other.url('/ok'))).toMatchObject({ outcome: 'found', status: 200, links: 0, urls: [], parent: s.url('/library/os.html') });
    expect(at(other.url('/gone'))).toMatchObject({ outcome: 'failed', status: 404, linkedFrom: [s.url('/library/os.html')] });
    expect(at(other.url('/no-head'))).toMatchObject({ outcome: 'found', status: 200 });
    expect(at(other.url('/never'))).toBeUndefined();
    expect(methods.sort()).toEqual(['GET /no-head', 'HEAD /gone', 'HEAD /no-head', 'HEAD /ok']);
    expect(other.requests.filter((r) => r !== '/robots.txt').sort()).toEqual(['/gone', '/no-head', '/no-head', '/ok']);
  });

  it('without it, links off the site are reported skipped "scope" and never requested', async () => {
    const { docs: s, other } = await docs();
    const lines = parse((await cli('--format', 'jsonl', '--quiet', s.url('/index.html'))).stdout);
    expect(lines.find((l) => l.url === other.url('/ok'))).toMatchObject({ outcome: 'skipped', reason: 'scope' });
    expect(other.requests).toEqual([]);
  });
});

describe('--assets', () => {
  it("checks each page's <img src>, <script src> and <link href> stylesheets and icons with HEAD, parses none", async () => {
    const { docs: s } = await docs();
    const run = await cli('--format', 'jsonl', '--quiet', '--assets', s.url('/index.html'));
    const lines = parse(run.stdout);
    const at = (p: string) => lines.find((l) => l.url === s.url(p));
    for (const p of ['/_static/pydoctheme.css', '/_static/doctools.js', '/_static/py.svg'])
      expect(at(p)).toMatchObject({ outcome: 'found', status: 200, links: 0 });
    expect(at('/_static/gone.png')).toMatchObject({ outcome: 'failed', status: 404, linkedFrom: [s.url('/library/os.html')] });
    expect(s.hits('/_static/pydoctheme.css')).toBe(1);
    expect(at('/genindex.html')).toMatchObject({ outcome: 'found', title: 'Index — Python 3.11.2 documentation' }); // <link rel="index"> names a page: read as one
    expect((at('/genindex.html') as { urls: string[] }).urls).toContain(s.url('/library/os.html'));
  });

  it('without it, no asset is requested or reported', async () => {
    const { docs: s } = await docs();
    const lines = parse((await cli('--format', 'jsonl', '--quiet', s.url('/index.html'))).stdout);
    expect(lines.filter((l) => l.url.includes('/_static/'))).toEqual([]);
    expect(s.requests.filter((r) => r.includes('/_static/'))).toEqual([]);
  });
});
